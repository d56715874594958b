"""Running delegated tasks as subagents, alone or several at once."""

from __future__ import annotations

import asyncio
from typing import Any

from hermes_core import ToolError
from hermes_core.agent.subagent import run_subagent

from . import BLOCKED_FOR_CHILDREN

CHILD_BRIEF = (
    "You are a subagent: another agent delegated this task to you. You see only what it wrote "
    "below, not its conversation. Work on the task with your tools, then end with a concise "
    "summary for it: what you did, what you found, files you changed, and anything left open."
)


def _tasks(args: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    tasks = args.get("tasks") or []
    if args.get("goal"):
        tasks = [{"goal": args["goal"], "context": args.get("context"), "toolsets": args.get("toolsets")}, *tasks]
    if not tasks:
        raise ToolError("give a goal (with context), or tasks: [{goal, context, toolsets}, ...]")
    if len(tasks) > limit:
        raise ToolError(f"{len(tasks)} tasks in one call; at most {limit} (delegation.max_tasks)")
    return tasks


def _tool_names(ctx: Any, toolsets: list[str] | None, default: list[str]) -> list[str]:
    available = {t.name: t for t in ctx.session.agent.tool_list}
    wanted = set(toolsets or default)
    known_sets = {t.toolset for t in available.values()}
    unknown = wanted - known_sets
    if unknown and not wanted & known_sets:
        raise ToolError(f"no such toolset(s): {', '.join(sorted(unknown))}; available: {', '.join(sorted(known_sets))}")
    return sorted(name for name, t in available.items() if t.toolset in wanted and name not in BLOCKED_FOR_CHILDREN)


async def delegate(args: dict[str, Any], ctx: Any) -> str:
    if ctx.session.agent is None:
        raise ToolError("delegate_task works only inside a conversation")
    if ctx.session.origin == "subagent":
        raise ToolError("subagents cannot delegate further")
    cfg = ctx.plugin_config("delegation")
    tasks = _tasks(args, cfg.max_tasks)
    limit = asyncio.Semaphore(cfg.max_concurrent)

    async def run_one(task: dict[str, Any]) -> tuple[bool, str]:
        names = _tool_names(ctx, task.get("toolsets"), cfg.default_toolsets)
        async with limit:
            ok, text, _ = await run_subagent(
                ctx.session,
                f"{CHILD_BRIEF}\n\nTask: {task['goal']}",
                context=task.get("context") or None,
                tools=names,
                max_iterations=cfg.max_iterations,
            )
        return ok, text

    results = await asyncio.gather(*(run_one(t) for t in tasks))
    if len(tasks) == 1:
        ok, text = results[0]
        return text if ok else f"The subagent failed: {text}"
    parts = []
    for number, (task, (ok, text)) in enumerate(zip(tasks, results), 1):
        status = "done" if ok else "FAILED"
        parts.append(f"## Task {number} ({status}): {task['goal']}\n{text}")
    return "\n\n".join(parts)
