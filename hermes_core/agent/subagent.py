"""Subagents: a child conversation that works on a delegated task and reports back.

The child shares the parent's provider, user, working directory and way of asking the
user for approval, but has its own session (``origin="subagent"``, ``parent_id`` set), its
own history and iteration budget, and only the tools it is given. Its memory writes follow
``memory.allow_subagent_writes``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ..context import SessionInfo, new_session_id
from ..errors import HermesError
from ..types import Usage
from .events import AgentEvent

if TYPE_CHECKING:
    from .loop import Agent


async def run_subagent(
    parent: SessionInfo,
    task: str,
    *,
    context: str | None = None,
    tools: Iterable[str] | None = None,
    exclude_tools: Iterable[str] = (),
    max_iterations: int | None = None,
    emit: Callable[[AgentEvent], None] | None = None,
) -> tuple[bool, str, Usage]:
    """Run ``task`` in a child session; return (ok, final answer or error, usage)."""
    from .loop import Agent

    parent_agent: Agent | None = parent.agent
    if parent_agent is None:
        raise HermesError("subagents can only be started from a running conversation")
    allowed = set(tools) if tools is not None else None
    excluded = set(exclude_tools)
    child_tools = [
        t for t in parent_agent.tool_list if (allowed is None or t.name in allowed) and t.name not in excluded
    ]
    session = SessionInfo(
        id=new_session_id(),
        host=parent.host,
        user_id=parent.user_id,
        platform=parent.platform,
        chat_id=parent.chat_id,
        parent_id=parent.id,
        origin="subagent",
        provider=parent_agent.settings.provider,
        model=parent_agent.settings.model,
        cwd=parent.cwd,
        interaction=parent.interaction,
        title=" ".join(task.split())[:80],
    )
    child = Agent(parent.host, session, parent_agent.provider, parent_agent.settings, emit=emit, tools=child_tools,
                  max_iterations=max_iterations)
    prompt = task if not context else f"{task}\n\nContext from the delegating agent:\n{context}"
    ok, text = False, ""
    await child.start()
    await parent.host.hooks.subagent_start(session, parent, task)
    try:
        result = await child.run_turn(prompt)
        ok, text = True, result.text
    except asyncio.CancelledError:
        text = "interrupted"
        raise
    except Exception as exc:
        text = f"subagent failed: {type(exc).__name__}: {exc}"
    finally:
        await parent.host.hooks.subagent_stop(session, parent, text, ok)
        await child.close("exit" if ok else "error")
        parent_agent.usage += child.usage
    return ok, text, child.usage
