"""Listing the files a search looks at, the way ripgrep picks them.

Depth first, each folder's entries in name order (ripgrep's ``--sort path``); ``.git``
skipped; symbolic links not followed; ``.gitignore`` files honoured from the repository
root (the nearest folder above holding ``.git``) down, plus ``.git/info/exclude``.
Outside a repository only the ``.gitignore`` files inside the searched folder count.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from .gitignore import IgnoreChain


def repo_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds ``.git``."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _starting_chain(root: Path) -> tuple[IgnoreChain, str]:
    """The ignore rules in force at ``root`` from its ancestors, and ``root``'s path
    relative to the folder those rules are relative to (as a ``/``-terminated prefix)."""
    repo = repo_root(root)
    if repo is None:
        return IgnoreChain(), ""
    chain = IgnoreChain().with_folder(repo / ".git" / "info", "", "exclude")
    rel = root.relative_to(repo)
    folder, prefix = repo, ""
    for part in rel.parts:
        chain = chain.with_folder(folder, prefix)
        folder, prefix = folder / part, prefix + part + "/"
    return chain, prefix


def walk_files(root: Path) -> Iterator[tuple[Path, str]]:
    """``(path, path relative to root)`` for every file a search under ``root`` covers."""
    chain, prefix = _starting_chain(root)
    yield from _walk(root, prefix, len(prefix), chain)


def _walk(folder: Path, prefix: str, cut: int, chain: IgnoreChain) -> Iterator[tuple[Path, str]]:
    chain = chain.with_folder(folder, prefix)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return  # unreadable folder: ripgrep reports and skips it too
    for entry in entries:
        if entry.name == ".git":
            continue
        try:
            if entry.is_symlink():
                continue
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if not chain.ignored(rel, True):
                    yield from _walk(Path(entry.path), rel + "/", cut, chain)
            elif entry.is_file(follow_symlinks=False) and not chain.ignored(rel, False):
                yield Path(entry.path), rel[cut:]
        except OSError:
            continue
