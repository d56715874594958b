"""Glob patterns over ``/``-separated paths, translated to regular expressions.

One translator serves ``.gitignore`` rules and the ``file_glob`` and name patterns of
``search_files``: ``*`` and ``?`` stop at ``/``, ``**`` spans folders (``**/x``, ``x/**``,
``a/**/b``), ``[...]`` is a character class (``[!...]`` negated), ``\\`` escapes, and, for
search patterns only, ``{a,b}`` picks one of several alternatives.
"""

from __future__ import annotations

import re

_GLOB_CHARS = frozenset("*?[{")


def has_magic(pattern: str) -> bool:
    """Whether ``pattern`` uses any glob syntax at all."""
    return any(c in _GLOB_CHARS for c in pattern)


def translate(pattern: str, *, braces: bool = False) -> str:
    """The regex source (without anchors) matching what ``pattern`` matches."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            j = i
            while j < n and pattern[j] == "*":
                j += 1
            at_start = i == 0 or pattern[i - 1] == "/"
            if j - i >= 2 and at_start and j < n and pattern[j] == "/":
                out.append("(?:.*/)?")  # "**/": zero or more folders
                i = j + 1
                continue
            if j - i >= 2 and at_start and j == n:
                out.append(".*")  # trailing "/**": everything inside
                i = j
                continue
            out.append("[^/]*")
            i = j
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            cls, i = _char_class(pattern, i)
            out.append(cls)
        elif c == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
        elif c == "{" and braces:
            close = pattern.find("}", i)
            if close == -1:
                out.append(re.escape(c))
                i += 1
                continue
            options = pattern[i + 1:close].split(",")
            out.append("(?:" + "|".join(translate(o) for o in options) + ")")
            i = close + 1
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


def _char_class(pattern: str, i: int) -> tuple[str, int]:
    """Translate ``[...]`` starting at ``i``; a ``[`` without its ``]`` is literal."""
    j = i + 1
    negate = j < len(pattern) and pattern[j] in "!^"
    if negate:
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1  # a leading "]" is part of the set
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    if j >= len(pattern):
        return re.escape("["), i + 1
    parts = []
    k = i + 1 + (1 if negate else 0)
    while k < j:
        ch = pattern[k]
        if ch == "\\" and k + 1 < j:
            parts.append(re.escape(pattern[k + 1]))
            k += 2
        else:
            parts.append("\\" + ch if ch in "\\^[]" else ch)
            k += 1
    body = "".join(parts)
    return ("[^/" + body + "]" if negate else "[" + body + "]"), j + 1


def compile_glob(pattern: str, *, ignore_case: bool = False) -> tuple[re.Pattern[str], bool]:
    """A search glob as a regex, and whether it matches whole paths (it has a ``/``)
    rather than file names."""
    by_path = "/" in pattern.strip("/")
    source = "^" + translate(pattern.strip("/") if by_path else pattern, braces=True) + "$"
    return re.compile(source, re.IGNORECASE if ignore_case else 0), by_path


class FileFilter:
    """``search_files``'s ``file_glob``: a name glob (``*.py``), a path glob relative to
    the searched folder (``src/**/*.ts``), either negated with a leading ``!``."""

    def __init__(self, glob: str) -> None:
        text = glob.strip()
        self.negated = text.startswith("!")
        self.glob = text[1:] if self.negated else text
        self.regex, self.by_path = compile_glob(self.glob)

    def matches(self, rel: str) -> bool:
        """Whether the file at ``rel`` (relative to the searched folder) is searched."""
        name = rel if self.by_path else rel.rsplit("/", 1)[-1]
        return bool(self.regex.match(name)) != self.negated
