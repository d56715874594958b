"""The entry format of MEMORY.md and USER.md: entries separated by a line holding ``§``.

An entry may span several lines. The only line an entry may not contain is one made of
``§`` alone (that is the separator), so :func:`check_entry` refuses such content instead
of letting it split into two entries on the next read.
"""

from __future__ import annotations

import re

#: What goes between two entries in the file (Hermes Agent's layout).
DELIMITER = "\n§\n"
SEPARATOR_MARK = "§"

_SEPARATOR_LINE = re.compile(r"^[ \t]*§[ \t]*$", re.MULTILINE)


def normalise(text: str) -> str:
    """An entry as stored: Unix newlines, no surrounding blank lines or spaces."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def check_entry(text: str) -> str | None:
    """Why ``text`` cannot be stored as one entry, or None when it can."""
    if not text:
        return "the entry is empty"
    if _SEPARATOR_LINE.search(text):
        return "a line holding only '§' separates entries in the file; reword that line"
    return None


def parse(text: str) -> list[str]:
    """The entries of a memory file's text, in file order (empty pieces dropped)."""
    pieces = _SEPARATOR_LINE.split(normalise(text))
    return [entry for entry in (normalise(piece) for piece in pieces) if entry]


def render(entries: list[str]) -> str:
    """The file text for ``entries`` (no trailing newline; empty for no entries)."""
    return DELIMITER.join(entries)


def used_chars(entries: list[str]) -> int:
    """Characters the entries take in the file, delimiters included: what the budget counts."""
    return len(render(entries))


def fingerprint(text: str) -> str:
    """A comparison key: two entries are duplicates when their fingerprints match."""
    return " ".join(text.split()).casefold()
