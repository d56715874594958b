"""File primitives for memory beyond the kernel's (hermes_core.files has the lock and
atomic replacement): reading a file that may not exist yet, and durable appends."""

from __future__ import annotations

import os
from pathlib import Path


def read_text(path: Path) -> str:
    """The file's text, or "" when it does not exist yet."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def append_lines(path: Path, lines: list[str]) -> None:
    """Append whole lines to ``path`` in one write, flushed to disk."""
    if not lines:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(line.rstrip("\n") + "\n" for line in lines).encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)
