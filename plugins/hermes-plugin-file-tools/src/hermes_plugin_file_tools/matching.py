"""Finding ``old_string`` in a file: exactly first, then tolerating whitespace.

The tolerant strategies, tried in order only when the exact search finds nothing:

1. line endings: the model's LF text against a CRLF file (or the reverse);
2. trailing whitespace: whole lines equal once trailing blanks are dropped;
3. indentation: whole lines equal once leading and trailing blanks are dropped; the
   replacement is re-indented by the difference between the two indentations.

Every strategy reports all of its matches; the caller decides whether they are unique.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

EXACT = "exact"
STRATEGIES = ("line endings", "trailing whitespace", "indentation")

_LINE_NUMBER_PREFIX = re.compile(r"^\s*\d+\|")


@dataclass(frozen=True)
class Match:
    """Where one occurrence sits: character offsets and the 1-based line it starts on."""

    start: int
    end: int
    line: int


@dataclass
class Found:
    """The matches of one strategy and how to build each one's replacement."""

    strategy: str
    matches: list[Match]
    replacement: Callable[[Match], str]

    @property
    def lines(self) -> list[int]:
        return [m.line for m in self.matches]


class Lines:
    """A text split at ``\\n`` with each line's offsets, line endings left in the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: list[tuple[int, int, int]] = []  # start, end of content, end with newline
        pos = 0
        while pos < len(text):
            newline = text.find("\n", pos)
            if newline == -1:
                self.spans.append((pos, len(text), len(text)))
                break
            content_end = newline - 1 if newline > pos and text[newline - 1] == "\r" else newline
            self.spans.append((pos, content_end, newline + 1))
            pos = newline + 1
        self.starts = [s[0] for s in self.spans]

    def content(self, index: int) -> str:
        start, end, _ = self.spans[index]
        return self.text[start:end]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) if self.starts else 1


def newline_of(text: str, start: int, end: int) -> str:
    """The line ending to give a replacement: the matched region's, else the file's."""
    region = text[start:end]
    if "\r\n" in region:
        return "\r\n"
    if "\n" in region:
        return "\n"
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf >= text.count("\n") - crlf else "\n"


def with_newline(text: str, newline: str) -> str:
    """``text`` with every line break written as ``newline``."""
    text = text.replace("\r\n", "\n")
    return text.replace("\n", newline) if newline != "\n" else text


def find(text: str, old: str, new: str) -> Found | None:
    """All matches of ``old`` in ``text``: exact ones, else those of the first tolerant
    strategy that finds any. None when nothing matches at all."""
    if not old:
        return None
    lines = Lines(text)

    def plain(match: Match) -> str:
        return with_newline(new, newline_of(text, match.start, match.end))

    exact = _occurrences(text, old, lines)
    if exact:
        return Found(EXACT, exact, plain)
    for variant in dict.fromkeys((old.replace("\r\n", "\n"), old.replace("\r\n", "\n").replace("\n", "\r\n"))):
        if variant != old:
            found = _occurrences(text, variant, lines)
            if found:
                return Found("line endings", found, plain)
    old_lines, whole = _split_old(old)
    if not any(line.strip() for line in old_lines):
        return None  # blank lines match blank lines anywhere: not a meaningful anchor
    for strategy, normalise in (("trailing whitespace", str.rstrip), ("indentation", str.strip)):
        found = _window_matches(lines, old_lines, whole, normalise)
        if found:
            if strategy == "indentation":
                return Found(strategy, found, _reindenting(text, lines, old_lines, new))
            return Found(strategy, found, plain)
    return None


def _occurrences(text: str, needle: str, lines: Lines) -> list[Match]:
    found = []
    pos = text.find(needle)
    while pos != -1:
        found.append(Match(pos, pos + len(needle), lines.line_of(pos)))
        pos = text.find(needle, pos + len(needle))
    return found


def _split_old(old: str) -> tuple[list[str], bool]:
    """``old`` as lines, and whether it ends with a line break (so matches take whole
    lines including the last one's ending)."""
    body = old.replace("\r\n", "\n")
    whole = body.endswith("\n")
    if whole:
        body = body[:-1]
    return body.split("\n"), whole


def _window_matches(lines: Lines, old_lines: list[str], whole: bool, normalise: Callable[[str], str]) -> list[Match]:
    wanted = [normalise(line) for line in old_lines]
    count = len(wanted)
    have = [normalise(lines.content(i)) for i in range(len(lines.spans))]
    found = []
    for index in range(len(have) - count + 1):
        if have[index] == wanted[0] and have[index:index + count] == wanted:
            start = lines.spans[index][0]
            last = lines.spans[index + count - 1]
            found.append(Match(start, last[2] if whole else last[1], index + 1))
    return found


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _reindenting(text: str, lines: Lines, old_lines: list[str], new: str) -> Callable[[Match], str]:
    """A replacement builder that moves ``new`` from the model's indentation to the file's:
    each indentation the model used in old_string maps to the one the file has there."""

    def build(match: Match) -> str:
        mapping: dict[str, str] = {}
        for offset, old_line in enumerate(old_lines):
            if old_line.strip():
                mapping.setdefault(_indent(old_line), _indent(lines.content(match.line - 1 + offset)))
        newline = newline_of(text, match.start, match.end)
        body = new.replace("\r\n", "\n")
        trailing = body.endswith("\n")
        if trailing:
            body = body[:-1]
        shifted = [_shift(line, mapping) for line in body.split("\n")]
        return newline.join(shifted) + (newline if trailing else "")

    return build


def _shift(line: str, mapping: dict[str, str]) -> str:
    if not line.strip():
        return ""
    indent = _indent(line)
    if indent in mapping:
        return mapping[indent] + line[len(indent):]
    # deeper than anything in old_string: keep the extra part, mapped from the nearest level
    for known in sorted(mapping, key=len, reverse=True):
        if indent.startswith(known):
            return mapping[known] + line[len(known):]
    spaces = [(k, v) for k, v in mapping.items() if set(k + v) <= {" "}]
    if spaces and set(indent) <= {" "}:
        k, v = min(spaces, key=lambda kv: len(kv[0]))
        return " " * max(0, len(indent) + len(v) - len(k)) + line.lstrip()
    return line


def closest(text: str, old: str, show: int = 8) -> tuple[int, str] | None:
    """The region of ``text`` most like ``old`` (1-based line, excerpt), for error messages."""
    lines = Lines(text)
    old_lines, _ = _split_old(old)
    key = next((line.strip() for line in old_lines if line.strip()), "")
    if not key or len(lines.spans) > 50_000:
        return None
    best, best_ratio = -1, 0.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(key)
    for index in range(len(lines.spans)):
        candidate = lines.content(index).strip()
        if not candidate:
            continue
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = index, ratio
    if best < 0 or best_ratio < 0.5:
        return None
    first = max(0, best - next(i for i, line in enumerate(old_lines) if line.strip()))
    count = min(max(len(old_lines), 1), show)
    excerpt = "\n".join(lines.content(i) for i in range(first, min(first + count, len(lines.spans))))
    return first + 1, excerpt


def has_line_number_prefixes(old: str) -> bool:
    """Whether ``old`` looks copied from read_file output with its ``   12|`` prefixes."""
    body = [line for line in old.replace("\r\n", "\n").split("\n") if line.strip()]
    return bool(body) and all(_LINE_NUMBER_PREFIX.match(line) for line in body)
