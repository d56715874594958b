"""What people and models type, turned into an FTS5 query that cannot fail to parse.

Supported: words (all must match), ``"exact phrases"``, ``prefix*`` and ``OR`` between
alternatives. Common English words ("the", "for", "is", ...) written as separate words
are left out when other words remain: they match most messages, and bm25 would weigh
each one by counting every message that holds it. Inside "quotes" they count. Everything else is literal text: each word or phrase becomes an FTS5 string
(``"..."`` with inner quotes doubled), so ``AND``, ``NOT``, ``NEAR``, ``col:``, ``(``, ``^``
and stray quotes are searched for, never parsed as syntax. Words with punctuation inside
(``docker-compose.yml``) become phrases of their parts, the way the index split them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

#: A prefix must keep at least this many characters of its last word: ``a*`` would expand
#: to every word starting with "a" and scan most of the index.
MIN_PREFIX = 3

#: Words too common to search for on their own (dropped unless nothing else is left).
STOPWORDS = frozenset("""
a an and are as at be but by can could did do does for from had has have how i if in into is it its
me my no not of on or our so than that the their them then there these they this to was we were
what when where which who why will with would you your
""".split())

# Letters and digits: what the unicode61 tokenizer keeps (underscore separates words).
WORD = re.compile(r"[^\W_]+")
_ITEM = re.compile(r'"([^"]*)("?)(\*?)|(\S+)')


def fold(word: str) -> str:
    """A word as the index keeps it: case-folded, without diacritics."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Term:
    """A word or a phrase of the query; ``prefix`` applies to its last word."""

    text: str
    prefix: bool
    quoted: bool = False

    @property
    def words(self) -> list[str]:
        return [fold(w) for w in WORD.findall(self.text)]

    @property
    def expands(self) -> bool:
        """Whether FTS5 will expand the last word as a prefix."""
        return self.prefix and len(WORD.findall(self.text)[-1]) >= MIN_PREFIX

    def render(self) -> str:
        # The text goes to FTS5 as one string, so its tokenizer splits it exactly as it
        # split the indexed text; only the quote character needs escaping inside.
        quoted = '"' + self.text.replace('"', '""') + '"'
        return quoted + "*" if self.expands else quoted


@dataclass(frozen=True)
class Query:
    """A parsed query: alternatives (OR) of groups of terms that must all match."""

    groups: list[list[Term]] = field(default_factory=list)

    @property
    def match(self) -> str:
        """The FTS5 MATCH expression."""
        rendered = [" ".join(term.render() for term in group) for group in self.groups]
        if len(rendered) == 1:
            return rendered[0]
        return " OR ".join(f"({part})" for part in rendered)

    @property
    def has_prefix(self) -> bool:
        return any(term.expands for group in self.groups for term in group)

    @property
    def terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]


def parse(query: str) -> Query | None:
    """The parsed ``query``, or None when it holds nothing searchable."""
    groups: list[list[Term]] = [[]]
    # FTS5 reads the expression as a C string: a NUL would end it mid-quote.
    query = (query or "").replace("\x00", " ")
    for match in _ITEM.finditer(query):
        phrase, _closing, star, bare = match.groups()
        if bare is not None:
            if bare == "OR":
                if groups[-1]:
                    groups.append([])
                continue
            prefix, text, quoted = bare.endswith("*"), bare.rstrip("*"), False
        else:
            prefix, text, quoted = bool(star), phrase, True
        if WORD.search(text):
            groups[-1].append(Term(text, prefix, quoted))
    groups = [_without_stopwords(g) for g in groups if g]
    return Query(groups) if groups else None


def _without_stopwords(group: list[Term]) -> list[Term]:
    kept = [t for t in group if t.prefix or t.quoted or fold(t.text) not in STOPWORDS]
    return kept or group


def to_match(query: str) -> str | None:
    """The FTS5 MATCH expression for ``query``, or None when it holds nothing searchable."""
    parsed = parse(query)
    return parsed.match if parsed else None
