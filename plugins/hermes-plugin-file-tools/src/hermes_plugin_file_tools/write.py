"""``write_file``: replace a whole file atomically and say what changed."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from hermes_core import ToolError

from .diffs import change_summary
from .paths import display, resolve
from .textfile import TextFile, atomic_write, count_lines, human_size, load_text, real_path


def write_file(args: dict[str, Any], ctx: Any) -> str:
    """Write ``content`` to ``path``; report created or overwritten, size and changes."""
    path = resolve(ctx, args["path"])
    content = args["content"]
    shown = display(ctx, path)
    target = real_path(ctx, path)
    info = _stat(ctx, target, shown)
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise ToolError(f"{shown} is a directory; give the path of a file inside it")
    existed = info is not None
    old: TextFile | None = None
    old_size = 0
    if info is not None:
        old_size = info.st_size
        try:
            old = load_text(ctx, target, purpose="overwrite")
        except ToolError:
            old = None  # binary or unreadable as text: it is replaced all the same
    else:
        _make_parents(ctx, target.parent)
    new_text = _keep_conventions(old, content)
    data = old.encode(new_text) if old is not None else new_text.encode("utf-8", "surrogateescape")
    if old is not None and data == target.read_bytes():
        return f"{shown} already has this content; nothing changed ({_lines(count_lines(new_text))}, {human_size(len(data))})."
    atomic_write(ctx, target, data)
    lines = count_lines(new_text)
    via = f" (through the symbolic link to {target})" if target != path else ""
    if not existed:
        return f"Created {shown}{via}: {_lines(lines)}, {human_size(len(data))}."
    summary = f"Overwrote {shown}{via}: {human_size(old_size)} -> {human_size(len(data))}"
    if old is None:
        return summary + f", {_lines(lines)} (the old content was not text)."
    summary += f", {count_lines(old.text)} -> {lines} lines; {change_summary(old.text, new_text)}"
    notes = []
    if old.newline == "\r\n" and "\r" not in content and "\n" in content:
        notes.append("kept the file's CRLF line endings")
    if old.bom and not content.startswith("\ufeff"):
        notes.append("kept its byte-order mark")
    return summary + (f" ({'; '.join(notes)})" if notes else "") + "."


def _stat(ctx: Any, target: Path, shown: str) -> os.stat_result | None:
    """The target's status, None when it does not exist yet."""
    try:
        return target.stat()
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        blocker = target.parent
        while not blocker.exists() and blocker != blocker.parent:
            blocker = blocker.parent
        raise ToolError(f"cannot create the folder {display(ctx, target.parent)}: {display(ctx, blocker)} is a file") from None
    except PermissionError:
        raise ToolError(f"permission denied: cannot write {shown} (a folder on the way is not accessible)") from None
    except OSError as exc:
        raise ToolError(f"cannot write {shown}: {exc.strerror or exc}") from None


def _lines(count: int) -> str:
    return f"{count} line{'' if count == 1 else 's'}"


def _keep_conventions(old: TextFile | None, content: str) -> str:
    """New content in the old file's conventions: a CRLF file stays CRLF when the model
    wrote plain LF (it cannot see \\r), and a byte-order mark is not doubled."""
    if old is None:
        return content
    if old.bom and content.startswith("\ufeff"):
        content = content[1:]  # the mark is written from old.bom
    if old.newline == "\r\n" and "\r" not in content:
        content = content.replace("\n", "\r\n")
    return content


def _make_parents(ctx: Any, folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        blocker = folder
        while not blocker.exists():
            blocker = blocker.parent
        raise ToolError(f"cannot create the folder {display(ctx, folder)}: {display(ctx, blocker)} is a file") from None
    except NotADirectoryError:
        raise ToolError(f"cannot create the folder {display(ctx, folder)}: a part of that path is a file") from None
    except PermissionError:
        raise ToolError(f"permission denied: cannot create the folder {display(ctx, folder)}") from None
    except OSError as exc:
        raise ToolError(f"cannot create the folder {display(ctx, folder)}: {exc.strerror or exc}") from None
