"""The OpenAI Chat Completions wire format, in and out, without any HTTP.

Provider plugins that speak this protocol (the OpenAI-compatible provider, the litellm
provider, the test kit's client) share these translations: a request to a JSON payload,
a JSON response to an :class:`~hermes_core.types.LLMResponse`, and a stream of chunks
to events plus the assembled response.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .errors import ProviderError
from .types import LLMRequest, LLMResponse, Message, StreamEvent, ToolCall, Usage


def encode_payload(payload: dict[str, Any]) -> bytes:
    """The request body as sent: compact JSON, UTF-8 (tool schemas go out with every
    request, so the separators' spaces alone would cost hundreds of bytes)."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def build_payload(request: LLMRequest) -> dict[str, Any]:
    """The JSON body for ``POST /chat/completions``."""
    payload: dict[str, Any] = {
        "model": request.model,
        "messages": [m.to_openai() for m in request.messages],
    }
    if request.tools:
        payload["tools"] = request.tools
        if request.tool_choice:
            payload["tool_choice"] = request.tool_choice
    if request.temperature is not None:
        payload["temperature"] = request.temperature
    if request.max_tokens is not None:
        payload["max_tokens"] = request.max_tokens
    if request.stream:
        payload["stream"] = True
        payload["stream_options"] = {"include_usage": True}
    payload.update(request.extra)
    return payload


def parse_usage(data: Any) -> Usage:
    if not isinstance(data, dict):
        return Usage()
    details = data.get("prompt_tokens_details") or {}
    cost = data.get("cost")
    return Usage(
        prompt_tokens=int(data.get("prompt_tokens") or 0),
        completion_tokens=int(data.get("completion_tokens") or 0),
        cached_tokens=int((details.get("cached_tokens") if isinstance(details, dict) else 0) or 0),
        cost=float(cost) if isinstance(cost, (int, float)) else None,
        requests=1,
    )


def _arguments_text(value: Any) -> str:
    if value is None:
        return "{}"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def parse_completion(data: Any) -> LLMResponse:
    """A non-streamed JSON response; raises ProviderError if it is not one."""
    if not isinstance(data, dict) or not isinstance(data.get("choices"), list) or not data["choices"]:
        raise ProviderError(f"malformed response from the model server (no choices): {str(data)[:200]}")
    choice = data["choices"][0]
    raw = choice.get("message") or {}
    calls = []
    for index, call in enumerate(raw.get("tool_calls") or []):
        function = call.get("function") or {}
        calls.append(
            ToolCall(
                id=call.get("id") or f"call_{index}",
                name=function.get("name") or "",
                arguments=_arguments_text(function.get("arguments")),
            )
        )
    message = Message(
        role="assistant",
        content=raw.get("content"),
        tool_calls=calls,
        reasoning=raw.get("reasoning_content") or raw.get("reasoning"),
    )
    return LLMResponse(
        message=message,
        usage=parse_usage(data.get("usage")),
        finish_reason=choice.get("finish_reason"),
        model=data.get("model"),
    )


class StreamAssembler:
    """Feed parsed SSE chunks in; get events out as they come and the response at the end."""

    def __init__(self, on_event: Callable[[StreamEvent], None] | None = None) -> None:
        self.on_event = on_event or (lambda event: None)
        self.text: list[str] = []
        self.reasoning: list[str] = []
        self.calls: dict[int, dict[str, Any]] = {}
        self.finish_reason: str | None = None
        self.usage = Usage()
        self.model: str | None = None
        self.chunks = 0

    @property
    def emitted_anything(self) -> bool:
        return bool(self.text or self.reasoning or self.calls)

    def feed(self, chunk: dict[str, Any]) -> None:
        self.chunks += 1
        if "error" in chunk and not chunk.get("choices"):
            error = chunk["error"]
            message = error.get("message") if isinstance(error, dict) else str(error)
            raise ProviderError(f"the model server reported an error mid-stream: {message}")
        self.model = chunk.get("model") or self.model
        if chunk.get("usage"):
            self.usage = parse_usage(chunk["usage"])
            self.on_event(StreamEvent(kind="usage", usage=self.usage))
        for choice in chunk.get("choices") or []:
            delta = choice.get("delta") or {}
            reasoning = delta.get("reasoning_content") or delta.get("reasoning")
            if reasoning:
                self.reasoning.append(reasoning)
                self.on_event(StreamEvent(kind="reasoning", text=reasoning))
            content = delta.get("content")
            if content:
                self.text.append(content)
                self.on_event(StreamEvent(kind="text", text=content))
            for part in delta.get("tool_calls") or []:
                index = part.get("index", len(self.calls))
                slot = self.calls.setdefault(index, {"id": None, "name": "", "arguments": []})
                if part.get("id"):
                    slot["id"] = part["id"]
                function = part.get("function") or {}
                if function.get("name") and not slot["name"]:
                    slot["name"] = function["name"]
                    self.on_event(StreamEvent(kind="tool_call", tool_name=function["name"], index=index))
                if function.get("arguments") is not None:
                    slot["arguments"].append(_arguments_text(function["arguments"]))
            if choice.get("finish_reason"):
                self.finish_reason = choice["finish_reason"]

    def response(self) -> LLMResponse:
        calls = [
            ToolCall(id=slot["id"] or f"call_{index}", name=slot["name"], arguments="".join(slot["arguments"]) or "{}")
            for index, slot in sorted(self.calls.items())
        ]
        message = Message(
            role="assistant",
            content="".join(self.text) or None,
            tool_calls=calls,
            reasoning="".join(self.reasoning) or None,
        )
        return LLMResponse(message=message, usage=self.usage, finish_reason=self.finish_reason, model=self.model)


class SSEDecoder:
    """Server-sent events, line by line: ``feed`` returns the ``data`` payloads completed
    by that line; ``done`` turns true at ``data: [DONE]``."""

    def __init__(self) -> None:
        self._buffer: list[str] = []
        self.done = False

    def feed(self, line: str) -> list[str]:
        line = line.rstrip("\r\n")
        if line.startswith(":"):
            return []
        if line.startswith("data:"):
            self._buffer.append(line[5:].lstrip(" "))
            return []
        if line:
            return []  # event:, id:, retry: fields are not used by this protocol
        return self.flush()

    def flush(self) -> list[str]:
        if not self._buffer:
            return []
        data = "\n".join(self._buffer)
        self._buffer = []
        if data.strip() == "[DONE]":
            self.done = True
            return []
        return [data]


def iter_sse_data(lines: Any) -> Any:
    """``data:`` payloads from an iterable of SSE text lines (``[DONE]`` ends it)."""
    decoder = SSEDecoder()
    for line in lines:
        yield from decoder.feed(line)
        if decoder.done:
            return
    yield from decoder.flush()


def error_message(status: int, body: Any, *, base_url: str, model: str | None, key_hint: str) -> ProviderError:
    """A ProviderError users can act on, for an HTTP error status."""
    detail = ""
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            detail = str(error.get("message") or "")
        elif error:
            detail = str(error)
        elif body.get("message"):
            detail = str(body["message"])
    elif body:
        detail = str(body)[:300]
    suffix = f": {detail}" if detail else ""
    if status == 401:
        return ProviderError(f"authentication failed at {base_url} (HTTP 401){suffix}. Check {key_hint}.", status=401)
    if status == 403:
        return ProviderError(f"access denied at {base_url} (HTTP 403){suffix}. Check {key_hint} and the account's permissions.", status=403)
    if status == 404:
        return ProviderError(
            f"not found at {base_url} (HTTP 404){suffix}. Check the model name '{model}' "
            "(hermes model list --remote) and the base URL (model.base_url).",
            status=404,
        )
    if status == 400 and "model" in detail.lower():
        return ProviderError(f"the server rejected model '{model}' (HTTP 400){suffix}", status=400)
    retryable = status in (408, 409, 425, 429) or status >= 500
    return ProviderError(f"the model server answered HTTP {status}{suffix}", status=status, retryable=retryable)
