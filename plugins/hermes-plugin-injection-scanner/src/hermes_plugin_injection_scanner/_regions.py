"""Regions of a document: code (where commands are quoted, not run) and hidden HTML
(where a human reader of the rendered page sees nothing but a model reads every word).

Computed on the folded view, once per scan and only when a match needs them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

_FENCE_RE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}\1[ \t]*$|\Z)", re.M | re.S)
_INLINE_CODE_RE = re.compile(r"`[^`\n]{1,400}`")
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_MD_COMMENT_RE = re.compile(r"^\[(?://|comment|hidden|_)\]:\s*(?:#|<>|<#>)?\s*[(\"'].*$", re.M)
_HIDING_STYLE = (
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:\.0+)?(?:px|pt|em|rem|%)?\s*(?:;|[\"'!])|"
    r"opacity\s*:\s*0(?:\.0+)?\s*(?:;|[\"'!])|(?:max-)?(?:height|width)\s*:\s*0(?:px)?\s*(?:;|[\"'!])|"
    r"color\s*:\s*transparent|(?:left|top|text-indent|margin-left)\s*:\s*-\d{3,}(?:px|em)|clip\s*:\s*rect\(\s*0"
)
_HIDDEN_ELEMENT_RE = re.compile(
    r"<([a-z][a-z0-9]*)\b[^>]{0,500}?(?:style\s*=\s*[\"'][^\"']*?(?:" + _HIDING_STYLE + r")|\shidden(?=[\s>=/])|"
    r"\saria-hidden\s*=\s*[\"']?true[^>]*\sstyle\s*=\s*[\"'][^\"']*(?:" + _HIDING_STYLE + r"))[^>]{0,500}>"
    r"(.{0,3000}?)</\1\s*>",
    re.S,
)


@dataclass
class Spans:
    """Sorted, non-overlapping ``(start, end)`` ranges with a fast containment test."""

    ranges: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.ranges.sort()
        self._starts = [start for start, _ in self.ranges]

    def containing(self, start: int, end: int) -> tuple[int, int] | None:
        """The range that contains ``[start, end)`` (or most of it), if any."""
        i = bisect.bisect_right(self._starts, start) - 1
        if i >= 0:
            s, e = self.ranges[i]
            if s <= start and (end <= e or e - start >= (end - start) // 2):
                return s, e
        return None

    def __bool__(self) -> bool:
        return bool(self.ranges)


def code_spans(view: str) -> Spans:
    """Fenced code blocks and inline code."""
    if "`" not in view and "~~~" not in view:
        return Spans()
    ranges = [m.span() for m in _FENCE_RE.finditer(view)]
    fenced = Spans(list(ranges))
    for m in _INLINE_CODE_RE.finditer(view):
        if fenced.containing(*m.span()) is None:
            ranges.append(m.span())
    return Spans(ranges)


@dataclass
class HiddenRegion:
    """Text a rendered page does not show: its span and the hidden text's span."""

    kind: str  # "comment" or "element"
    start: int
    end: int
    inner_start: int
    inner_end: int


def hidden_regions(view: str) -> list[HiddenRegion]:
    """HTML comments, markdown link-reference comments and elements hidden by CSS or the
    ``hidden`` attribute."""
    regions: list[HiddenRegion] = []
    if "<!--" in view:
        for m in _COMMENT_RE.finditer(view):
            regions.append(HiddenRegion("comment", m.start(), m.end(), m.start() + 4, max(m.start() + 4, m.end() - 3)))
    if "]:" in view:
        for m in _MD_COMMENT_RE.finditer(view):
            regions.append(HiddenRegion("comment", m.start(), m.end(), m.start(), m.end()))
    if "<" in view and ("hidden" in view or "none" in view or ":" in view):
        for m in _HIDDEN_ELEMENT_RE.finditer(view):
            regions.append(HiddenRegion("element", m.start(), m.end(), m.start(2), m.end(2)))
    regions.sort(key=lambda r: r.start)
    return regions
