"""hermes plugin: the ``delegate_task`` tool.

The model hands a self-contained task (or several, run in parallel) to subagents: child
conversations with a fresh context, only the toolsets it names, their own terminal
session, and a budget of their own. Only each child's final summary comes back.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from hermes_core import ConfigSectionSpec, ToolSpec, hookimpl

#: Tools a subagent never gets: no recursion, no questions to the user, no memory writes.
BLOCKED_FOR_CHILDREN = frozenset({"delegate_task", "clarify", "memory", "send_message", "execute_code"})


class DelegationConfig(BaseModel):
    """``delegation`` in config.yaml."""

    max_iterations: int = Field(50, ge=1, le=1000, description="model calls per subagent")
    default_toolsets: list[str] = Field(default_factory=lambda: ["terminal", "file", "web"])
    max_concurrent: int = Field(3, ge=1, le=16, description="subagents running at once in a batch")
    max_tasks: int = Field(8, ge=1, le=64, description="tasks accepted in one call")


_FIELDS = {
    "goal": {"type": "string"},
    "context": {"type": "string", "description": "all it needs: paths, errors, constraints"},
    "toolsets": {"type": "array", "items": {"type": "string"}},
}

_SCHEMA = {
    "type": "object",
    "properties": {
        **_FIELDS,
        "tasks": {
            "type": "array",
            "description": "several tasks, run in parallel",
            "items": {"type": "object", "properties": {k: {"type": v["type"], **({"items": v["items"]} if "items" in v else {})}
                                                       for k, v in _FIELDS.items()}, "required": ["goal"]},
        },
    },
}


async def _handler(args, ctx):  # noqa: ANN001, ANN202 - the kernel's tool handler signature
    from .delegate import delegate

    return await delegate(args, ctx)


@hookimpl
def hermes_tools():
    yield ToolSpec(
        name="delegate_task",
        description=(
            "Hand self-contained work to subagents (fresh context, own terminal); only their "
            "summaries come back. goal+context for one task, tasks[] for several in parallel. "
            "They know only what you pass."
        ),
        parameters=_SCHEMA,
        handler=_handler,
        toolset="delegation",
        progress_arg="goal",
    )


@hookimpl
def hermes_config_sections():
    yield ConfigSectionSpec(name="delegation", model=DelegationConfig, description="subagents (delegate_task)")
