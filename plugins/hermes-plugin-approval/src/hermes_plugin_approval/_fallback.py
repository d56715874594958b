"""The fallback parser: tokens from :mod:`._lexer` to a :class:`~._model.Script`.

Used when bashlex gives up (``case``, ``[[ ]]``, arithmetic, ``time``, quoted
here-document delimiters, arrays, or text bash itself would reject). It is a small
recursive-descent parser over bash's grammar that never raises: a token it does not
expect is skipped and the script is marked inexact.
"""

from __future__ import annotations

import re

from ._lexer import Lexer, Token
from ._model import ForLoop, FunctionDef, Group, Pipeline, Redirect, Script, SimpleCommand

ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=")
_STRAY = frozenset({"then", "elif", "else", "fi", "do", "done", "esac", "}", "in", "]]"})
_NO_STOP: frozenset[str] = frozenset()
#: Words that start a compound command, and the parser method for each.
_COMPOUND = {"{": "_brace_group", "if": "_if", "while": "_loop", "until": "_loop", "for": "_for",
             "select": "_for", "case": "_case", "function": "_function_keyword", "[[": "_test"}


def _line_command(line: str) -> SimpleCommand:
    """A simple command from a line of plain words."""
    words = line.split()
    k = 0
    while k < len(words) and ASSIGNMENT.match(words[k]):
        k += 1
    return SimpleCommand(assignments=tuple(words[:k]), words=tuple(words[k:]), text=line)


def parse_fallback(text: str) -> Script:
    """Parse ``text``; never raises."""
    lexer = Lexer(text).run()
    parser = _Parser(text, lexer)
    pipelines = parser.parse_list(_NO_STOP)
    while parser.peek() is not None:  # stray closers at the top level
        parser.exact = False
        parser.i += 1
        pipelines.extend(parser.parse_list(_NO_STOP))
    return Script(pipelines=tuple(pipelines), parser="fallback", exact=parser.exact)


class _Parser:
    def __init__(self, text: str, lexer: Lexer) -> None:
        self.s = text
        self.toks = lexer.tokens
        self.heredocs = lexer.heredocs
        self.exact = lexer.exact
        self.i = 0

    # -- token helpers ------------------------------------------------------------------

    def peek(self, k: int = 0) -> Token | None:
        """The token ``k`` places ahead, or None at the end."""
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def _is(self, tok: Token | None, kind: str, *texts: str) -> bool:
        return tok is not None and tok.kind == kind and (not texts or tok.text in texts)

    def _at_stop(self, tok: Token, stop: frozenset[str]) -> bool:
        return tok.kind in ("word", "op") and tok.text in stop

    def _expect(self, *texts: str) -> None:
        tok = self.peek()
        if tok is not None and tok.kind in ("word", "op") and tok.text in texts:
            self.i += 1
        else:
            self.exact = False

    def _skip_separators(self, *, newlines_only: bool = False) -> None:
        while True:
            tok = self.peek()
            if tok is None:
                return
            if tok.kind == "newline" or (not newlines_only and tok.kind == "op" and tok.text == ";"):
                self.i += 1
            else:
                return

    # -- grammar ------------------------------------------------------------------------

    def parse_list(self, stop: frozenset[str]) -> list[Pipeline]:
        """Commands up to one of the ``stop`` words (or the end)."""
        out: list[Pipeline] = []
        while True:
            self._skip_separators()
            tok = self.peek()
            if tok is None or self._at_stop(tok, stop):
                return out
            if tok.kind == "op" and tok.text in (")", ";;", ";&", ";;&") and tok.text not in stop:
                return out  # a closer for an enclosing construct (or a stray one)
            before = self.i
            out.extend(self._and_or(stop))
            if self.i == before:
                self.exact = False
                self.i += 1

    def _and_or(self, stop: frozenset[str]) -> list[Pipeline]:
        pipelines = []
        first = self._pipeline(stop)
        if first is not None:
            pipelines.append(first)
        while self._is(self.peek(), "op", "&&", "||"):
            self.i += 1
            self._skip_separators(newlines_only=True)
            nxt = self._pipeline(stop)
            if nxt is not None:
                pipelines.append(nxt)
        if self._is(self.peek(), "op", "&"):
            self.i += 1
            pipelines = [p.model_copy(update={"background": True}) for p in pipelines]
        elif self._is(self.peek(), "op", ";"):
            self.i += 1
        return pipelines

    def _pipeline(self, stop: frozenset[str]) -> Pipeline | None:
        while self._is(self.peek(), "word", "!", "time", "coproc"):
            self.i += 1
            if self._is(self.peek(), "word", "-p"):
                self.i += 1
        stages = []
        stage = self._command(stop)
        if stage is None:
            return None
        stages.append(stage)
        while self._is(self.peek(), "op", "|", "|&"):
            self.i += 1
            self._skip_separators(newlines_only=True)
            stage = self._command(stop)
            if stage is not None:
                stages.append(stage)
        return Pipeline(stages=tuple(stages))

    def _command(self, stop: frozenset[str]):  # noqa: ANN202 - returns a Stage or None
        tok = self.peek()
        if tok is None or self._at_stop(tok, stop):
            return None
        if tok.kind == "line":
            self.i += 1
            return _line_command(tok.text)
        if tok.kind == "op":
            if tok.text == "(":
                self.i += 1
                body = self.parse_list(frozenset({")"}))
                self._expect(")")
                return Group(body=tuple(body), redirects=self._redirects())
            return None
        if tok.kind == "word":
            word = tok.text
            method = _COMPOUND.get(word)
            if method is not None:
                return getattr(self, method)()
            if word in _STRAY:
                self.exact = False
                self.i += 1
                return None
        return self._simple(stop)

    def _redirect(self) -> Redirect:
        index = self.i
        op_tok = self.toks[index]
        self.i += 1
        target = ""
        if self._is(self.peek(), "word"):
            target = self.toks[self.i].text
            self.i += 1
        else:
            self.exact = False
        heredoc, literal = None, False
        if op_tok.text in ("<<", "<<-"):
            heredoc, literal = self.heredocs.get(index, ("", False))
        return Redirect(op=op_tok.text, fd=op_tok.fd, target=target, heredoc=heredoc, literal=literal)

    def _redirects(self) -> tuple[Redirect, ...]:
        out = []
        while self._is(self.peek(), "redir"):
            out.append(self._redirect())
        return tuple(out)

    def _simple(self, stop: frozenset[str]):  # noqa: ANN202
        assignments: list[str] = []
        words: list[str] = []
        redirects: list[Redirect] = []
        start = self.peek().start  # type: ignore[union-attr]
        end = start
        while True:
            tok = self.peek()
            if tok is None:
                break
            if tok.kind == "word":
                if not words and ASSIGNMENT.match(tok.text):
                    assignments.append(tok.text)
                else:
                    words.append(tok.text)
                self.i += 1
                end = tok.end
                if len(words) == 1 and not assignments and self._is(self.peek(), "op", "(") \
                        and self._is(self.peek(1), "op", ")"):
                    self.i += 2
                    return self._function_body(words[0])
            elif tok.kind == "redir":
                redirects.append(self._redirect())
                end = self.toks[self.i - 1].end
            else:
                break
        return SimpleCommand(assignments=tuple(assignments), words=tuple(words),
                             redirects=tuple(redirects), text=self.s[start:end])

    def _function_body(self, name: str) -> FunctionDef:
        self._skip_separators(newlines_only=True)
        body = self._command(_NO_STOP)
        pipelines = () if body is None else (Pipeline(stages=(body,)),)
        return FunctionDef(name=name, body=pipelines)

    def _function_keyword(self) -> FunctionDef | None:
        self.i += 1
        tok = self.peek()
        if not self._is(tok, "word"):
            self.exact = False
            return None
        self.i += 1
        if self._is(self.peek(), "op", "(") and self._is(self.peek(1), "op", ")"):
            self.i += 2
        return self._function_body(tok.text)  # type: ignore[union-attr]

    def _brace_group(self) -> Group:
        self.i += 1
        body = self.parse_list(frozenset({"}"}))
        self._expect("}")
        return Group(body=tuple(body), redirects=self._redirects())

    def _if(self) -> Group:
        self.i += 1
        body = self.parse_list(frozenset({"then"}))
        self._expect("then")
        body += self.parse_list(frozenset({"elif", "else", "fi"}))
        while self._is(self.peek(), "word", "elif", "else"):
            keyword = self.toks[self.i].text
            self.i += 1
            if keyword == "elif":
                body += self.parse_list(frozenset({"then"}))
                self._expect("then")
            body += self.parse_list(frozenset({"elif", "else", "fi"}))
        self._expect("fi")
        return Group(body=tuple(body), redirects=self._redirects())

    def _loop(self) -> Group:
        self.i += 1
        body = self.parse_list(frozenset({"do"}))
        self._expect("do")
        body += self.parse_list(frozenset({"done"}))
        self._expect("done")
        return Group(body=tuple(body), redirects=self._redirects())

    def _for(self) -> ForLoop:
        self.i += 1
        var, items = "", None
        if self._is(self.peek(), "op", "("):  # for (( init; test; step ))
            depth = 0
            while (tok := self.peek()) is not None:
                self.i += 1
                if tok.kind == "op" and tok.text == "(":
                    depth += 1
                elif tok.kind == "op" and tok.text == ")":
                    depth -= 1
                    if depth <= 0 and not self._is(self.peek(), "op", ")"):
                        break
        elif self._is(self.peek(), "word"):
            var = self.toks[self.i].text
            self.i += 1
            self._skip_separators(newlines_only=True)
            if self._is(self.peek(), "word", "in"):
                self.i += 1
                collected = []
                while self._is(self.peek(), "word"):
                    collected.append(self.toks[self.i].text)
                    self.i += 1
                items = tuple(collected)
        self._skip_separators()
        closer = "done"
        if self._is(self.peek(), "word", "{"):
            closer = "}"
        self._expect("do", "{")
        body = self.parse_list(frozenset({closer}))
        self._expect(closer)
        return ForLoop(var=var, items=items, body=tuple(body), redirects=self._redirects())

    def _case(self) -> Group:
        self.i += 1
        if self._is(self.peek(), "word"):
            self.i += 1
        self._skip_separators(newlines_only=True)
        self._expect("in")
        body: list[Pipeline] = []
        while True:
            self._skip_separators(newlines_only=True)
            tok = self.peek()
            if tok is None:
                self.exact = False
                break
            if self._is(tok, "word", "esac"):
                self.i += 1
                break
            if self._is(tok, "op", "("):
                self.i += 1
            while (tok := self.peek()) is not None and not self._is(tok, "op", ")"):
                self.i += 1  # the patterns
            self._expect(")")
            body += self.parse_list(frozenset({";;", ";&", ";;&", "esac"}))
            if self._is(self.peek(), "op", ";;", ";&", ";;&"):
                self.i += 1
        return Group(body=tuple(body), redirects=self._redirects())

    def _test(self) -> SimpleCommand:
        start = self.toks[self.i].start
        words = []
        while (tok := self.peek()) is not None:
            self.i += 1
            words.append(tok.text)
            if tok.kind == "word" and tok.text == "]]":
                break
        else:
            self.exact = False
        end = self.toks[self.i - 1].end
        return SimpleCommand(words=tuple(words), redirects=self._redirects(), text=self.s[start:end])
