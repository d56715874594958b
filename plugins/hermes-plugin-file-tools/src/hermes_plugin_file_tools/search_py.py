"""The pure-Python engine, used when ripgrep is not installed (or turned off).

It walks the same files ripgrep would (see :mod:`.walk`), skips files holding a NUL byte
as ripgrep does, decodes UTF-8 (a UTF-8 or UTF-16 byte-order mark is honoured) and
matches Python's ``re`` syntax line by line.
"""

from __future__ import annotations

import codecs
import re
import threading
import time
from pathlib import Path

from hermes_core import ToolError

from .globs import FileFilter
from .hits import Collector
from .walk import walk_files

#: Larger files are skipped (and counted as unreadable) rather than loaded whole.
MAX_FILE_BYTES = 256 * 1024 * 1024


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled, or a ToolError that says what is wrong with it."""
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ToolError(f"invalid regex {pattern!r}: {exc}. Escape special characters such as "
                        "( [ { . * + ? with a backslash") from None


def decode(data: bytes) -> str | None:
    """A file's text, or None when it is binary."""
    if data.startswith(codecs.BOM_UTF16_LE):
        return data[2:].decode("utf-16-le", "replace")
    if data.startswith(codecs.BOM_UTF16_BE):
        return data[2:].decode("utf-16-be", "replace")
    if b"\0" in data:
        return None
    return data.removeprefix(codecs.BOM_UTF8).decode("utf-8", "replace")


def search_content(root: Path, pattern: str, *, file_filter: FileFilter | None, context: int,
                   collector: Collector, deadline: float, cancelled: threading.Event) -> None:
    """Feed ``collector`` with the matches of ``pattern`` under ``root``."""
    regex = compile_pattern(pattern)
    if root.is_file():
        files = iter([(root, root.name)])
    else:
        files = ((p, rel) for p, rel in walk_files(root) if file_filter is None or file_filter.matches(rel))
    for path, _rel in files:
        if cancelled.is_set():
            break
        if time.monotonic() > deadline:
            collector.timed_out = True
            break
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                collector.unreadable += 1
                continue
            data = path.read_bytes()
        except OSError:
            collector.unreadable += 1
            continue
        text = decode(data)
        if text is None:
            continue
        _scan(path, text, regex, context, collector)
        if collector.full:
            break
    collector.finish()


def _scan(path: Path, text: str, regex: re.Pattern[str], context: int, collector: Collector) -> None:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    hits = [i for i, line in enumerate(lines) if regex.search(line.removesuffix("\r"))]
    if not hits:
        return
    collector.begin(path)
    shown = sorted({j for i in hits for j in range(max(0, i - context), min(len(lines), i + context + 1))})
    matched = set(hits)
    for index in shown:
        collector.line(index + 1, lines[index].removesuffix("\r"), index in matched)
        if collector.full:
            break
    collector.end()


def list_files(root: Path, deadline: float) -> tuple[list[str], bool]:
    """The files under ``root`` a search covers, relative to it, and whether time ran out."""
    names = []
    for _path, rel in walk_files(root):
        names.append(rel)
        if len(names) % 1000 == 0 and time.monotonic() > deadline:
            return names, True
    return names, False
