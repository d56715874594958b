"""bashlex's syntax tree to a :class:`~._model.Script`.

bashlex is a port of bash's own parser, so it decides the structure the way bash does.
It raises on what it does not implement (``case``, ``[[ ]]``, arithmetic, ``time``,
quoted here-document delimiters, arrays); the caller then uses the fallback parser.
Words are taken from the source text by position, quotes and all, because bashlex's own
quote removal loses information the analyzer needs (``$'\\x72\\x6d'`` comes out as
``$x72x6d``).
"""

from __future__ import annotations

from typing import Any

from ._model import ForLoop, FunctionDef, Group, Pipeline, Redirect, Script, SimpleCommand

# Substitutions are expanded by the analyzer, from the raw text: no need for bashlex to
# parse them too.
_EXPANSION_LIMIT = 0


def parse_bashlex(text: str) -> Script:
    """Parse ``text`` with bashlex; raises whatever bashlex raises."""
    import bashlex  # deferred: the entry module must stay import-light

    trees = bashlex.parse(text, expansionlimit=_EXPANSION_LIMIT)
    adapter = _Adapter(text)
    pipelines: list[Pipeline] = []
    for tree in trees:
        pipelines.extend(adapter.pipelines(tree))
    return Script(pipelines=tuple(pipelines), parser="bashlex", exact=True)


class _Adapter:
    def __init__(self, text: str) -> None:
        self.s = text

    def raw(self, node: Any) -> str:
        """The source text of a node."""
        start, end = node.pos
        return self.s[start:end]

    def pipelines(self, node: Any) -> list[Pipeline]:
        """A node as pipelines (lists flatten, ``&`` marks the pipeline before it)."""
        kind = node.kind
        if kind == "list":
            out: list[Pipeline] = []
            for part in node.parts:
                if part.kind == "operator":
                    if part.op == "&" and out:
                        out[-1] = out[-1].model_copy(update={"background": True})
                    continue
                out.extend(self.pipelines(part))
            return out
        if kind == "pipeline":
            stages = [self.stage(part) for part in node.parts if part.kind not in ("pipe", "reservedword")]
            return [Pipeline(stages=tuple(s for s in stages if s is not None))]
        if kind in ("reservedword", "operator", "pipe"):
            return []
        stage = self.stage(node)
        return [] if stage is None else [Pipeline(stages=(stage,))]

    def stage(self, node: Any):  # noqa: ANN201 - a Stage or None
        """A node as one pipeline stage."""
        kind = node.kind
        if kind == "command":
            return self.command(node)
        if kind == "compound":
            return self.compound(node)
        if kind == "function":
            body = self.pipelines(node.body)
            return FunctionDef(name=self.raw(node.name), body=tuple(body))
        if kind in ("if", "while", "until"):
            return Group(body=tuple(self.children(node.parts)))
        if kind == "for":
            return self.for_loop(node, ())
        if kind in ("list", "pipeline"):
            return Group(body=tuple(self.pipelines(node)))
        raise ValueError(f"unexpected bashlex node {kind}")

    def children(self, parts: list[Any]) -> list[Pipeline]:
        """The pipelines among a compound command's parts."""
        out: list[Pipeline] = []
        for part in parts:
            if part.kind in ("reservedword", "operator", "pipe"):
                continue
            out.extend(self.pipelines(part))
        return out

    def command(self, node: Any) -> SimpleCommand:
        """A simple command: leading assignments, words and redirections."""
        assignments: list[str] = []
        words: list[str] = []
        redirects: list[Redirect] = []
        for part in node.parts:
            if part.kind == "assignment" and not words:
                assignments.append(self.raw(part))
            elif part.kind in ("word", "assignment"):
                words.append(self.raw(part))
            elif part.kind == "redirect":
                redirects.append(self.redirect(part))
        return SimpleCommand(assignments=tuple(assignments), words=tuple(words),
                             redirects=tuple(redirects), text=self.raw(node))

    def redirect(self, node: Any) -> Redirect:
        """A redirection, with its here-document body when it has one."""
        output = node.output
        target = self.raw(output) if hasattr(output, "kind") else str(output)
        heredoc = None
        literal = False
        if node.type in ("<<", "<<-"):
            value = node.heredoc.value if node.heredoc is not None else ""
            # bashlex keeps the delimiter line at the end of the body
            head, _, _ = value.rpartition("\n")
            heredoc = head + "\n" if head else ""
            literal = any(q in target for q in "'\"\\")
        fd = node.input if isinstance(node.input, int) else None
        return Redirect(op=node.type, fd=fd, target=target, heredoc=heredoc, literal=literal)

    def compound(self, node: Any):  # noqa: ANN201
        """A ``{ }``/``( )``/``if``/``while``/``for`` node with its redirections."""
        redirects = tuple(self.redirect(r) for r in getattr(node, "redirects", []) or [])
        inner = [part for part in node.list if part.kind != "reservedword"]
        if len(inner) == 1 and inner[0].kind == "for":
            return self.for_loop(inner[0], redirects)
        if len(inner) == 1 and inner[0].kind in ("if", "while", "until"):
            return Group(body=tuple(self.children(inner[0].parts)), redirects=redirects)
        return Group(body=tuple(self.children(node.list)), redirects=redirects)

    def for_loop(self, node: Any, redirects: tuple[Redirect, ...]) -> ForLoop:
        """A ``for`` node: its variable, items and body."""
        parts = node.parts
        var = ""
        items: list[str] | None = None
        body: list[Pipeline] = []
        state = "var"
        for part in parts:
            if part.kind == "reservedword":
                if part.word == "in":
                    state, items = "items", []
                elif part.word in ("do", "{"):
                    state = "body"
                elif part.word in (";", "\n") and state == "items":
                    state = "sep"
                continue
            if state == "var" and part.kind == "word":
                var = self.raw(part)
                state = "after-var"
            elif state == "items" and part.kind == "word":
                assert items is not None
                items.append(self.raw(part))
            elif state == "body":
                body.extend(self.pipelines(part))
        return ForLoop(var=var, items=None if items is None else tuple(items), body=tuple(body),
                       redirects=redirects)
