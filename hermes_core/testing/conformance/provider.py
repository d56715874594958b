"""Conformance suite for LLM providers that speak to an OpenAI-compatible server.

Subclass :class:`ProviderConformance` and implement ``make_provider(settings)``. Every test
runs the provider against the test kit's scripted server on 127.0.0.1 (the ``llm_server``
fixture). Set ``supports_retries = False`` for a provider that deliberately never retries.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest

from hermes_core.errors import ProviderError
from hermes_core.types import LLMRequest, LLMResponse, Message, ProviderSettings, StreamEvent

from ..llm_server import Call, Reply, ScriptedLLMServer

_TOOL = {
    "type": "function",
    "function": {
        "name": "terminal",
        "description": "Run a shell command.",
        "parameters": {"type": "object", "properties": {"command": {"type": "string"}}, "required": ["command"]},
    },
}


class ProviderConformance:
    """Tests every LLM provider must pass."""

    model = "test-model"
    supports_retries = True
    #: False for a provider built on a library that reports a cut-off stream as finished
    #: (the test then skips, and the provider's README should say so).
    detects_truncated_streams = True

    def make_provider(self, settings: ProviderSettings) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError("subclasses return a provider object for these settings")

    def qualify(self, model: str) -> str:
        """The name the provider is given for a model the server knows as ``model``
        (a routing provider may need a prefix, e.g. ``openai/test-model``)."""
        return model

    # -- helpers --------------------------------------------------------------------------

    def settings(self, server: ScriptedLLMServer, **overrides: Any) -> ProviderSettings:
        values: dict[str, Any] = {
            "provider": "conformance",
            "model": self.qualify(self.model),
            "base_url": server.base_url,
            "api_key": server.api_key or "test-key",
            "max_retries": 2,
            "timeout": 20.0,
        }
        values.update(overrides)
        return ProviderSettings(**values)

    def request(self, *, stream: bool = False, tools: bool = False, text: str = "hello") -> LLMRequest:
        return LLMRequest(
            model=self.qualify(self.model),
            messages=[Message(role="system", content="be brief"), Message(role="user", content=text)],
            tools=[_TOOL] if tools else [],
            stream=stream,
        )

    async def complete(self, server: ScriptedLLMServer, request: LLMRequest, events: list[StreamEvent] | None = None,
                       **overrides: Any) -> LLMResponse:
        provider = self.make_provider(self.settings(server, **overrides))
        try:
            return await provider.complete(request, events.append if events is not None else None)
        finally:
            await provider.aclose()

    # -- answers --------------------------------------------------------------------------

    async def test_plain_answer(self, llm_server: ScriptedLLMServer) -> None:
        llm_server.script(Reply.text("Hello there.", usage={"prompt_tokens": 11, "completion_tokens": 3, "total_tokens": 14}))
        response = await self.complete(llm_server, self.request())
        assert response.message.role == "assistant"
        assert response.message.content == "Hello there."
        assert response.message.tool_calls == []
        assert response.usage.prompt_tokens == 11 and response.usage.completion_tokens == 3

    async def test_request_carries_model_messages_and_tools(self, llm_server: ScriptedLLMServer) -> None:
        llm_server.script(Reply.text("ok"))
        await self.complete(llm_server, self.request(tools=True, text="what is 2+2?"))
        body = llm_server.chat_requests[-1].json
        assert body["model"] == self.model
        assert body["messages"][0] == {"role": "system", "content": "be brief"}
        assert body["messages"][-1] == {"role": "user", "content": "what is 2+2?"}
        assert body["tools"][0]["function"]["name"] == "terminal"
        assert llm_server.chat_requests[-1].headers.get("authorization", "").startswith("Bearer ")

    async def test_streamed_answer_emits_text_events(self, llm_server: ScriptedLLMServer) -> None:
        llm_server.script(Reply.text("A streamed answer, in several pieces."))
        events: list[StreamEvent] = []
        response = await self.complete(llm_server, self.request(stream=True), events)
        assert response.message.content == "A streamed answer, in several pieces."
        texts = [e.text for e in events if e.kind == "text"]
        assert len(texts) > 1 and "".join(texts) == response.message.content
        assert llm_server.chat_requests[-1].stream

    async def test_streamed_usage(self, llm_server: ScriptedLLMServer) -> None:
        llm_server.script(Reply.text("counted", usage={"prompt_tokens": 20, "completion_tokens": 2, "total_tokens": 22}))
        response = await self.complete(llm_server, self.request(stream=True), [])
        assert response.usage.prompt_tokens == 20 and response.usage.completion_tokens == 2

    # -- tool calls -----------------------------------------------------------------------

    async def test_tool_call(self, llm_server: ScriptedLLMServer) -> None:
        llm_server.script(Reply.tool_call("terminal", {"command": "echo hi"}, id="call_1"))
        response = await self.complete(llm_server, self.request(tools=True))
        (call,) = response.message.tool_calls
        assert (call.id, call.name) == ("call_1", "terminal")
        assert json.loads(call.arguments) == {"command": "echo hi"}
        assert response.finish_reason == "tool_calls"

    async def test_streamed_parallel_tool_calls(self, llm_server: ScriptedLLMServer) -> None:
        llm_server.script(Reply.tool_calls(Call("terminal", {"command": "ls -la /tmp"}, "c1"),
                                           Call("terminal", {"command": "pwd"}, "c2"), content="Checking."))
        events: list[StreamEvent] = []
        response = await self.complete(llm_server, self.request(stream=True, tools=True), events)
        assert [c.id for c in response.message.tool_calls] == ["c1", "c2"]
        assert [json.loads(c.arguments)["command"] for c in response.message.tool_calls] == ["ls -la /tmp", "pwd"]
        assert response.message.content == "Checking."
        assert [e.tool_name for e in events if e.kind == "tool_call"] == ["terminal", "terminal"]

    async def test_malformed_tool_arguments_are_passed_through(self, llm_server: ScriptedLLMServer) -> None:
        llm_server.script(Reply.tool_call("terminal", '{"command": "echo hi"', id="bad"))
        response = await self.complete(llm_server, self.request(tools=True, stream=True), [])
        assert response.message.tool_calls[0].arguments == '{"command": "echo hi"'

    # -- errors ---------------------------------------------------------------------------

    async def test_unauthorised_is_a_clear_error(self) -> None:
        with ScriptedLLMServer(api_key="the-right-key") as server:
            provider = self.make_provider(self.settings(server, api_key="the-wrong-key"))
            try:
                with pytest.raises(ProviderError) as info:
                    await provider.complete(self.request())
            finally:
                await provider.aclose()
        assert info.value.status == 401
        assert "401" in str(info.value) and "key" in str(info.value).lower()

    async def test_unknown_model_is_a_clear_error(self) -> None:
        with ScriptedLLMServer(models=["real-model"], strict_models=True) as server:
            provider = self.make_provider(self.settings(server, model=self.qualify("no-such-model")))
            request = self.request()
            request = request.model_copy(update={"model": self.qualify("no-such-model")})
            try:
                with pytest.raises(ProviderError) as info:
                    await provider.complete(request)
            finally:
                await provider.aclose()
        assert info.value.status == 404
        assert "no-such-model" in str(info.value)

    async def test_rate_limit_is_retried(self, llm_server: ScriptedLLMServer) -> None:
        if not self.supports_retries:
            pytest.skip("this provider does not retry")
        llm_server.script(Reply.error(429, "slow down", headers={"Retry-After": "0"}), Reply.text("after the wait"))
        response = await self.complete(llm_server, self.request())
        assert response.message.content == "after the wait"
        assert len(llm_server.chat_requests) == 2

    async def test_server_error_is_retried(self, llm_server: ScriptedLLMServer) -> None:
        if not self.supports_retries:
            pytest.skip("this provider does not retry")
        llm_server.script(Reply.error(503, "overloaded", headers={"Retry-After": "0"}), Reply.text("recovered"))
        response = await self.complete(llm_server, self.request(stream=True), [])
        assert response.message.content == "recovered"

    async def test_dropped_connection_is_retried(self, llm_server: ScriptedLLMServer) -> None:
        if not self.supports_retries:
            pytest.skip("this provider does not retry")
        llm_server.script(Reply.drop(), Reply.text("second try"))
        response = await self.complete(llm_server, self.request())
        assert response.message.content == "second try"

    async def test_retries_give_up_with_the_last_error(self, llm_server: ScriptedLLMServer) -> None:
        if not self.supports_retries:
            pytest.skip("this provider does not retry")
        llm_server.script(*[Reply.error(500, "still broken", headers={"Retry-After": "0"}) for _ in range(3)])
        with pytest.raises(ProviderError, match="500"):
            await self.complete(llm_server, self.request(), max_retries=2)
        assert len(llm_server.chat_requests) == 3

    async def test_drop_mid_stream_is_an_error_not_a_silent_repeat(self, llm_server: ScriptedLLMServer) -> None:
        if not self.detects_truncated_streams:
            pytest.skip("the underlying library reports a cut-off stream as a finished answer")
        llm_server.script(Reply.text("this answer will be cut off halfway").dropping_after(3), Reply.text("unused"))
        with pytest.raises(ProviderError):
            await self.complete(llm_server, self.request(stream=True), [])

    async def test_cancellation_aborts_the_request(self, llm_server: ScriptedLLMServer) -> None:
        llm_server.script(Reply.text("too late").delayed(10))
        provider = self.make_provider(self.settings(llm_server))
        task = asyncio.ensure_future(provider.complete(self.request(stream=True)))
        await asyncio.sleep(0.3)
        start = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert time.monotonic() - start < 2.0
        await provider.aclose()
