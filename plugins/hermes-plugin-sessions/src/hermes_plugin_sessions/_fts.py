"""What people and models type, turned into an FTS5 query that cannot fail to parse.

Supported: words (all must match), ``"exact phrases"``, ``prefix*`` and ``OR`` between
alternatives. Everything else is literal text: each word or phrase becomes an FTS5 string
(``"..."`` with inner quotes doubled), so ``AND``, ``NOT``, ``NEAR``, ``col:``, ``(``, ``^``
and stray quotes are searched for, never parsed as syntax. Words with punctuation inside
(``docker-compose.yml``) become phrases of their parts, the way the index split them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A prefix must keep at least this many characters of its last word: ``a*`` would expand
#: to every word starting with "a" and scan most of the index.
MIN_PREFIX = 3

# Letters and digits: what the unicode61 tokenizer keeps (underscore separates words).
_WORD = re.compile(r"[^\W_]+")
_ITEM = re.compile(r'"([^"]*)("?)(\*?)|(\S+)')


@dataclass(frozen=True)
class _Term:
    text: str
    prefix: bool

    def render(self) -> str:
        # The text goes to FTS5 as one string, so its tokenizer splits it exactly as it
        # split the indexed text; only the quote character needs escaping inside.
        quoted = '"' + self.text.replace('"', '""') + '"'
        if self.prefix and len(_WORD.findall(self.text)[-1]) >= MIN_PREFIX:
            return quoted + "*"
        return quoted


def to_match(query: str) -> str | None:
    """The FTS5 MATCH expression for ``query``, or None when it holds nothing searchable."""
    groups: list[list[_Term]] = [[]]
    # FTS5 reads the expression as a C string: a NUL would end it mid-quote.
    query = (query or "").replace("\x00", " ")
    for match in _ITEM.finditer(query):
        phrase, _closing, star, bare = match.groups()
        if bare is not None:
            if bare == "OR":
                if groups[-1]:
                    groups.append([])
                continue
            prefix = bare.endswith("*")
            text = bare.rstrip("*")
        else:
            prefix, text = bool(star), phrase
        if _WORD.search(text):
            groups[-1].append(_Term(text, prefix))
    groups = [g for g in groups if g]
    if not groups:
        return None
    rendered = [" ".join(term.render() for term in group) for group in groups]
    if len(rendered) == 1:
        return rendered[0]
    return " OR ".join(f"({part})" for part in rendered)
