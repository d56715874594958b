"""Typed call sites for the lifecycle hooks: the only place the kernel calls them.

Each method documents how results combine (see :mod:`hermes_core.hookspecs`). Hook
implementations may be async; results that are awaitables are awaited here. Exceptions
never escape: the guard in :mod:`hermes_core._plugins` turned them into problems.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from .types import InboundMessage, PromptSection, ToolDecision, ToolResult

if TYPE_CHECKING:
    from ._plugins import GuardedPluginManager
    from .context import SessionInfo, SlashContext
    from .types import LLMRequest, LLMResponse, Message, ToolCall, ToolSpec, TurnRecord

_DECISION_RANK = {"allow": 0, "ask": 1, "deny": 2}


async def _resolve(value: Any) -> Any:
    if inspect.isawaitable(value):
        return await value
    return value


class HookCalls:
    """The kernel's typed face over the lifecycle hooks of one host."""

    def __init__(self, gpm: GuardedPluginManager) -> None:
        self._gpm = gpm

    async def _all(self, hook: str, **kwargs: Any) -> list[Any]:
        results = getattr(self._gpm.pm.hook, hook)(**kwargs)
        resolved = []
        for value in results:
            value = await _resolve(value)
            if value is not None:
                resolved.append(value)
        return resolved

    # -- sessions -----------------------------------------------------------------------

    async def session_start(self, session: SessionInfo) -> None:
        await self._all("hermes_session_start", session=session)

    async def session_end(self, session: SessionInfo, reason: str) -> None:
        await self._all("hermes_session_end", session=session, reason=reason)

    async def turn_end(self, session: SessionInfo, turn: TurnRecord, iterations: int) -> None:
        await self._all("hermes_turn_end", session=session, turn=turn, iterations=iterations)

    async def system_prompt(self, session: SessionInfo) -> list[PromptSection]:
        sections: list[PromptSection] = []
        for impl in self._gpm.impls("hermes_system_prompt"):
            value = await _resolve(self._gpm.call_impl(impl, {"session": session}))
            items = [value] if isinstance(value, PromptSection) else list(value or [])
            for item in items:
                if isinstance(item, PromptSection):
                    sections.append(item.model_copy(update={"source": item.source or impl.plugin_name}))
                else:
                    self._gpm.problems.add(
                        _problem(impl.plugin_name, "bad-result", f"yielded {type(item).__name__}, expected PromptSection", "hermes_system_prompt")
                    )
        return sections

    # -- LLM calls ----------------------------------------------------------------------

    async def before_llm_call(self, session: SessionInfo, request: LLMRequest, user_message: str) -> list[str]:
        texts = await self._all(
            "hermes_before_llm_call", session=session, request=request, user_message=user_message
        )
        return [t for t in texts if isinstance(t, str) and t.strip()]

    async def after_llm_call(self, session: SessionInfo, request: LLMRequest, response: LLMResponse) -> None:
        await self._all("hermes_after_llm_call", session=session, request=request, response=response)

    # -- tool calls ---------------------------------------------------------------------

    async def before_tool_call(
        self, session: SessionInfo, call: ToolCall, tool: ToolSpec, arguments: dict[str, Any]
    ) -> ToolDecision | None:
        strictest: ToolDecision | None = None
        for impl in self._gpm.impls("hermes_before_tool_call"):
            kwargs = {"session": session, "call": call, "tool": tool, "arguments": arguments}
            value = await _resolve(self._gpm.call_impl(impl, kwargs))
            if value is None:
                continue
            if not isinstance(value, ToolDecision):
                self._gpm.problems.add(
                    _problem(impl.plugin_name, "bad-result", f"returned {type(value).__name__}, expected ToolDecision", "hermes_before_tool_call")
                )
                continue
            if not value.reason:
                value = value.model_copy(update={"reason": f"{value.action} by plugin '{impl.plugin_name}'"})
            if strictest is None or _DECISION_RANK[value.action] > _DECISION_RANK[strictest.action]:
                strictest = value
        return strictest

    async def after_tool_call(
        self, session: SessionInfo, call: ToolCall, tool: ToolSpec | None, result: ToolResult, duration: float
    ) -> None:
        await self._all(
            "hermes_after_tool_call", session=session, call=call, tool=tool, result=result, duration=duration
        )

    async def transform_tool_result(
        self, session: SessionInfo, call: ToolCall, tool: ToolSpec, result: ToolResult
    ) -> ToolResult:
        for impl in self._gpm.impls("hermes_transform_tool_result"):
            kwargs = {"session": session, "call": call, "tool": tool, "result": result}
            value = await _resolve(self._gpm.call_impl(impl, kwargs))
            if value is None:
                continue
            if isinstance(value, str):
                result = result.model_copy(update={"content": value})
            elif isinstance(value, ToolResult):
                result = value
            else:
                self._gpm.problems.add(
                    _problem(impl.plugin_name, "bad-result", f"returned {type(value).__name__}, expected ToolResult or str", "hermes_transform_tool_result")
                )
        return result

    # -- subagents and compression ------------------------------------------------------

    async def subagent_start(self, session: SessionInfo, parent: SessionInfo, task: str) -> None:
        await self._all("hermes_subagent_start", session=session, parent=parent, task=task)

    async def subagent_stop(self, session: SessionInfo, parent: SessionInfo, result: str, ok: bool) -> None:
        await self._all("hermes_subagent_stop", session=session, parent=parent, result=result, ok=ok)

    async def before_compress(self, session: SessionInfo, messages: list[Message]) -> None:
        await self._all("hermes_before_compress", session=session, messages=messages)

    async def after_compress(self, session: SessionInfo, summary: str, dropped: list[Message]) -> None:
        await self._all("hermes_after_compress", session=session, summary=summary, dropped=dropped)

    # -- gateways and chat --------------------------------------------------------------

    async def gateway_message(self, message: InboundMessage) -> InboundMessage | None:
        """The message after every plugin's rewrite, or None if a plugin dropped it."""
        for impl in self._gpm.impls("hermes_gateway_message"):
            value = await _resolve(self._gpm.call_impl(impl, {"message": message}))
            if value is False:
                return None
            if isinstance(value, InboundMessage):
                message = value
        return message

    async def slash_command(self, session: SessionInfo, name: str, args: str, ctx: SlashContext) -> str | bool | None:
        for impl in self._gpm.impls("hermes_slash_command"):
            kwargs = {"session": session, "name": name, "args": args, "ctx": ctx}
            value = await _resolve(self._gpm.call_impl(impl, kwargs))
            if value is not None:
                return value
        return None


def _problem(plugin: str, kind: str, message: str, hook: str) -> Any:
    from .types import PluginProblem

    return PluginProblem(plugin=plugin, source="runtime", kind=kind, message=message, hook=hook)  # type: ignore[arg-type]
