"""The fallback tokenizer: shell text to words, operators, redirections and newlines.

It never fails. Whatever bash would reject (an unterminated quote, a stray ``)``) still
comes out as tokens, and ``Lexer.exact`` turns False so the analyzer knows the parse was
a guess. Here-document bodies are read at the newline that follows their operator, as
bash reads them.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from ._scan import skip_ansi, skip_backtick, skip_brace, skip_double, skip_paren, skip_single

TokenKind = Literal["word", "op", "redir", "newline", "line"]

# Longest first, so "&&" wins over "&" and "<<<" over "<<".
_OPERATORS = (";;&", "&>>", "<<<", "<<-", ";;", ";&", "&&", "||", "|&", "&>", ">>", ">|", ">&",
              "<<", "<&", "<>", ";", "&", "|", "(", ")", "<", ">")
_REDIRECTS = frozenset({"&>>", "<<<", "<<-", "&>", ">>", ">|", ">&", "<<", "<&", "<>", "<", ">"})
_WORD_END = frozenset(" \t\n;&|()")
#: Words that are syntax at the start of a command.
RESERVED = frozenset({"if", "then", "elif", "else", "fi", "for", "in", "do", "done", "while", "until", "case",
                      "esac", "select", "function", "time", "coproc", "{", "}", "!", "[[", "]]"})
# A line without operators, quotes, expansions, comments or escapes.
_PLAIN_LINE = re.compile(r"[^;&|()<>\\'\"`$#\n\f\v]*$")
_SPACE_SEPARATED = re.compile(r"[^ \t\r]+")
# Characters with no special meaning inside a word: skipped in one step.
_PLAIN_RUN = re.compile(r"[^\s;&|()<>\\'\"`$]+")
_ARRAY_START = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=$")


class Token(NamedTuple):
    """One token. ``text`` is the raw word or the operator; ``fd`` the number written
    before a redirection operator (``2>``). A ``line`` token is a whole line of plain
    words (no operators, quotes or expansions, not starting with a reserved word): one
    simple command, split on blanks."""

    kind: TokenKind
    text: str
    start: int
    end: int
    fd: int | None = None


class Lexer:
    """Tokenizes one text; read ``tokens``, ``heredocs`` and ``exact`` after ``run()``."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.tokens: list[Token] = []
        #: Token index of a here-document operator -> (body, delimiter was quoted).
        self.heredocs: dict[int, tuple[str, bool]] = {}
        self.exact = True
        self._pending: list[tuple[int, str, bool, bool]] = []

    def run(self) -> Lexer:
        """Tokenize the whole text; returns self."""
        s, n = self.s, len(self.s)
        i = 0
        while i < n:
            if (i == 0 or (s[i - 1] == "\n" and (i < 2 or s[i - 2] != "\\"))) and not self._pending:
                i = self._plain_line(i)
                if i >= n:
                    break
            c = s[i]
            if c in " \t\r":
                i += 1
            elif c == "\\" and i + 1 < n and s[i + 1] == "\n":
                i += 2
            elif c == "#":
                j = s.find("\n", i)
                i = n if j < 0 else j
            elif c == "\n":
                self.tokens.append(Token("newline", "\n", i, i + 1))
                i = self._read_heredocs(i + 1)
            elif c.isdigit():
                i = self._fd_redirect(i) or self._word(i)
            elif c in "<>" and i + 1 < n and s[i + 1] == "(":
                i = self._word(i)  # process substitution starts a word
            elif c in ";&|()<>":
                i = self._operator(i, None)
            else:
                i = self._word(i)
        if self._pending:
            self.exact = False
            self._read_heredocs(n)
        return self

    # -- pieces -------------------------------------------------------------------------

    def _plain_line(self, i: int) -> int:
        """A line with no shell syntax at all is just words: tokenize it in one step
        (keeps megabyte inputs fast). Returns where the character loop goes on."""
        s = self.s
        end = s.find("\n", i)
        end = len(s) if end < 0 else end
        if not _PLAIN_LINE.match(s, i, end):
            return i
        first = _SPACE_SEPARATED.search(s, i, end)
        if first is None:
            return end
        if first.group() in RESERVED:
            return i
        self.tokens.append(Token("line", s[first.start():end].rstrip(" \t\r"), first.start(), end))
        return end

    def _fd_redirect(self, i: int) -> int:
        """``2>file``: when digits run straight into ``<`` or ``>``, tokenize them as the
        redirection's descriptor and return the next index (0 when this is a word)."""
        s, j = self.s, i
        while j < len(s) and s[j].isdigit():
            j += 1
        if j < len(s) and s[j] in "<>" and not (j + 1 < len(s) and s[j + 1] == "("):
            return self._operator(j, int(s[i:j]))
        return 0

    def _operator(self, i: int, fd: int | None) -> int:
        s = self.s
        for op in _OPERATORS:
            if s.startswith(op, i):
                break
        else:  # pragma: no cover - every caller stands on an operator character
            op = s[i]
        if op in _REDIRECTS:
            self.tokens.append(Token("redir", op, i, i + len(op), fd))
            if op in ("<<", "<<-"):
                end = self._word_after(i + len(op))
                if end is not None:
                    return end
        else:
            self.tokens.append(Token("op", op, i, i + len(op)))
        return i + len(op)

    def _word_after(self, i: int) -> int | None:
        """Read a here-document delimiter word and queue its body."""
        s, n = self.s, len(self.s)
        while i < n and s[i] in " \t":
            i += 1
        if i >= n or s[i] in _WORD_END or s[i] in "<>":
            self.exact = False
            return None
        start = i
        end = self._scan_word(i)
        raw = s[start:end]
        self.tokens.append(Token("word", raw, start, end))
        literal = any(q in raw for q in "'\"\\")
        delimiter = re.sub(r"""\\(.)|['"]""", lambda m: m.group(1) or "", raw)
        op_index = len(self.tokens) - 2
        strip_tabs = self.tokens[op_index].text == "<<-"
        self._pending.append((op_index, delimiter, literal, strip_tabs))
        return end

    def _read_heredocs(self, i: int) -> int:
        s, n = self.s, len(self.s)
        while self._pending:
            op_index, delimiter, literal, strip_tabs = self._pending.pop(0)
            lines: list[str] = []
            found = False
            while i < n:
                j = s.find("\n", i)
                line_end = n if j < 0 else j
                line = s[i:line_end]
                i = line_end + 1 if j >= 0 else n
                check = line.lstrip("\t") if strip_tabs else line
                if check.rstrip("\r") == delimiter:
                    found = True
                    break
                lines.append(check if strip_tabs else line)
            if not found:
                self.exact = False
            body = "\n".join(lines) + ("\n" if lines else "")
            self.heredocs[op_index] = (body, literal)
        return i

    def _word(self, i: int) -> int:
        end = self._scan_word(i)
        if end == i:  # a character no rule consumes: take it alone
            end = i + 1
        self.tokens.append(Token("word", self.s[i:end], i, end))
        return end

    def _scan_word(self, i: int) -> int:
        s, n = self.s, len(self.s)
        start = i
        while i < n:
            plain = _PLAIN_RUN.match(s, i)
            if plain is not None:
                i = plain.end()
                if i >= n:
                    break
            c = s[i]
            if c in _WORD_END:
                if c == "(" and _ARRAY_START.match(s[start:i]):
                    i = self._closed(skip_paren(s, i + 1))
                    continue
                break
            if c in "<>":
                if i + 1 < n and s[i + 1] == "(":
                    i = self._closed(skip_paren(s, i + 2))
                    continue
                break
            if c == "\\":
                i += 2
            elif c == "'":
                i = self._closed(skip_single(s, i + 1))
            elif c == '"':
                i = self._closed(skip_double(s, i + 1))
            elif c == "`":
                i = self._closed(skip_backtick(s, i + 1))
            elif c == "$" and i + 1 < n:
                nxt = s[i + 1]
                if nxt == "(":
                    i = self._closed(skip_paren(s, i + 2))
                elif nxt == "{":
                    i = self._closed(skip_brace(s, i + 2))
                elif nxt == "'":
                    i = self._closed(skip_ansi(s, i + 2))
                elif nxt == '"':
                    i = self._closed(skip_double(s, i + 2))
                else:
                    i += 1
            else:
                i += 1
        return min(i, n)

    def _closed(self, result: tuple[int, bool]) -> int:
        end, closed = result
        if not closed:
            self.exact = False
        return end
