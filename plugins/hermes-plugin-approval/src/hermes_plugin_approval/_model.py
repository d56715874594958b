"""The parsed shell script, as both parsers (bashlex and the fallback) hand it over.

Words are kept exactly as written (quotes, ``$``, backslashes and all): expanding them
is the analyzer's job, because it depends on variables assigned earlier in the script.
Only the structure is decided here: which words form one command, which commands form a
pipeline, what the redirections and here-documents are, and where loops and functions
begin and end.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Rec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Redirect(_Rec):
    """One redirection. ``op`` is the operator as written (``>``, ``>>``, ``<``, ``<<``,
    ``<<-``, ``<<<``, ``>&``, ``<&``, ``&>``, ``&>>``, ``>|``, ``<>``)."""

    op: str
    fd: int | None = None
    #: The target word as written (the delimiter for here-documents).
    target: str = ""
    #: The body of a here-document, without its delimiter line.
    heredoc: str | None = None
    #: The here-document's delimiter was quoted, so its body is not expanded.
    literal: bool = False


class SimpleCommand(_Rec):
    """``NAME=value ... word word ... redirections``: one command the shell runs."""

    kind: Literal["simple"] = "simple"
    assignments: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    redirects: tuple[Redirect, ...] = ()
    #: The command's source text, for messages.
    text: str = ""


class Group(_Rec):
    """A compound command (``{ ...; }``, ``( ... )``, ``if``, ``while``, ``case``): its
    commands in order, and the redirections applied to all of them."""

    kind: Literal["group"] = "group"
    body: tuple[Pipeline, ...] = ()
    redirects: tuple[Redirect, ...] = ()


class ForLoop(_Rec):
    """``for var in items; do body; done``. ``items`` is None for ``for var; do`` (the
    positional parameters) and for arithmetic loops."""

    kind: Literal["for"] = "for"
    var: str = ""
    items: tuple[str, ...] | None = None
    body: tuple[Pipeline, ...] = ()
    redirects: tuple[Redirect, ...] = ()


class FunctionDef(_Rec):
    """``name() { body; }`` or ``function name { body; }``."""

    kind: Literal["function"] = "function"
    name: str
    body: tuple[Pipeline, ...] = ()


Stage = Annotated[SimpleCommand | Group | ForLoop | FunctionDef, Field(discriminator="kind")]


class Pipeline(_Rec):
    """Commands joined by ``|``: each stage reads what the one before it writes."""

    stages: tuple[Stage, ...]
    background: bool = False


class Script(_Rec):
    """A whole command line (or script) in order of execution."""

    pipelines: tuple[Pipeline, ...] = ()
    #: Which parser produced it.
    parser: Literal["bashlex", "fallback"] = "fallback"
    #: False when the parser had to guess (an unterminated quote, an unbalanced
    #: bracket): the analyzer then also applies a text-level safety net.
    exact: bool = True


Group.model_rebuild()
ForLoop.model_rebuild()
FunctionDef.model_rebuild()
