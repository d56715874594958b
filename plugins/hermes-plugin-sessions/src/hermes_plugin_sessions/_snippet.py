"""Snippets of a matching message, made in Python from the text already fetched.

FTS5's own ``snippet()`` runs the query a second time, and a ``prefix*`` query expands
its prefix again each time: at a million messages that doubled the cost of a search. The
text of the few hits is at hand anyway, so the snippet is cut here: words are split and
folded the way the index does it (letters and digits, case-folded, no diacritics), the
window of ``size`` words holding the most query words wins, and matches are in
``**bold**``.
"""

from __future__ import annotations

from ._fts import WORD, Query, fold

ELLIPSIS = " … "


def _matches(words: list[str], query: Query) -> list[int]:
    """Indexes of the words that match some term of the query (phrases as a whole)."""
    hits: set[int] = set()
    for term in query.terms:
        wanted = term.words
        if not wanted:
            continue
        last = len(wanted) - 1
        for start in range(len(words) - last):
            for offset, word in enumerate(wanted):
                candidate = words[start + offset]
                if offset == last and term.expands:
                    if not candidate.startswith(word):
                        break
                elif candidate != word:
                    break
            else:
                hits.update(range(start, start + len(wanted)))
    return sorted(hits)


def snippet(texts: list[str], query: Query, size: int = 24) -> str:
    """The best window of ``size`` words among ``texts`` (message text, tool calls)."""
    best: tuple[int, str] | None = None
    for text in texts:
        if not text:
            continue
        spans = [(m.start(), m.end()) for m in WORD.finditer(text)]
        if not spans:
            continue
        folded = [fold(text[a:b]) for a, b in spans]
        hits = _matches(folded, query)
        if not hits and best is not None:
            continue
        first = _best_window(hits, size)
        last = min(first + size, len(spans)) - 1
        marked = set(hits)
        out = [ELLIPSIS.lstrip() if first > 0 else ""]
        cursor = spans[first][0] if first > 0 else 0
        for index in range(first, last + 1):
            a, b = spans[index]
            out.append(text[cursor:a])
            out.append(f"**{text[a:b]}**" if index in marked else text[a:b])
            cursor = b
        if last < len(spans) - 1:
            out.append(ELLIPSIS.rstrip())
        else:
            out.append(text[cursor:])
        candidate = " ".join(("".join(out)).split())
        score = len(hits)
        if best is None or score > best[0]:
            best = (score, candidate)
    return best[1] if best else ""


def _best_window(hits: list[int], size: int) -> int:
    """The first word of the window of ``size`` words covering the most hits, starting a
    few words before its first hit so the match has some lead-in."""
    if not hits:
        return 0
    best_start, best_count = hits[0], 0
    j = 0
    for i, start in enumerate(hits):
        while j < len(hits) and hits[j] < start + size:
            j += 1
        if j - i > best_count:
            best_start, best_count = start, j - i
    return max(0, best_start - min(4, size // 4))
