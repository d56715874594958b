"""``read_file``: a page of numbered lines, streamed so huge files cost only the page."""

from __future__ import annotations

import json
from typing import IO, Any

from hermes_core import ToolError

from .config import output_budget, settings
from .paths import display, resolve
from .textfile import SNIFF_BYTES, bom_encoding, check_regular, human_size, sniff_binary

DEFAULT_LIMIT = 500
MAX_LIMIT = 2000
#: Longer lines (minified code, data) are cut so one line cannot fill the page.
MAX_LINE_CHARS = 2000
#: Beyond this size the total line count is not worth a full scan.
MAX_COUNT_BYTES = 256 * 1024 * 1024
#: UTF-16 files are decoded whole; cap their size.
MAX_UTF16_BYTES = 20 * 1024 * 1024


def read_file(args: dict[str, Any], ctx: Any) -> str:
    """Return lines ``offset``..``offset+limit-1`` of a text file, numbered, with a note on
    how to continue when more follow."""
    path = resolve(ctx, args["path"])
    shown = display(ctx, path)
    offset = max(1, int(args.get("offset") or 1))
    limit = min(max(1, int(args.get("limit") or DEFAULT_LIMIT)), MAX_LIMIT)
    info = check_regular(ctx, path, purpose="read")
    if info.st_size == 0:
        return f"{shown} is empty (0 bytes)."
    budget = output_budget(ctx, settings(ctx).max_read_chars)
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below; open errors need their own message
    except PermissionError:
        raise ToolError(f"permission denied: cannot read {shown}") from None
    except OSError as exc:
        raise ToolError(f"cannot read {shown}: {exc.strerror or exc}") from None
    with handle:
        head = handle.read(SNIFF_BYTES)
        kind = sniff_binary(head)
        if kind is not None:
            raise ToolError(f"{shown} is a binary file ({kind}, {human_size(info.st_size)}); read_file shows text only")
        bom, encoding = bom_encoding(head)
        if encoding != "utf-8":
            page = _page_utf16(handle, info.st_size, bom, encoding, offset, limit, budget, shown)
        else:
            handle.seek(len(bom))
            page = _page_utf8(handle, info.st_size, offset, limit, budget)
    return page.render(shown, offset, limit)


class _Page:
    """The lines chosen for one read and what is known about the rest of the file."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.first = 0
        self.last = 0
        self.total: int | None = None
        self.cut_by_budget = False
        self.undecodable = False
        self.size = 0

    def add(self, number: int, text: str) -> None:
        if not self.lines:
            self.first = number
        self.last = number
        self.lines.append(_numbered(number, text))

    def render(self, shown: str, offset: int, limit: int) -> str:
        if not self.lines:
            total = self.total or 0
            raise ToolError(f"offset {offset} is past the end of {shown}, which has {total} line(s); "
                            f"use an offset from 1 to {max(total, 1)}")
        body = "\n".join(self.lines)
        notes = []
        if self.undecodable:
            notes.append("[the file is not valid UTF-8: undecodable bytes are shown as \ufffd]")
        more = self.total is None or self.last < self.total
        if more:
            call = f"read_file(path={json.dumps(shown, ensure_ascii=False)}, offset={self.last + 1}, limit={limit})"
            of = f"of {self.total:,}" if self.total is not None else f"(file is {human_size(self.size)}; more follow)"
            why = " The output reached its size limit." if self.cut_by_budget else ""
            notes.append(f"[Showing lines {self.first:,}-{self.last:,} {of}.{why} Continue with {call}]")
        return body + ("\n\n" + "\n".join(notes) if notes else "")


def _numbered(number: int, text: str) -> str:
    if len(text) > MAX_LINE_CHARS:
        text = text[:MAX_LINE_CHARS] + f"… [line cut: {len(text):,} characters in all]"
    return f"{number:>6}|{text}"


def _strip_newline(text: str) -> str:
    if text.endswith("\n"):
        text = text[:-1]
        text = text.removesuffix("\r")
    return text


def _page_utf8(handle: IO[bytes], size: int, offset: int, limit: int, budget: int) -> _Page:
    page = _Page()
    page.size = size
    used = 0
    number = 0
    stop = offset + limit - 1
    while number < stop:
        raw = handle.readline()
        if not raw:
            page.total = number
            return page
        number += 1
        if number < offset:
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("utf-8", "replace")
            page.undecodable = True
        line = _numbered(number, _strip_newline(text))
        if page.lines and used + len(line) + 1 > budget:
            page.cut_by_budget = True
            number -= 1  # this line is not shown; count it with the rest
            handle.seek(-len(raw), 1)
            break
        used += len(line) + 1
        page.add(number, _strip_newline(text))
    page.total = None if size > MAX_COUNT_BYTES else number + _count_rest(handle)
    return page


def _count_rest(handle: IO[bytes]) -> int:
    """Lines from the current position to the end, reading in chunks."""
    lines = 0
    last = b"\n"
    while chunk := handle.read(1 << 20):
        lines += chunk.count(b"\n")
        last = chunk[-1:]
    return lines + (0 if last == b"\n" else 1)


def _page_utf16(handle: IO[bytes], size: int, bom: bytes, encoding: str, offset: int, limit: int,
                budget: int, shown: str) -> _Page:
    if size > MAX_UTF16_BYTES:
        raise ToolError(f"{shown} is a {human_size(size)} UTF-16 file; read_file decodes UTF-16 files up to "
                        f"{human_size(MAX_UTF16_BYTES)}. Convert it with iconv in the terminal first")
    handle.seek(len(bom))
    text = handle.read().decode(encoding, "replace")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    page = _Page()
    page.size = size
    page.total = len(lines)
    used = 0
    for number in range(offset, min(offset + limit, len(lines) + 1)):
        content = lines[number - 1].removesuffix("\r")
        entry = len(_numbered(number, content)) + 1
        if page.lines and used + entry > budget:
            page.cut_by_budget = True
            break
        used += entry
        page.add(number, content)
    return page
