"""Running a batch of tool calls: validate, judge, approve, execute, transform.

Every call ends as a :class:`~hermes_core.types.ToolResult` in call order, whatever
happens: malformed JSON, an unknown tool, arguments failing the schema, a refusal, an
exception in the handler. Those become tool errors the model can read and fix, never a
crash of the loop. Calls run concurrently only when every call in the batch is
parallel-safe; approvals are always asked one at a time, before anything runs.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..context import ApprovalRequest, ToolContext
from ..errors import ToolError
from ..types import ToolCall, ToolDecision, ToolResult, ToolSpec, Verdict
from . import schema
from .approval import ApprovalGate
from .events import AgentEvent, ToolFinished, ToolStarted
from .spill import spill_text

if TYPE_CHECKING:
    from ..context import SessionInfo
    from ..host import Host


@dataclass
class _Prepared:
    call: ToolCall
    tool: ToolSpec | None = None
    arguments: dict[str, Any] | None = None
    result: ToolResult | None = None  # set when the call ends before running


def summarize_arguments(tool: ToolSpec | None, arguments: dict[str, Any] | None, limit: int = 80) -> str:
    """The argument worth showing in a progress line (``progress_arg`` or the first string)."""
    if not arguments:
        return ""
    value: Any = None
    if tool is not None and tool.progress_arg and tool.progress_arg in arguments:
        value = arguments[tool.progress_arg]
    else:
        value = next((v for v in arguments.values() if isinstance(v, str)), None)
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_result(value: Any) -> ToolResult:
    if isinstance(value, ToolResult):
        return value
    if value is None:
        return ToolResult(content="(no output)")
    if isinstance(value, str):
        return ToolResult(content=value if value else "(empty)")
    try:
        return ToolResult(content=json.dumps(value, ensure_ascii=False, default=str))
    except (TypeError, ValueError):
        return ToolResult(content=str(value))


class ToolDispatcher:
    """Runs tool calls for one session."""

    def __init__(
        self,
        host: Host,
        session: SessionInfo,
        tools: dict[str, ToolSpec],
        *,
        gate: ApprovalGate | None = None,
        emit: Callable[[AgentEvent], None] | None = None,
    ) -> None:
        self.host = host
        self.session = session
        self.tools = tools
        self.gate = gate or ApprovalGate(host)
        self.emit = emit or (lambda event: None)

    async def run_batch(self, calls: list[ToolCall]) -> list[ToolResult]:
        prepared = []
        for call in calls:
            item = await self._prepare(call)
            if item.result is not None:  # refused before running: still reported
                self.emit(ToolFinished(call_id=call.id, name=call.name, ok=False, duration=0.0,
                                       preview=item.result.content[:200]))
                await self.host.hooks.after_tool_call(self.session, call, item.tool, item.result, 0.0)
            prepared.append(item)
        runnable = [p for p in prepared if p.result is None]
        if len(runnable) > 1 and all(p.tool is not None and p.tool.parallel_safe for p in runnable):
            limit = asyncio.Semaphore(self.host.config.agent.max_parallel_tools)

            async def bounded(item: _Prepared) -> None:
                async with limit:
                    item.result = await self._execute(item)

            await asyncio.gather(*(bounded(p) for p in runnable))
        else:
            for item in runnable:
                item.result = await self._execute(item)
        results = []
        for item in prepared:
            assert item.result is not None
            results.append(item.result)
        return results

    # -- before running -----------------------------------------------------------------

    def _refuse(self, item: _Prepared, content: str) -> _Prepared:
        item.result = ToolResult(content=content, is_error=True)
        return item

    async def _prepare(self, call: ToolCall) -> _Prepared:
        item = _Prepared(call=call)
        tool = self.tools.get(call.name)
        if tool is None:
            names = ", ".join(sorted(self.tools)) or "none"
            return self._refuse(item, f"Error: unknown tool '{call.name}'. Available tools: {names}.")
        item.tool = tool
        try:
            arguments = call.parsed_arguments()
        except ValueError as exc:
            return self._refuse(
                item, f"Error: could not parse the arguments of {call.name}: {exc}. Send a valid JSON object matching the tool's schema."
            )
        arguments = schema.coerce(arguments, tool.parameters)
        problems = schema.validate(arguments, tool.parameters)
        if problems:
            return self._refuse(item, f"Error: invalid arguments for {call.name}: " + "; ".join(problems))
        item.arguments = arguments
        decision = await self._decide(call, tool, arguments)
        if decision is None or decision.action == "allow":
            return item
        if decision.action == "deny":
            return self._refuse(item, f"Blocked: {decision.reason}. This call was not executed; do not retry it in another form.")
        command = self._command(tool, arguments)
        request = ApprovalRequest(
            tool=tool.name,
            summary=command or summarize_arguments(tool, arguments, 200),
            reason=decision.reason,
            key=decision.key or tool.name,
        )
        allowed, why = await self.gate.check(self.session, request, command)
        if not allowed:
            return self._refuse(item, f"Not executed: {why}.")
        return item

    @staticmethod
    def _command(tool: ToolSpec, arguments: dict[str, Any]) -> str | None:
        if tool.command_arg and isinstance(arguments.get(tool.command_arg), str):
            return arguments[tool.command_arg]
        return None

    async def _decide(self, call: ToolCall, tool: ToolSpec, arguments: dict[str, Any]) -> ToolDecision | None:
        decisions: list[ToolDecision] = []
        command = self._command(tool, arguments)
        if command is not None:
            key_base = f"{tool.name}:"
            if self.gate.denied_by_config(command, key_base):
                return ToolDecision(action="deny", reason="matches a pattern in approvals.deny")
            scan = await asyncio.to_thread(self.host.scan, command, "command", source=tool.name, session=self.session)
            if scan.verdict in (Verdict.BLOCK, Verdict.ASK):
                flagged = [f for f in scan.findings if Verdict(f.verdict).rank >= Verdict.ASK.rank] or scan.findings
                reason = "; ".join(dict.fromkeys(f.message for f in flagged)) or "flagged by a command scanner"
                rules = sorted({f.rule for f in flagged})
                action = "deny" if scan.verdict == Verdict.BLOCK else "ask"
                decisions.append(ToolDecision(action=action, reason=reason, key=key_base + "+".join(rules)))
        hooked = await self.host.hooks.before_tool_call(self.session, call, tool, arguments)
        if hooked is not None:
            decisions.append(hooked)
        if not decisions:
            return None
        rank = {"allow": 0, "ask": 1, "deny": 2}
        return max(decisions, key=lambda d: rank[d.action])

    # -- running ------------------------------------------------------------------------

    async def _execute(self, item: _Prepared) -> ToolResult:
        tool, call = item.tool, item.call
        assert tool is not None and item.arguments is not None
        ctx = ToolContext(session=self.session, call=call, tool=tool)
        self.emit(ToolStarted(call_id=call.id, name=tool.name, summary=summarize_arguments(tool, item.arguments)))
        start = time.perf_counter()
        try:
            if inspect.iscoroutinefunction(tool.handler):
                value = await tool.handler(item.arguments, ctx)
            else:
                value = await asyncio.to_thread(tool.handler, item.arguments, ctx)
                if inspect.isawaitable(value):
                    value = await value
            result = to_result(value)
        except asyncio.CancelledError:
            ctx.cancelled.set()
            self.session.interrupt_terminal()
            raise
        except ToolError as exc:
            result = ToolResult(content=f"Error: {exc}", is_error=True)
        except Exception as exc:  # a bug in the tool: report it to the model and move on
            result = ToolResult(content=f"Error: {tool.name} failed: {type(exc).__name__}: {exc}", is_error=True)
        duration = time.perf_counter() - start
        result = await self._finish(call, tool, result)
        self.emit(ToolFinished(call_id=call.id, name=tool.name, ok=not result.is_error, duration=duration,
                               preview=result.content[:200]))
        await self.host.hooks.after_tool_call(self.session, call, tool, result, duration)
        return result

    async def _finish(self, call: ToolCall, tool: ToolSpec, result: ToolResult) -> ToolResult:
        result = await self.host.hooks.transform_tool_result(self.session, call, tool, result)
        if self.host.config.security.scan_tool_results:
            guarded = self.host.guard_text(result.content, "tool_result", source=tool.name, session=self.session)
            if guarded != result.content:
                result = result.model_copy(update={"content": guarded})
        limit = tool.max_result_chars or self.host.config.tools.max_result_chars
        if len(result.content) > limit:
            preview = spill_text(self.host.home, self.session.id, f"{tool.name}-{call.id}", result.content,
                                 preview_chars=min(limit, 4000))
            result = result.model_copy(update={"content": preview, "metadata": {**result.metadata, "spilled": True}})
        return result
