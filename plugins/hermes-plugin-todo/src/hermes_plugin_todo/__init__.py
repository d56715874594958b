"""hermes ``todo`` tool: a task list kept per session.

The list lives in the session's state (``session.state("todo")``), so it lasts as long as
the conversation and no longer. After context compression the open items are put back
into the conversation, so the model does not lose its plan with the summarised middle.
This entry module imports only ``hermes_core``; the list logic loads on first use.
"""

from __future__ import annotations

from typing import Any

from hermes_core import ToolSpec, hookimpl

STATE_KEY = "todo"

_STATUSES = ["pending", "in_progress", "completed", "cancelled"]

DESCRIPTION = (
    "Task list for multi-step work (3+ steps). Call with no arguments to read it. Order is "
    "priority; keep one item in_progress; mark completed only when verified. Returns the list."
)

PARAMETERS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "todos": {
            "type": "array",
            "description": "Items to write; omit to read",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "content": {"type": "string"},
                    "status": {"type": "string", "enum": _STATUSES},
                },
                "required": ["id"],
            },
        },
        "merge": {"type": "boolean", "description": "true: update by id, add new; false: replace the list"},
    },
}


def _todo(args: dict[str, Any], ctx: Any) -> str:
    from .store import TodoList

    todo_list = TodoList.of(ctx.state(STATE_KEY))
    if args.get("todos") is not None:
        todo_list.write(args["todos"], merge=bool(args.get("merge")))
    return todo_list.render()


@hookimpl
def hermes_tools():
    """The ``todo`` tool, in its own toolset."""
    yield ToolSpec(name="todo", description=DESCRIPTION, parameters=PARAMETERS, handler=_todo, toolset="todo")


@hookimpl
def hermes_after_compress(session: Any) -> None:
    """Put the open items back into the conversation after its middle was summarised."""
    state = session.state(STATE_KEY)
    if not state:
        return
    from hermes_core import Message

    from .store import TodoList

    reminder = TodoList.of(state).reminder()
    if reminder:
        session.add_message(Message(role="user", content=reminder, meta={"todo": True}))
