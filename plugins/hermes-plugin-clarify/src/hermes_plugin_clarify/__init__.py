"""hermes ``clarify`` tool: ask the user a question through the session's interaction.

In the CLI the question is a prompt; a gateway relays it to the chat. When nobody can
answer (a non-interactive run, or a gateway with no answer to give), the tool tells the
model to go on with its best assumption and to say what it assumed, instead of stalling.
"""

from __future__ import annotations

from typing import Any

from hermes_core import ToolError, ToolSpec, hookimpl

MAX_CHOICES = 4

DESCRIPTION = (
    "Ask the user a question when you need a decision or missing facts before going on. Give "
    "up to 4 choices for multiple choice (the user may still answer freely), or none for an open "
    "question. Do not use it for permission to run commands."
)

PARAMETERS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "question": {"type": "string", "description": "The question to ask"},
        "choices": {"type": "array", "items": {"type": "string"}, "maxItems": MAX_CHOICES,
                    "description": "Up to 4 answers to offer"},
    },
    "required": ["question"],
}

NO_ANSWER = (
    "No answer: {why}. Do not wait for one. Proceed with your best assumption{pick}, state that "
    "assumption plainly in your reply, and prefer choices that are easy to change later."
)


def _clarify(args: dict[str, Any], ctx: Any) -> str:
    question = args["question"].strip()
    if not question:
        raise ToolError("question is empty: write the question you want the user to answer")
    choices = list(dict.fromkeys(c.strip() for c in args.get("choices") or [] if c.strip()))
    if len(choices) > MAX_CHOICES:
        raise ToolError(f"{len(choices)} choices given; offer at most {MAX_CHOICES} (the user can always answer freely)")
    pick = " (pick the most reasonable of the choices you offered)" if choices else ""
    if not ctx.session.interactive:
        return NO_ANSWER.format(why="this run is not interactive, nobody can answer questions", pick=pick)
    try:
        answer = ctx.ask_user(question, choices or None)
    except EOFError:
        answer = None
    if answer is None or not answer.strip():
        return NO_ANSWER.format(why="the user did not answer", pick=pick)
    answer = answer.strip()
    if choices and answer.isdigit() and 1 <= int(answer) <= len(choices):
        answer = choices[int(answer) - 1]  # a bare number picks from the offered choices
    return f"The user answered: {answer}"


@hookimpl
def hermes_tools():
    """The ``clarify`` tool, in its own toolset."""
    yield ToolSpec(name="clarify", description=DESCRIPTION, parameters=PARAMETERS, handler=_clarify,
                   toolset="clarify", progress_arg="question")
