"""Helpers for plugin tests: sessions, single tool calls, whole conversations.

They go through the same kernel code as a real run (the dispatcher with its hooks,
scanners and approval gate; the agent loop against a real HTTP model server), so a test
passing here means the plugin works inside hermes.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..context import ApprovalAnswer, ApprovalRequest, NonInteractive, SessionInfo, new_session_id
from ..types import ProviderSettings, ToolCall, ToolResult



class ScriptedInteraction:
    """An interaction that answers from a script: approvals and questions, recorded."""

    interactive = True

    def __init__(self, approvals: list[ApprovalAnswer] | None = None, answers: list[str] | None = None) -> None:
        self.approvals = list(approvals or [])
        self.answers = list(answers or [])
        self.approval_requests: list[ApprovalRequest] = []
        self.questions: list[str] = []
        self.notices: list[str] = []

    def ask(self, question: str, choices: list[str] | None = None) -> str | None:
        self.questions.append(question)
        return self.answers.pop(0) if self.answers else None

    def approve(self, request: ApprovalRequest) -> ApprovalAnswer:
        self.approval_requests.append(request)
        return self.approvals.pop(0) if self.approvals else "deny"

    def notify(self, text: str) -> None:
        self.notices.append(text)


def make_session(host: Any, **fields: Any) -> SessionInfo:
    """A session on ``host`` outside any conversation (for calling tools directly)."""
    fields.setdefault("id", new_session_id())
    fields.setdefault("cwd", host.cwd)
    return SessionInfo(host=host, **fields)


async def acall_tool(host: Any, name: str, arguments: dict[str, Any] | str, *, session: SessionInfo | None = None) -> ToolResult:
    """Run one tool call through the kernel's dispatcher (hooks, scanners, approval)."""
    from ..agent.dispatch import ToolDispatcher

    session = session or make_session(host)
    raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
    call = ToolCall(id=f"call_test_{uuid.uuid4().hex[:12]}", name=name, arguments=raw)
    dispatcher = ToolDispatcher(host, session, host.tools())
    (result,) = await dispatcher.run_batch([call])
    return result


def call_tool(host: Any, name: str, arguments: dict[str, Any] | str, *, session: SessionInfo | None = None) -> ToolResult:
    """Sync face of :func:`acall_tool` (for tests that are not async)."""
    return asyncio.run(acall_tool(host, name, arguments, session=session))


def provider_for(server: Any, *, model: str = "test-model", host: Any = None, name: str | None = None) -> tuple[Any, ProviderSettings]:
    """A provider pointed at a scripted server: the provider plugin ``name`` registered on
    ``host`` when given, else the test kit's own stdlib client."""
    settings = ProviderSettings(provider=name or "kit", model=model, base_url=server.base_url,
                                api_key=server.api_key or "test-key", max_retries=0, timeout=30)
    if name is not None:
        return host.providers()[name].factory(settings), settings
    from .provider import KitProvider

    return KitProvider(settings), settings


async def run_agent(
    host: Any,
    server: Any,
    *messages: str,
    interaction: Any = None,
    cwd: Path | None = None,
    emit: Callable[[Any], None] | None = None,
    user_id: str = "local",
    resume: str | None = None,
    close: bool = True,
    provider: str | None = None,
    **agent_kwargs: Any,
) -> Any:
    """Hold a conversation against the scripted ``server``: one turn per message.

    ``provider`` names a provider plugin registered on ``host`` to use instead of the test
    kit's own client. Returns the :class:`~hermes_core.agent.loop.Agent` (closed unless
    ``close=False``), whose ``messages`` and ``last_result`` can be inspected.
    """
    from ..agent.loop import Agent

    llm, settings = provider_for(server, host=host, name=provider)
    agent = await Agent.open(host, provider=llm, settings=settings, interaction=interaction or NonInteractive(),
                             cwd=cwd, emit=emit, user_id=user_id, resume=resume, **agent_kwargs)
    agent.last_result = None
    try:
        for text in messages:
            agent.last_result = await agent.run_turn(text)
    finally:
        if close:
            await agent.close()
    return agent
