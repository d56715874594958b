"""The archive: every entry pushed out of MEMORY.md or USER.md, one JSON line each.

Memory stays small because the prompt pays for it on every request; what no longer fits
is kept here instead of lost. :class:`ArchiveSearch` answers keyword queries over it
cheaply (a parsed copy is cached until the file changes), so recall before a turn can
bring an archived fact back when the user's message is about it.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from .entries import fingerprint
from .layout import FILE_NAMES


class ArchiveRecord(BaseModel):
    """One archived entry."""

    model_config = ConfigDict(extra="ignore")

    text: str
    target: Literal["memory", "user"]
    reason: Literal["removed", "replaced", "evicted"]
    archived_at: float
    replaced_by: str | None = None
    session_id: str | None = None

    def describe(self) -> str:
        """The entry with where it came from, as shown to the model."""
        when = time.strftime("%Y-%m-%d", time.localtime(self.archived_at))
        origin = f"archived from {FILE_NAMES[self.target]} on {when}, {self.reason}"
        if self.replaced_by:
            # An outdated fact must not read as current: say what superseded it.
            flat = " ".join(self.replaced_by.split())
            origin += f" by: {flat[:120] + '…' if len(flat) > 120 else flat}"
        return f"{self.text} ({origin})"


_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STOPWORDS = frozenset(
    "a an and are as at be but by do does did for from had has have he her his how i if in into is it its "
    "me my no not of on or our she so than that the their them then there these they this to was we were "
    "what when where which who why will with you your".split()
)


def words(text: str) -> set[str]:
    """The searchable words of ``text``: lower case, no stop words, plural ``s`` dropped."""
    found = set()
    for word in _WORD.findall(text.casefold()):
        if len(word) < 2 or word in _STOPWORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        found.add(word)
    return found


def read_records(path: Path) -> list[ArchiveRecord]:
    """Every readable record of an archive file; a torn or foreign line is skipped."""
    records = []
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError:
        return []
    with handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                records.append(ArchiveRecord.model_validate(json.loads(line)))
            except (ValueError, ValidationError):
                continue
    return records


@dataclass
class _Parsed:
    stamp: tuple[int, int]
    records: list[ArchiveRecord]
    word_sets: list[set[str]]
    document_frequency: dict[str, int] = field(default_factory=dict)


class ArchiveSearch:
    """Keyword search over archive files, re-reading a file only when it changed."""

    #: Share of the query's weight a record must match to be returned.
    min_score = 0.2

    def __init__(self) -> None:
        self._cache: dict[Path, _Parsed] = {}
        self._lock = threading.Lock()

    def _parsed(self, path: Path) -> _Parsed | None:
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            cached = self._cache.get(path)
            if cached is not None and cached.stamp == stamp:
                return cached
        records = read_records(path)
        word_sets = [words(r.text) for r in records]
        frequency: dict[str, int] = {}
        for found in word_sets:
            for word in found:
                frequency[word] = frequency.get(word, 0) + 1
        parsed = _Parsed(stamp, records, word_sets, frequency)
        with self._lock:
            self._cache[path] = parsed
        return parsed

    def search(self, path: Path, query: str, *, limit: int = 5, exclude: set[str] | None = None) -> list[tuple[float, ArchiveRecord]]:
        """The best matches for ``query``, best first, as ``(score, record)`` pairs.

        ``score`` is the share of the query's word weight (rarer words weigh more) that the
        record contains. ``exclude`` holds fingerprints of entries to leave out (those
        still in the files). Of several archived copies of one text the newest wins.
        """
        wanted = words(query)
        parsed = self._parsed(path)
        if not wanted or parsed is None or not parsed.records or limit <= 0:
            return []
        total = len(parsed.records)

        def weight(word: str) -> float:
            return math.log(1 + total / (parsed.document_frequency.get(word, 0) + 1)) + 0.1

        query_weight = sum(weight(w) for w in wanted)
        best: dict[str, tuple[float, int, ArchiveRecord]] = {}
        for position, (record, found) in enumerate(zip(parsed.records, parsed.word_sets, strict=True)):
            common = wanted & found
            if not common:
                continue
            score = sum(weight(w) for w in common) / query_weight
            if score < self.min_score:
                continue
            key = fingerprint(record.text)
            if exclude and key in exclude:
                continue
            if key not in best or position > best[key][1]:
                best[key] = (score, position, record)
        ranked = sorted(best.values(), key=lambda item: (-item[0], -item[1]))
        return [(round(score, 4), record) for score, _, record in ranked[:limit]]
