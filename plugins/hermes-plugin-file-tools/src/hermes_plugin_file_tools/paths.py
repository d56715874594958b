"""Turning the model's path strings into real paths, and explaining missing ones."""

from __future__ import annotations

import difflib
import os
from collections import deque
from pathlib import Path
from typing import Any

from hermes_core import ToolError

#: Folders never worth walking when looking for a file the model misnamed.
_SKIP_DIRS = frozenset({".git", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache"})


def resolve(ctx: Any, raw: str) -> Path:
    """``raw`` made absolute: ``~`` expanded, relative paths taken from the session's
    working directory. Symlinks are left in place (callers decide whether to follow)."""
    text = raw.strip()
    if not text:
        raise ToolError("path is empty: give a file path, relative to the working directory or absolute")
    if "\0" in text:
        raise ToolError("path contains a NUL character")
    path = Path(os.path.expanduser(text))
    if not path.is_absolute():
        path = Path(ctx.cwd) / path
    return Path(os.path.normpath(path))


def display(ctx: Any, path: Path) -> str:
    """How to name ``path`` to the model: relative to the working directory when inside it."""
    try:
        rel = path.relative_to(Path(ctx.cwd))
    except ValueError:
        return str(path)
    text = rel.as_posix()
    return text if text != "." else "."


def missing_message(ctx: Any, path: Path) -> str:
    """Why ``path`` cannot be read, with the names the model probably meant."""
    shown = display(ctx, path)
    if path.is_symlink():
        return f"{shown} is a broken symbolic link (it points to {os.readlink(path)}, which does not exist)"
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent != path.parent:
        text = f"file not found: {shown} (the folder {display(ctx, parent)}/ exists, but not {display(ctx, path.parent)}/)"
    else:
        text = f"file not found: {shown}"
    suggestions = similar_paths(ctx, path)
    if suggestions:
        text += ". Did you mean: " + ", ".join(suggestions) + "?"
    return text


def similar_paths(ctx: Any, path: Path, limit: int = 5) -> list[str]:
    """Existing paths close to ``path``: near-spellings in its folder (or nearest existing
    ancestor), then files with the same name elsewhere under the working directory."""
    found: list[str] = []
    folder = path.parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        names = []
    wanted = path.name if folder == path.parent else path.relative_to(folder).parts[0]
    lowered = {n.lower(): n for n in names}
    close = []
    if wanted.lower() in lowered:
        close.append(lowered[wanted.lower()])
    stem = wanted.split(".")[0]
    close += [n for n in names if n.split(".")[0] == stem and n != wanted]
    close += difflib.get_close_matches(wanted, names, n=limit, cutoff=0.6)
    for name in dict.fromkeys(close):
        found.append(display(ctx, folder / name))
    for other in _same_name_elsewhere(Path(ctx.cwd), path.name):
        shown = display(ctx, other)
        if other != path and shown not in found:
            found.append(shown)
    return found[:limit]


def _same_name_elsewhere(root: Path, name: str, budget: int = 20_000) -> list[Path]:
    """Files called ``name`` (any case) under ``root``, looking at ``budget`` entries at most."""
    matches: list[Path] = []
    wanted = name.lower()
    seen = 0
    queue = deque([root])  # breadth first: the nearest same-named files come first
    while queue and seen < budget and len(matches) < 5:
        folder = queue.popleft()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            seen += 1
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in _SKIP_DIRS:
                        queue.append(Path(entry.path))
                elif entry.name.lower() == wanted:
                    matches.append(Path(entry.path))
            except OSError:
                continue
    return sorted(matches)
