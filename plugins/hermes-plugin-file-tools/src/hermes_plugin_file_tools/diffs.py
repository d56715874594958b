"""Describing a change: line counts, where it happened, and a bounded unified diff."""

from __future__ import annotations

import difflib

#: Beyond this many lines on either side, line-level comparison is too slow to be worth it.
MAX_DIFF_LINES = 20_000
#: A diff longer than this is cut (the file itself holds the truth).
MAX_DIFF_CHARS = 8000


def _lines(text: str) -> list[str]:
    # split on \n only: str.splitlines would also break at form feeds and U+2028,
    # and the line numbers would stop matching read_file's
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def change_summary(old: str, new: str) -> str:
    """``+3 -1 lines (changes between lines 5 and 9)``."""
    a, b = _lines(old), _lines(new)
    if len(a) > MAX_DIFF_LINES or len(b) > MAX_DIFF_LINES:
        return "content replaced (too large to compare line by line)"
    added = removed = 0
    first = last = None
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        removed += i2 - i1
        added += j2 - j1
        first = j1 + 1 if first is None else first
        last = max(j2, j1 + 1)
    if first is None:
        return "only line endings or encoding changed"
    where = f"line {first}" if last == first else f"lines {first}-{last}"
    return f"+{added} -{removed} lines (changes at {where})"


def line_stats(old: str, new: str) -> tuple[int, int]:
    """(added, removed) lines between two texts."""
    added = removed = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, _lines(old), _lines(new), autojunk=False).get_opcodes():
        if tag != "equal":
            removed += i2 - i1
            added += j2 - j1
    return added, removed


def unified_diff(old: str, new: str, label: str, *, context: int = 3, limit: int = MAX_DIFF_CHARS) -> str:
    """A unified diff of ``old`` -> ``new`` (line endings normalised for reading), cut at
    ``limit`` characters with a note saying how much was left out."""
    a, b = _lines(old), _lines(new)
    if len(a) > MAX_DIFF_LINES or len(b) > MAX_DIFF_LINES:
        return "(file too large for a diff; re-read the changed part with read_file)"
    out: list[str] = []
    used = 0
    rows = list(difflib.unified_diff(a, b, f"a/{label}", f"b/{label}", n=context, lineterm=""))
    for index, row in enumerate(rows):
        if used + len(row) + 1 > limit:
            out.append(f"[diff cut: {len(rows) - index} more lines; re-read the file to see the rest]")
            break
        out.append(row)
        used += len(row) + 1
    return "\n".join(out)
