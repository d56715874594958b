"""Low-level shell text scanning: where a quote, a ``$(...)`` or a ``${...}`` ends.

Both the fallback tokenizer and the word expander need to step over quoted and nested
constructs without understanding them; these functions do only that. Each takes the
index just after the opening characters and returns ``(end, closed)``: the index just
after the closing characters, and whether they were found (an unterminated construct
runs to the end of the text).
"""

from __future__ import annotations


def skip_single(s: str, i: int) -> tuple[int, bool]:
    """After ``'``: to just past the closing ``'`` (no escapes inside)."""
    j = s.find("'", i)
    if j < 0:
        return len(s), False
    return j + 1, True


def _skip_escaped(s: str, i: int, close: str) -> tuple[int, bool]:
    """To just past the next unescaped ``close`` (backslash escapes skipped)."""
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == close:
            return i + 1, True
        i += 1
    return n, False


def skip_ansi(s: str, i: int) -> tuple[int, bool]:
    """After ``$'``: to just past the closing ``'`` (backslash escapes inside)."""
    return _skip_escaped(s, i, "'")


def skip_backtick(s: str, i: int) -> tuple[int, bool]:
    """After a backtick: to just past the closing one."""
    return _skip_escaped(s, i, "`")


def skip_double(s: str, i: int) -> tuple[int, bool]:
    """After ``"``: to just past the closing ``"``, stepping over ``$(...)``, ``${...}``
    and backticks, which may themselves contain quotes."""
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == '"':
            return i + 1, True
        if c == "$" and i + 1 < n and s[i + 1] in "({":
            i, closed = (skip_paren if s[i + 1] == "(" else skip_brace)(s, i + 2)
            if not closed:
                return n, False
            continue
        if c == "`":
            i, closed = skip_backtick(s, i + 1)
            if not closed:
                return n, False
            continue
        i += 1
    return n, False


def skip_paren(s: str, i: int) -> tuple[int, bool]:
    """After ``(`` (of ``$(``, ``<(``, a subshell or an array): to just past the matching
    ``)``, stepping over quotes, nested substitutions and comments."""
    n = len(s)
    depth = 1
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "'":
            i, closed = skip_single(s, i + 1)
        elif c == '"':
            i, closed = skip_double(s, i + 1)
        elif c == "`":
            i, closed = skip_backtick(s, i + 1)
        elif c == "$" and i + 1 < n and s[i + 1] == "'":
            i, closed = skip_ansi(s, i + 2)
        elif c == "$" and i + 1 < n and s[i + 1] == "{":
            i, closed = skip_brace(s, i + 2)
        elif c == "#" and (i == 0 or s[i - 1] in " \t\n;(|&"):
            j = s.find("\n", i)
            i = n if j < 0 else j
            continue
        else:
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    return i + 1, True
            i += 1
            continue
        if not closed:
            return n, False
    return n, False


def skip_brace(s: str, i: int) -> tuple[int, bool]:
    """After ``${``: to just past the matching ``}``."""
    n = len(s)
    depth = 1
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "'":
            i, closed = skip_single(s, i + 1)
        elif c == '"':
            i, closed = skip_double(s, i + 1)
        elif c == "`":
            i, closed = skip_backtick(s, i + 1)
        elif c == "$" and i + 1 < n and s[i + 1] == "(":
            i, closed = skip_paren(s, i + 2)
        else:
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    return i + 1, True
            i += 1
            continue
        if not closed:
            return n, False
    return n, False
