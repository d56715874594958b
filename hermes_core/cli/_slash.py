"""Chat slash commands: the kernel's own, plugins' registered ones, and the fallback hook."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from hermes_core.context import SlashContext

KERNEL_COMMANDS = {
    "help": "show the commands",
    "new": "start a new session (the current one is saved)",
    "model": "show the model, or switch: /model provider:model",
    "tools": "list the tools the model can use",
    "usage": "token usage and cost of this session",
    "exit": "leave (also /quit, Ctrl-D)",
}
ALIASES = {"quit": "exit", "q": "exit", "h": "help", "?": "help"}


def parse(line: str) -> tuple[str, str]:
    name, _, args = line[1:].strip().partition(" ")
    return name.lower(), args.strip()


def command_names(host: Any) -> list[str]:
    names = list(KERNEL_COMMANDS) + ["quit"]
    for spec in host.slash_commands().values():
        names.append(spec.name)
        names.extend(spec.aliases)
    return sorted(set(names))


def _usage_text(agent: Any) -> str:
    usage = agent.usage
    lines = [
        f"session {agent.session.id}",
        f"  model requests: {usage.requests}",
        f"  tokens: {usage.prompt_tokens:,} in ({usage.cached_tokens:,} cached), {usage.completion_tokens:,} out, {usage.total_tokens:,} total",
    ]
    if usage.cost is not None:
        lines.append(f"  cost: ${usage.cost:.4f}")
    return "\n".join(lines)


async def run_slash(line: str, agent: Any, output: Callable[[str], None]) -> tuple[str, list[str]]:
    """Handle one slash command. Returns (outcome, messages to submit) where outcome is
    ``exit``, ``handled`` or ``unknown``."""
    name, args = parse(line)
    name = ALIASES.get(name, name)
    host = agent.host
    ctx = SlashContext(session=agent.session, agent=agent, output=output)
    if name == "exit":
        return "exit", []
    if name == "help":
        output("commands:")
        for command, text in KERNEL_COMMANDS.items():
            output(f"  /{command:<10} {text}")
        for spec in sorted(host.slash_commands().values(), key=lambda s: s.name):
            output(f"  /{spec.name:<10} {spec.description} [{spec.plugin}]")
        output("  /<skill>     load a skill into the conversation (with the skills plugin)")
        output("Enter sends; Esc then Enter (or Alt-Enter) adds a new line; Ctrl-C interrupts a running turn.")
        return "handled", []
    if name == "new":
        await agent.new_session()
        output(f"new session {agent.session.id}")
        return "handled", []
    if name == "model":
        if not args:
            output(f"model: {agent.settings.provider}:{agent.settings.model}")
            return "handled", []
        from hermes_core.agent.loop import parse_model_spec

        provider_name, model_name = parse_model_spec(args, host.providers())
        provider, settings = host.create_provider(provider_name or agent.settings.provider, model_name)
        agent.switch_model(provider, settings)
        output(f"model: {settings.provider}:{settings.model} (from the next message on)")
        return "handled", []
    if name == "tools":
        by_set: dict[str, list[str]] = {}
        for tool in agent.tool_list:
            by_set.setdefault(tool.toolset, []).append(tool.name)
        for toolset, names in sorted(by_set.items()):
            output(f"  {toolset}: {', '.join(sorted(names))}")
        if not by_set:
            output("  no tools")
        return "handled", []
    if name == "usage":
        output(_usage_text(agent))
        return "handled", []
    specs = host.slash_commands()
    spec = specs.get(name) or next((s for s in specs.values() if name in s.aliases), None)
    if spec is not None:
        result = spec.handler(ctx, args)
        if inspect.isawaitable(result):
            result = await result
        if isinstance(result, str) and result:
            output(result)
        return "handled", ctx.submitted
    result = await host.hooks.slash_command(agent.session, name, args, ctx)
    if result is None:
        output(f"unknown command /{name} (try /help)")
        return "unknown", []
    if isinstance(result, str) and result:
        output(result)
    return "handled", ctx.submitted


SlashRunner = Callable[[str, Any, Callable[[str], None]], Awaitable[tuple[str, list[str]]]]
