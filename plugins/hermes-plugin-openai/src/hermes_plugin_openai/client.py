"""The OpenAI-compatible Chat Completions client (httpx, async)."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Callable
from typing import Any

import httpx

from hermes_core import LLMRequest, LLMResponse, ModelInfo, ProviderError, ProviderSettings, StreamEvent
from hermes_core.wire import SSEDecoder, StreamAssembler, build_payload, encode_payload, error_message, parse_completion

# Context windows of well-known models (prefix match, longest first). Servers do not
# report them; an unknown model falls back to the kernel default or model.context_window.
_WINDOWS = {
    "gpt-4.1": 1_047_576,
    "gpt-4o": 128_000,
    "gpt-4-turbo": 128_000,
    "gpt-5": 400_000,
    "o1": 200_000,
    "o3": 200_000,
    "o4": 200_000,
    "gpt-3.5-turbo": 16_385,
    "anthropic/claude": 200_000,
    "google/gemini": 1_000_000,
    "nousresearch/hermes-4": 131_072,
    "meta-llama/llama-3": 131_072,
}

_JSON = {"Content-Type": "application/json"}
_RETRY_STATUSES = {408, 409, 425, 429, 500, 502, 503, 504, 520, 522, 524, 529}
_MAX_BACKOFF = 30.0


class _Retry(Exception):
    def __init__(self, error: ProviderError, retry_after: float | None = None) -> None:
        self.error = error
        self.retry_after = retry_after


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return min(float(value), 60.0)
    except ValueError:
        return None


class OpenAICompatProvider:
    """An :class:`~hermes_core.protocols.LLMProvider` over httpx."""

    def __init__(self, settings: ProviderSettings, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        if not settings.base_url:
            raise ProviderError(f"provider '{settings.provider}' has no base URL: set model.base_url")
        self.settings = settings
        self.base_url = settings.base_url.rstrip("/")
        headers = {"Accept": "application/json", "User-Agent": "hermes-agent-host"}
        if settings.api_key:
            headers["Authorization"] = f"Bearer {settings.api_key}"
        if "openrouter.ai" in self.base_url:
            headers.update({"HTTP-Referer": "https://github.com/hermes-agent-host", "X-Title": "hermes"})
        # A plain-HTTP endpoint (a local Ollama, vLLM or llama.cpp server) never uses TLS:
        # skip building a verifying SSL context, which loads the whole CA bundle (~70 ms).
        # Redirects are not followed, so a request can never move to https unverified.
        plain_http = self.base_url.startswith("http://")
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            headers=headers,
            timeout=httpx.Timeout(settings.timeout, connect=15.0),
            transport=transport,
            verify=not plain_http,
            follow_redirects=False,
        )
        self._key_hint = (
            f"the API key for '{settings.provider}' (the variable named by model.api_key_env, "
            "or OPENAI_API_KEY / the provider's key variable in $HERMES_HOME/.env)"
        )

    # -- protocol -----------------------------------------------------------------------

    def context_window(self, model: str) -> int | None:
        for prefix in sorted(_WINDOWS, key=len, reverse=True):
            if model.startswith(prefix):
                return _WINDOWS[prefix]
        return None

    async def list_models(self) -> list[ModelInfo]:
        try:
            response = await self._client.get("/models")
        except httpx.HTTPError as exc:
            raise ProviderError(f"could not reach {self.base_url}: {exc}") from None
        if response.status_code != 200:
            raise self._error(response.status_code, _json_or_text(response))
        data = _json_or_text(response)
        items = data.get("data", []) if isinstance(data, dict) else []
        return [
            ModelInfo(name=str(m.get("id")), provider=self.settings.provider, context_window=m.get("context_length"))
            for m in items
            if isinstance(m, dict) and m.get("id")
        ]

    async def complete(self, request: LLMRequest, on_event: Callable[[StreamEvent], None] | None = None) -> LLMResponse:
        payload = build_payload(request)
        attempts = self.settings.max_retries + 1
        for attempt in range(attempts):
            try:
                if request.stream:
                    return await self._stream(payload, on_event)
                return await self._json(payload)
            except _Retry as retry:
                if attempt + 1 >= attempts:
                    raise retry.error from None
                delay = retry.retry_after if retry.retry_after is not None else min(_MAX_BACKOFF, 2.0**attempt)
                await asyncio.sleep(delay * random.uniform(0.8, 1.2))
        raise AssertionError("unreachable")

    async def aclose(self) -> None:
        await self._client.aclose()

    # -- internals ----------------------------------------------------------------------

    def _error(self, status: int, body: Any) -> ProviderError:
        return error_message(status, body, base_url=self.base_url, model=self.settings.model, key_hint=self._key_hint)

    def _status_error(self, response: httpx.Response, body: Any) -> Exception:
        error = self._error(response.status_code, body)
        if response.status_code in _RETRY_STATUSES:
            return _Retry(error, _retry_after(response))
        return error

    def _connection_error(self, exc: httpx.HTTPError) -> _Retry:
        kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
        detail = str(exc) or type(exc).__name__
        return _Retry(ProviderError(f"the request to {self.base_url} {kind}: {detail}", retryable=True))

    async def _json(self, payload: dict[str, Any]) -> LLMResponse:
        try:
            response = await self._client.post("/chat/completions", content=encode_payload(payload), headers=_JSON)
        except httpx.HTTPError as exc:
            raise self._connection_error(exc) from None
        body = _json_or_text(response)
        if response.status_code != 200:
            raise self._status_error(response, body)
        if isinstance(body, str):
            raise ProviderError(f"the model server at {self.base_url} did not answer with JSON: {body[:200]}")
        return parse_completion(body)

    async def _stream(self, payload: dict[str, Any], on_event: Callable[[StreamEvent], None] | None) -> LLMResponse:
        assembler = StreamAssembler(on_event)
        decoder = SSEDecoder()
        try:
            async with self._client.stream("POST", "/chat/completions", content=encode_payload(payload), headers=_JSON) as response:
                if response.status_code != 200:
                    await response.aread()
                    raise self._status_error(response, _json_or_text(response))
                content_type = response.headers.get("content-type", "")
                if "application/json" in content_type:  # a server that ignored stream=true
                    await response.aread()
                    result = parse_completion(_json_or_text(response))
                    if result.message.content and on_event is not None:
                        on_event(StreamEvent(kind="text", text=result.message.content))
                    return result
                async for line in response.aiter_lines():
                    for data in decoder.feed(line):
                        try:
                            chunk = json.loads(data)
                        except ValueError:
                            raise ProviderError(f"malformed stream chunk from {self.base_url}: {data[:120]}") from None
                        assembler.feed(chunk)
                    if decoder.done:
                        break
                for data in decoder.flush():
                    assembler.feed(json.loads(data))
        except httpx.HTTPError as exc:
            if assembler.emitted_anything:
                raise ProviderError(
                    f"the connection to {self.base_url} dropped mid-answer ({type(exc).__name__}); "
                    "the partial answer was discarded",
                    retryable=True,
                ) from None
            raise self._connection_error(exc) from None
        if assembler.chunks == 0:
            raise _Retry(ProviderError(f"{self.base_url} closed the stream without sending anything", retryable=True))
        if not decoder.done and assembler.finish_reason is None:
            # The server closed the connection before finishing: the answer is cut off.
            raise ProviderError(
                f"the stream from {self.base_url} ended before the answer was complete; "
                "the partial answer was discarded",
                retryable=True,
            )
        return assembler.response()


def _json_or_text(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (ValueError, json.JSONDecodeError):
        return response.text
