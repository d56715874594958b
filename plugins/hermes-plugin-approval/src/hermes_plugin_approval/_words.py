"""Word expansion, as bash does it, as far as it can be done without running anything.

Brace expansion, tilde expansion, quote removal (``''``, ``""``, ``\\``, ``$'...'`` with
its escapes), parameter expansion with the common operators (``${X:-y}``, ``${X:1:2}``,
``${X//a/b}``, ``${!X}``...), command and process substitution (through a callback, so
the analyzer judges what runs inside and says what it prints), and field splitting on
``$IFS``. What cannot be known stays visible as written and marks the word dynamic.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from typing import Protocol

from ._records import Arg, ShellState, Stream
from ._scan import skip_ansi, skip_backtick, skip_brace, skip_double, skip_paren, skip_single

_PLAIN = re.compile(r"^[A-Za-z0-9_./:=@%+,-]+$")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ARRAY_ALL = re.compile(r"^(?:([A-Za-z_][A-Za-z0-9_]*)\[[@*]\]|([@*]))$")
_SEQUENCE = re.compile(r"^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(\.\.(-?\d+))?$")
_MAX_BRACE_RESULTS = 64
_MAX_BRACE_WORK = 2000
_MAX_BRACE_WORD = 2000
_SUBST_SHOWN = 40

_QUOTED, _SPLIT, _DYNAMIC = 1, 2, 4


class Substituter(Protocol):
    """The analyzer's side of command and process substitution."""

    def substitute(self, source: str) -> Stream:
        """Judge the commands in ``$(source)`` and return what they print."""
        ...

    def process(self, source: str) -> Stream:
        """Judge the commands in ``<(source)`` and return what they print."""
        ...


class _Piece:
    __slots__ = ("text", "flags", "taint", "stream")

    def __init__(self, text: str, flags: int = 0, taint: str | None = None, stream: Stream | None = None):
        self.text, self.flags, self.taint, self.stream = text, flags, taint, stream


# ---------------------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------------------


def expand_word(raw: str, state: ShellState, subst: Substituter, *, assignment: bool = False) -> list[Arg]:
    """The fields ``raw`` expands to (none, one, or several)."""
    if _PLAIN.match(raw):
        return [Arg(text=raw, raw=raw, bare=raw)]
    out: list[Arg] = []
    for variant in brace_expand(raw):
        out.extend(_fields(_pieces(variant, state, subst, assignment=assignment), state, raw))
    return out


def expand_joined(raw: str, state: ShellState, subst: Substituter) -> Arg:
    """``raw`` expanded as one string without splitting (an assignment's value)."""
    pieces = _pieces(raw, state, subst, assignment=True)
    for piece in pieces:
        piece.flags &= ~_SPLIT
    fields = _fields(pieces, state, raw, keep_empty=True)
    return fields[0] if fields else Arg(text="", raw=raw)


def expand_heredoc(body: str, state: ShellState, subst: Substituter) -> tuple[str, bool]:
    """An unquoted here-document body with ``$`` and backtick expansions done, as inside
    double quotes. Returns the text and whether any part is unknown."""
    pieces = _pieces(body, state, subst, double_quoted=True)
    return "".join(p.text for p in pieces), any(p.flags & _DYNAMIC for p in pieces)


def decode_ansi_c(body: str) -> str:
    """The value of ``$'body'``: backslash escapes decoded."""
    out: list[str] = []
    i, n = 0, len(body)
    simple = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r",
              "t": "\t", "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}
    while i < n:
        c = body[i]
        if c != "\\" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        e = body[i + 1]
        if e in simple:
            out.append(simple[e])
            i += 2
        elif e in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            assert m is not None
            out.append(chr(int(m.group(), 8) & 0xFF))
            i += 1 + len(m.group())
        elif e in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[e]
            m = re.match(r"[0-9A-Fa-f]{1,%d}" % width, body[i + 2:])
            if m is None:
                out.append("\\" + e)
                i += 2
            else:
                out.append(chr(min(int(m.group(), 16), 0x10FFFF)))
                i += 2 + len(m.group())
        elif e == "c" and i + 2 < n:
            out.append(chr(ord(body[i + 2]) & 0x1F))
            i += 3
        else:
            out.append("\\" + e)
            i += 2
    return "".join(out)


# ---------------------------------------------------------------------------------------
# Brace expansion
# ---------------------------------------------------------------------------------------


def _active(raw: str) -> list[bool]:
    """Which characters are unquoted and outside substitutions (brace syntax counts only
    there)."""
    n = len(raw)
    active = [False] * n
    i = 0
    while i < n:
        c = raw[i]
        if c == "\\":
            i += 2
            continue
        if c == "'":
            i = skip_single(raw, i + 1)[0]
        elif c == '"':
            i = skip_double(raw, i + 1)[0]
        elif c == "`":
            i = skip_backtick(raw, i + 1)[0]
        elif c == "$" and i + 1 < n and raw[i + 1] in "({'\"":
            nxt = raw[i + 1]
            if nxt == "(":
                i = skip_paren(raw, i + 2)[0]
            elif nxt == "{":
                i = skip_brace(raw, i + 2)[0]
            elif nxt == "'":
                i = skip_ansi(raw, i + 2)[0]
            else:
                i = skip_double(raw, i + 2)[0]
        else:
            active[i] = True
            i += 1
    return active


def _find_brace(raw: str, active: list[bool]) -> tuple[int, int, list[int]] | None:
    n = len(raw)
    for start in range(n):
        if raw[start] != "{" or not active[start]:
            continue
        depth = 0
        commas: list[int] = []
        for j in range(start, n):
            if not active[j]:
                continue
            ch = raw[j]
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    if commas or _SEQUENCE.match(raw[start + 1:j]):
                        return start, j, commas
                    break
            elif ch == "," and depth == 1:
                commas.append(j)
    return None


def _sequence(inner: str) -> list[str] | None:
    m = _SEQUENCE.match(inner)
    if m is None:
        return None
    a, b, step = m.group(1), m.group(2), abs(int(m.group(4) or 1)) or 1
    if a.lstrip("-").isdigit() and b.lstrip("-").isdigit():
        lo, hi = int(a), int(b)
        width = len(a) if a.startswith("0") and len(a) > 1 else 0
        rng = range(lo, hi + 1, step) if lo <= hi else range(lo, hi - 1, -step)
        return [str(v).zfill(width) for v in list(rng)[:_MAX_BRACE_RESULTS]]
    if len(a) == 1 and len(b) == 1 and not a.isdigit() and not b.isdigit():
        lo, hi = ord(a), ord(b)
        rng = range(lo, hi + 1, step) if lo <= hi else range(lo, hi - 1, -step)
        return [chr(v) for v in list(rng)[:_MAX_BRACE_RESULTS]]
    return None


def brace_expand(raw: str) -> list[str]:
    """``{a,b}`` and ``{1..3}`` expanded (unquoted braces only), at most 64 results."""
    if "{" not in raw or len(raw) > _MAX_BRACE_WORD:
        return [raw]
    results: list[str] = []
    pending = [raw]  # a stack: depth first, so complete words come out before the cap
    budget = _MAX_BRACE_WORK
    while pending and len(results) < _MAX_BRACE_RESULTS and budget > 0:
        budget -= 1
        word = pending.pop()
        found = _find_brace(word, _active(word))
        if found is None:
            results.append(word)
            continue
        start, end, commas = found
        prefix, suffix = word[:start], word[end + 1:]
        if commas:
            bounds = [start, *commas, end]
            alternatives = [word[bounds[k] + 1:bounds[k + 1]] for k in range(len(bounds) - 1)]
        else:
            alternatives = _sequence(word[start + 1:end]) or [word[start:end + 1]]
            if alternatives == [word[start:end + 1]]:
                results.append(word)
                continue
        pending.extend(reversed([prefix + alt + suffix for alt in alternatives[:_MAX_BRACE_RESULTS]]))
    return results or [raw]


# ---------------------------------------------------------------------------------------
# Expansion into pieces
# ---------------------------------------------------------------------------------------


def _lookup(name: str, state: ShellState) -> str | None:
    return state.env.get(name)


def _tilde(prefix: str, state: ShellState) -> str | None:
    user = prefix[1:]
    if user == "":
        return state.env.get("HOME", "~")
    if user == "+":
        return state.cwd or "."
    if user == "-" or not re.fullmatch(r"[A-Za-z0-9_.][A-Za-z0-9_.-]*", user):
        return None
    return "/root" if user == "root" else f"/home/{user}"


def _pieces(raw: str, state: ShellState, subst: Substituter, *, assignment: bool = False,
            double_quoted: bool = False) -> list[_Piece]:
    pieces: list[_Piece] = []
    add = pieces.append
    n = len(raw)
    i = 0
    base = _QUOTED if double_quoted else 0
    if not double_quoted and raw.startswith("~"):
        i = _tilde_at(raw, 0, state, pieces)
    while i < n:
        c = raw[i]
        if c == "\\":
            if double_quoted:
                nxt = raw[i + 1] if i + 1 < n else ""
                if nxt in ("$", "`", '"', "\\"):
                    add(_Piece(nxt, base))
                    i += 2
                elif nxt == "\n":
                    i += 2
                else:
                    add(_Piece("\\", base))
                    i += 1
                continue
            if i + 1 < n and raw[i + 1] != "\n":
                add(_Piece(raw[i + 1], _QUOTED))
            i += 2
        elif c == "'" and not double_quoted:
            end, _ = skip_single(raw, i + 1)
            add(_Piece(raw[i + 1:end - 1] if end <= n and raw[end - 1:end] == "'" else raw[i + 1:end], _QUOTED))
            i = end
        elif c == '"' and not double_quoted:
            end, closed = skip_double(raw, i + 1)
            inner = raw[i + 1:end - 1] if closed else raw[i + 1:end]
            inner_pieces = _pieces(inner, state, subst, double_quoted=True)
            pieces.extend(inner_pieces)
            if not inner_pieces:
                add(_Piece("", _QUOTED))
            i = end
        elif c == "`":
            end, closed = skip_backtick(raw, i + 1)
            inner = raw[i + 1:end - 1] if closed else raw[i + 1:end]
            inner = re.sub(r"\\([\\`$])", r"\1", inner)
            pieces.append(_command_piece(inner, subst, base))
            i = end
        elif c == "$" and i + 1 < n:
            i = _dollar(raw, i, state, subst, pieces, base)
        elif c in "<>" and not double_quoted and i + 1 < n and raw[i + 1] == "(":
            end, closed = skip_paren(raw, i + 2)
            inner = raw[i + 2:end - 1] if closed else raw[i + 2:end]
            stream = subst.process(inner)
            add(_Piece("/dev/fd/63", 0, None, stream if c == "<" else None))
            i = end
        elif assignment and not double_quoted and c in "=:" and raw.startswith("~", i + 1):
            add(_Piece(c, base))
            i = _tilde_at(raw, i + 1, state, pieces)
        else:
            j = i + 1
            while j < n and raw[j] not in "\\'\"`$<>=:":
                j += 1
            add(_Piece(raw[i:j], base))
            i = j
    return pieces


def _tilde_at(raw: str, i: int, state: ShellState, pieces: list[_Piece]) -> int:
    j = raw.find("/", i)
    j = len(raw) if j < 0 else j
    value = _tilde(raw[i:j], state)
    if value is None:
        pieces.append(_Piece(raw[i:j], 0))
    else:
        pieces.append(_Piece(value, _QUOTED))
    return j


def _command_piece(source: str, subst: Substituter, base: int) -> _Piece:
    stream = subst.substitute(source)
    if stream.kind in ("text", "empty"):
        return _Piece(stream.text().rstrip("\n"), base | _SPLIT)
    shown = source if len(source) <= _SUBST_SHOWN else source[:_SUBST_SHOWN] + "…"
    taint = stream.kind if stream.kind in ("remote", "decoded") else None
    return _Piece(f"$({shown})", base | _DYNAMIC, taint)


def _dollar(raw: str, i: int, state: ShellState, subst: Substituter, pieces: list[_Piece], base: int) -> int:
    nxt = raw[i + 1]
    if nxt == "(":
        end, closed = skip_paren(raw, i + 2)
        inner = raw[i + 2:end - 1] if closed else raw[i + 2:end]
        if inner.startswith("(") and inner.endswith(")"):  # $(( arithmetic ))
            pieces.append(_Piece(raw[i:end], base | _DYNAMIC))
        else:
            pieces.append(_command_piece(inner, subst, base))
        return end
    if nxt == "{":
        end, closed = skip_brace(raw, i + 2)
        inner = raw[i + 2:end - 1] if closed else raw[i + 2:end]
        every = _ARRAY_ALL.match(inner)
        if every is not None:
            pieces.append(_all_elements(every.group(1) or every.group(2), raw[i:end], state, base))
            return end
        value = _parameter(inner, state, subst)
        if value is None:
            pieces.append(_Piece(raw[i:end], base | _DYNAMIC))
        else:
            pieces.append(_Piece(value, base | _SPLIT))
        return end
    if nxt == "'" and not base & _QUOTED:
        end, closed = skip_ansi(raw, i + 2)
        body = raw[i + 2:end - 1] if closed else raw[i + 2:end]
        pieces.append(_Piece(decode_ansi_c(body), _QUOTED))
        return end
    if nxt == '"' and not base & _QUOTED:
        end, closed = skip_double(raw, i + 2)
        inner = raw[i + 2:end - 1] if closed else raw[i + 2:end]
        pieces.extend(_pieces(inner, state, subst, double_quoted=True) or [_Piece("", _QUOTED)])
        return end
    m = _NAME.match(raw, i + 1)
    if m is not None:
        name = m.group()
        value = _lookup(name, state)
        if value is None:
            pieces.append(_Piece("$" + name, base | _DYNAMIC))
        else:
            pieces.append(_Piece(value, base | _SPLIT))
        return m.end()
    if nxt.isdigit():
        value = _lookup(nxt, state)
        pieces.append(_Piece(value, base | _SPLIT) if value is not None else _Piece("$" + nxt, base | _DYNAMIC))
        return i + 2
    if nxt in "@*":
        pieces.append(_all_elements("@", "$" + nxt, state, base))
        return i + 2
    if nxt in "#?$!-":
        pieces.append(_Piece("$" + nxt, base | _DYNAMIC))
        return i + 2
    pieces.append(_Piece("$", base))
    return i + 1


def _all_elements(name: str, written: str, state: ShellState, base: int) -> _Piece:
    """``"${a[@]}"`` and ``"$@"``: every element, each its own word even inside quotes
    (elements holding blanks are split too; that errs on the side of reading them)."""
    elements = state.arrays.get(name)
    if elements is None:
        return _Piece(written, base | _DYNAMIC)
    return _Piece(" ".join(elements), (base & ~_QUOTED) | _SPLIT)


def _word_value(word: str, state: ShellState, subst: Substituter) -> str:
    return "".join(p.text for p in _pieces(word, state, subst, assignment=True))


def _parameter(inner: str, state: ShellState, subst: Substituter) -> str | None:
    """The value of ``${inner}``, or None when it cannot be known."""
    if inner.startswith("#") and len(inner) > 1:
        value = _lookup(inner[1:], state)
        return None if value is None else str(len(value))
    if inner.startswith("!"):
        target = _lookup(inner[1:], state)
        return None if target is None else _lookup(target, state)
    m = _NAME.match(inner) or re.match(r"\d+", inner)
    if m is None:
        return None
    name, rest = m.group(), inner[m.end():]
    value = _lookup(name, state)
    index = re.match(r"\[(\d+)\]", rest)
    if index is not None:
        elements = state.arrays.get(name)
        k = int(index.group(1))
        value = elements[k] if elements is not None and k < len(elements) else None
        rest = rest[index.end():]
    if rest == "":
        return value
    for op in (":-", ":=", "-", "="):
        if rest.startswith(op):
            word = rest[len(op):]
            if value is None or (op.startswith(":") and value == ""):
                result = _word_value(word, state, subst)
                if "=" in op:
                    state.env[name] = result
                return result
            return value
    if rest.startswith(":+") or rest.startswith("+"):
        if value is None:
            return None
        return _word_value(rest[2 if rest.startswith(":") else 1:], state, subst) if value else ""
    if value is None:
        return None
    return _operate(value, rest, state, subst)


def _operate(value: str, rest: str, state: ShellState, subst: Substituter) -> str | None:
    if rest.startswith(":?") or rest.startswith("?"):
        return value
    m = re.fullmatch(r":\s*(-?\d+)(?::\s*(-?\d+))?", rest)
    if m:
        offset = int(m.group(1))
        start = offset if offset >= 0 else max(0, len(value) + offset)
        if m.group(2) is None:
            return value[start:]
        length = int(m.group(2))
        end = start + length if length >= 0 else len(value) + length
        return value[start:end]
    for op, case in (("^^", str.upper), (",,", str.lower)):
        if rest == op:
            return case(value)
    if rest == "^":
        return value[:1].upper() + value[1:]
    if rest == ",":
        return value[:1].lower() + value[1:]
    m = re.fullmatch(r"(//|/#|/%|/)(.*?)(?:/(.*))?", rest, re.S)
    if m:
        mode, pattern, replacement = m.group(1), _word_value(m.group(2), state, subst), m.group(3) or ""
        replacement = _word_value(replacement, state, subst)
        return _replace(value, mode, pattern, replacement)
    for op in ("##", "#", "%%", "%"):
        if rest.startswith(op):
            return _strip(value, op, _word_value(rest[len(op):], state, subst))
    return None


def _glob_regex(pattern: str) -> str:
    return fnmatch.translate(pattern).removeprefix("(?s:").removesuffix(")\\Z")


def _replace(value: str, mode: str, pattern: str, replacement: str) -> str:
    if not pattern:
        return value
    regex = _glob_regex(pattern)
    if mode == "/#":
        return re.sub("^(?:" + regex + ")", lambda _: replacement, value, count=1)
    if mode == "/%":
        return re.sub("(?:" + regex + ")$", lambda _: replacement, value, count=1)
    return re.sub(regex, lambda _: replacement, value, count=0 if mode == "//" else 1)


def _strip(value: str, op: str, pattern: str) -> str:
    match: Callable[[str], bool] = lambda s: fnmatch.fnmatchcase(s, pattern)  # noqa: E731
    cuts = range(len(value) + 1)
    if op in ("#", "##"):
        order = cuts if op == "#" else reversed(cuts)
        for k in order:
            if match(value[:k]):
                return value[k:]
    else:
        order = reversed(cuts) if op == "%" else cuts
        for k in order:
            if match(value[k:]):
                return value[:k]
    return value


# ---------------------------------------------------------------------------------------
# Field splitting
# ---------------------------------------------------------------------------------------


def _fields(pieces: list[_Piece], state: ShellState, raw: str, *, keep_empty: bool = False) -> list[Arg]:
    ifs = state.env.get("IFS", " \t\n")
    splitter = re.compile("[" + re.escape(ifs) + "]+") if ifs else None
    fields: list[list[_Piece]] = []
    current: list[_Piece] = []
    for piece in pieces:
        if splitter is not None and piece.flags & _SPLIT and not piece.flags & (_QUOTED | _DYNAMIC):
            parts = splitter.split(piece.text)
            current.append(_Piece(parts[0], piece.flags, piece.taint))
            for part in parts[1:]:
                fields.append(current)
                current = [_Piece(part, piece.flags, piece.taint)]
        else:
            current.append(piece)
    fields.append(current)
    out = []
    for field in fields:
        if not keep_empty and not any(p.text or p.flags & (_QUOTED | _DYNAMIC) for p in field):
            continue
        out.append(_arg(field, raw))
    return out


def _arg(field: list[_Piece], raw: str) -> Arg:
    text = "".join(p.text for p in field)
    dynamic = any(p.flags & _DYNAMIC for p in field)
    bare = "".join(p.text for p in field if not p.flags & _DYNAMIC) if dynamic else text
    glob = any(not p.flags & _QUOTED and any(ch in p.text for ch in "*?[") for p in field)
    taint = next((p.taint for p in field if p.taint), None)
    stream = next((p.stream for p in field if p.stream is not None), None)
    return Arg(text=text, raw=raw, dynamic=dynamic, glob=glob, bare=bare,
               taint=taint, stream=stream)  # type: ignore[arg-type]
