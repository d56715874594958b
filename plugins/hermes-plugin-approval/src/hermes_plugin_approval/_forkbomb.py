"""Fork bombs: a function that starts copies of itself in the background."""

from __future__ import annotations

import re

from ._model import ForLoop, Group, Pipeline, SimpleCommand

_FUNCTION_OPENING = re.compile(r"\(\s*\)\s*\{")
_FUNCTION_NAME = re.compile(r"([^\s(){};|&'\"]+)\s*$")


def fork_bomb_in_text(text: str) -> str | None:
    """``name() { name | name & }``, found in the raw text: a safety net for forms the
    parsers mangle. Returns the function's name."""
    for opening in _FUNCTION_OPENING.finditer(text):
        name = _FUNCTION_NAME.search(text, max(0, opening.start() - 64), opening.start())
        if name is None:
            continue
        end = text.find("}", opening.end())
        body = text[opening.end(): end if end >= 0 else opening.end() + 200]
        f = re.escape(name.group(1))
        if re.search(rf"{f}\s*\|\s*&?\s*{f}\s*&", body):
            return name.group(1)
    return None


def fork_bomb_message(name: str) -> str:
    """The finding's message for a fork bomb named ``name``."""
    return f"defines a fork bomb: {name}() starts copies of itself in the background without end"


def self_calls(name: str, body: tuple[Pipeline, ...]) -> tuple[int, bool]:
    """How often a function body calls ``name``, and whether a call is backgrounded or
    piped (what turns recursion into a fork bomb)."""
    calls = 0
    background = False
    for pipeline in body:
        here = 0
        for stage in pipeline.stages:
            if isinstance(stage, SimpleCommand):
                if stage.words and stage.words[0] == name:
                    here += 1
            elif isinstance(stage, (Group, ForLoop)):
                inner_calls, inner_bg = self_calls(name, stage.body)
                here += inner_calls
                background = background or inner_bg
        calls += here
        if here and (pipeline.background or len(pipeline.stages) > 1):
            background = True
    return calls, background
