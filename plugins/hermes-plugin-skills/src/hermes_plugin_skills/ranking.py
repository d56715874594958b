"""Full-text ranking of skills: a small BM25 over weighted fields, standard library only.

Each skill becomes a bag of weighted terms (name x3, description x2, tags and category
x2, the first part of the body x1). The same tokenizer reads the query, so a light
suffix stripper ("deploying" -> "deploy", "tests" -> "test") is enough to match word
forms. Term bags are cached with the catalog, so ranking 1,000 skills costs a few
milliseconds.
"""

from __future__ import annotations

import math
import re
from collections import Counter

#: Bumped when tokenization changes, so cached term bags are rebuilt.
TOKENIZER_VERSION = 1
BODY_CHARS = 6000
FIELD_WEIGHTS = {"name": 3.0, "description": 2.0, "tags": 2.0, "body": 1.0}

_WORD = re.compile(r"[^\W_]+")
_STOP = frozenset(
    """a an and any are as at be been but by can could do does done for from get got had has have how
    i if in into is it its just let like make may me might my no not of on one or our out over own
    please should so some such than that the their them then there these they this those to too up
    us use used using via want was we were what when where which while who why will with would you
    your yours also about after all before each other more most very only same new""".split()
)


def stem(word: str) -> str:
    """Strip a common English suffix; both skills and queries go through the same rule."""
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith(("ies", "ied")):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lower-case word stems of ``text`` without stop words and one-letter words."""
    out = []
    for word in _WORD.findall(text.lower()):
        if len(word) < 2 or word in _STOP:
            continue
        out.append(stem(word))
    return out


def weighted_terms(fields: dict[str, str]) -> dict[str, float]:
    """A term bag: each field's tokens counted with the field's weight."""
    bag: Counter[str] = Counter()
    for field, text in fields.items():
        weight = FIELD_WEIGHTS.get(field, 1.0)
        if field == "body":
            text = text[:BODY_CHARS]
        for token in tokenize(text):
            bag[token] += weight
    return {term: round(value, 2) for term, value in bag.items()}


def query_terms(*parts: tuple[str, float]) -> dict[str, float]:
    """A query from ``(text, weight)`` parts (the request counts more than file names)."""
    terms: dict[str, float] = {}
    for text, weight in parts:
        for token in tokenize(text):
            terms[token] = max(terms.get(token, 0.0), weight)
    return terms


class SearchIndex:
    """BM25 over term bags keyed by skill name."""

    def __init__(self, docs: dict[str, dict[str, float]], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.lengths = {name: sum(bag.values()) for name, bag in docs.items()}
        self.average = (sum(self.lengths.values()) / len(self.lengths)) if self.lengths else 1.0
        self.postings: dict[str, list[tuple[str, float]]] = {}
        for name, bag in docs.items():
            for term, tf in bag.items():
                self.postings.setdefault(term, []).append((name, tf))
        count = len(docs)
        self.idf = {
            term: math.log(1 + (count - len(post) + 0.5) / (len(post) + 0.5)) for term, post in self.postings.items()
        }

    def scores(self, query: dict[str, float]) -> dict[str, float]:
        """Every matching skill's score (only skills sharing a term appear)."""
        out: dict[str, float] = {}
        for term, weight in query.items():
            postings = self.postings.get(term)
            if not postings:
                continue
            idf = self.idf[term]
            for name, tf in postings:
                norm = self.k1 * (1 - self.b + self.b * self.lengths[name] / (self.average or 1.0))
                out[name] = out.get(name, 0.0) + weight * idf * tf * (self.k1 + 1) / (tf + norm)
        return out

    def search(self, query: dict[str, float], limit: int = 10) -> list[tuple[str, float]]:
        """The best ``limit`` skills for ``query``, best first (ties by name)."""
        ranked = sorted(self.scores(query).items(), key=lambda item: (-item[1], item[0]))
        return ranked[:limit]


def cosine(a: dict[str, float], b: dict[str, float], idf: dict[str, float]) -> float:
    """Cosine similarity of two term bags weighted by ``idf`` (for near-duplicate checks)."""
    if not a or not b:
        return 0.0
    dot = sum(a[t] * b[t] * idf.get(t, 1.0) ** 2 for t in a.keys() & b.keys())
    if not dot:
        return 0.0
    norm_a = math.sqrt(sum((v * idf.get(t, 1.0)) ** 2 for t, v in a.items()))
    norm_b = math.sqrt(sum((v * idf.get(t, 1.0)) ** 2 for t, v in b.items()))
    return dot / (norm_a * norm_b) if norm_a and norm_b else 0.0
