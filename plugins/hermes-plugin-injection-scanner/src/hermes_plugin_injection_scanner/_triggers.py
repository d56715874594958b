"""Finding the rules' trigger literals in a document, fast.

Every rule runs only near its triggers, so the scanner needs every trigger's positions.
One ``str.find`` pass per trigger would read the document hundreds of times; instead the
document is split into words once, and each trigger is looked up through its *anchor*,
its longest run of letters and digits. The anchor must start a word in the document
(``"ignor"`` finds "ignore" and "ignoring", not "zignoruj"); the whole trigger is then
checked at each candidate. Triggers with no usable anchor (``"<|"``, ``"$("``) and
non-ASCII ones (Chinese, Russian) fall back to ``str.find``.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

_SPLIT_RE = re.compile(r"([a-z0-9]+)")
_RUN_RE = re.compile(r"[a-z0-9]+")
_KEY_LEN = 8
_MIN_ANCHOR = 2


@dataclass(frozen=True)
class Trigger:
    """A trigger literal and how to look it up."""

    text: str
    #: Longest run of ``[a-z0-9]`` in ``text`` (empty: use str.find).
    anchor: str
    #: Where the anchor starts inside ``text``.
    offset: int


def make_trigger(text: str) -> Trigger:
    """Pick a trigger's anchor."""
    if not text.isascii():
        return Trigger(text, "", 0)
    runs = list(_RUN_RE.finditer(text))
    best = max(runs, key=lambda m: len(m.group()), default=None)
    if best is None or len(best.group()) < _MIN_ANCHOR:
        return Trigger(text, "", 0)
    return Trigger(text, best.group(), best.start())


@dataclass
class TriggerTable:
    """All triggers of a scanner, indexed by the first characters of their anchors."""

    by_key: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, triggers: list[Trigger]) -> TriggerTable:
        table = cls()
        for anchor in {t.anchor for t in triggers if t.anchor}:
            table.by_key.setdefault(anchor[:_KEY_LEN], []).append(anchor)
        return table


class TriggerScan:
    """One document's trigger positions, computed on demand and cached."""

    def __init__(self, view: str, table: TriggerTable) -> None:
        self.view = view
        self._table = table
        self._found: dict[str, list[int]] = {}
        self._anchor_words: dict[str, list[str]] | None = None
        self._word_positions: dict[str, list[int]] = {}
        self._anchor_positions: dict[str, list[int]] = {}
        self._chars: set[str] | None = None

    def _index(self) -> None:
        # split() with a capturing group alternates separators and words; the running sum
        # of piece lengths gives every word's offset without a Python-level regex loop.
        pieces = _SPLIT_RE.split(self.view)
        words = pieces[1::2]
        starts = list(itertools.accumulate(map(len, pieces)))[0::2]
        by_key = self._table.by_key
        anchor_words: dict[str, list[str]] = {}
        for word in set(words):
            for k in range(1, min(len(word), _KEY_LEN) + 1):
                for anchor in by_key.get(word[:k], ()):
                    if word.startswith(anchor):
                        anchor_words.setdefault(anchor, []).append(word)
        wanted = {w for ws in anchor_words.values() for w in ws}
        positions: dict[str, list[int]] = {}
        if wanted:
            for word, start in zip(words, starts):
                if word in wanted:
                    positions.setdefault(word, []).append(start)
        self._anchor_words, self._word_positions = anchor_words, positions

    def _find_all(self, text: str) -> list[int]:
        found = []
        i = self.view.find(text)
        while i != -1:
            found.append(i)
            i = self.view.find(text, i + 1)
        return found

    def present_anchors(self) -> set[str]:
        """Every anchor that starts a word of the document."""
        if self._anchor_words is None:
            self._index()
        return set(self._anchor_words)  # type: ignore[arg-type]

    def contains(self, literal: str) -> bool:
        """Whether a trigger without an anchor occurs (a plain substring test)."""
        if not literal.isascii():
            if self._chars is None:
                self._chars = set(self.view)
            if not set(literal) <= self._chars:
                return False
        return literal in self.view

    def present(self, trigger: Trigger) -> bool:
        """Cheap test: could ``trigger`` occur at all?"""
        if trigger.anchor:
            if self._anchor_words is None:
                self._index()
            return trigger.anchor in self._anchor_words  # type: ignore[operator]
        return bool(self.positions(trigger))

    def positions(self, trigger: Trigger) -> list[int]:
        """Where the trigger occurs in the view, in order."""
        found = self._found.get(trigger.text)
        if found is not None:
            return found
        if not trigger.anchor:
            if not trigger.text.isascii():
                if self._chars is None:
                    self._chars = set(self.view)
                found = self._find_all(trigger.text) if set(trigger.text) <= self._chars else []
            else:
                found = self._find_all(trigger.text)
        else:
            if self._anchor_words is None:
                self._index()
            anchor = trigger.anchor
            starts = self._anchor_positions.get(anchor)
            if starts is None:
                words = self._anchor_words.get(anchor, ())  # type: ignore[union-attr]
                starts = sorted(itertools.chain.from_iterable(self._word_positions[w] for w in words))
                self._anchor_positions[anchor] = starts
            view, text, offset = self.view, trigger.text, trigger.offset
            found = [p - offset for p in starts if p >= offset and view.startswith(text, p - offset)]
        self._found[trigger.text] = found
        return found
