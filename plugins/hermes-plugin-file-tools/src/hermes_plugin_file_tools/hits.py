"""What a content search found, collected the same way from ripgrep and from the
pure-Python search so both print identically.

An engine reports, per file, ``begin``, then every matching or context line in order,
then ``end`` (saying whether the file turned out to be binary, in which case its lines
are dropped). The collector keeps line text only as far as the requested page needs,
and stops counting at ``cap`` matches so a search for ``e`` in a huge tree stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: Stored line text is cut here; the output cuts further.
MAX_STORED_LINE = 500
#: Matches counted before a search stops and reports "at least".
DEFAULT_CAP = 10_000


@dataclass
class FileHits:
    """One file's matches: how many, and the text of the lines a page may show."""

    path: Path
    count: int = 0
    matches: list[int] = field(default_factory=list)
    lines: dict[int, str] = field(default_factory=dict)


class Collector:
    """Receives an engine's events; ``full`` tells the engine to stop early."""

    def __init__(self, keep_matches: int, *, cap: int = DEFAULT_CAP, keep_text: bool = True) -> None:
        self.keep_matches = keep_matches
        self.cap = max(cap, keep_matches + 1)
        self.keep_text = keep_text
        self.files: list[FileHits] = []
        self.total = 0
        self.capped = False
        self.timed_out = False
        self.unreadable = 0
        self._current: FileHits | None = None

    @property
    def full(self) -> bool:
        return self.capped

    def begin(self, path: Path) -> None:
        self._current = FileHits(path)

    def line(self, number: int, text: str, is_match: bool) -> None:
        current = self._current
        if current is None or self.capped:
            return
        seen = self.total + current.count
        if is_match:
            if seen >= self.cap:
                self.capped = True
                return
            current.count += 1
            seen += 1
        if self.keep_text and seen <= self.keep_matches:
            if is_match:
                current.matches.append(number)
            current.lines[number] = text[:MAX_STORED_LINE]

    def end(self, *, binary: bool = False) -> None:
        current, self._current = self._current, None
        if current is None or binary or current.count == 0:
            return
        self.files.append(current)
        self.total += current.count

    def finish(self) -> None:
        """Commit the file in progress when an engine stopped in the middle of it."""
        if self._current is not None:
            self.end()
