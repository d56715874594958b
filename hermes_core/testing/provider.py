"""A small OpenAI-compatible provider built on the standard library, for the test kit.

Plugin packages are tested on top of ``hermes-core`` alone, without the OpenAI provider
plugin, yet their integration tests need a model to talk to. This client speaks the same
wire format (:mod:`hermes_core.wire`) over :mod:`http.client` in a worker thread, JSON and
SSE streaming, against the test kit's scripted server. Cancelling the awaiting task closes
the connection. It does no retries: tests script exactly what happens.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from ..errors import ProviderError
from ..types import LLMRequest, LLMResponse, ModelInfo, ProviderSettings, ProviderSpec, StreamEvent
from ..wire import SSEDecoder, StreamAssembler, build_payload, encode_payload, error_message, parse_completion


class KitProvider:
    """An :class:`~hermes_core.protocols.LLMProvider` for tests."""

    def __init__(self, settings: ProviderSettings) -> None:
        if not settings.base_url:
            raise ProviderError("the test kit provider needs a base_url")
        self.settings = settings
        parts = urlsplit(settings.base_url)
        self._host = parts.hostname or "127.0.0.1"
        self._port = parts.port or 80
        self._prefix = parts.path.rstrip("/")

    def context_window(self, model: str) -> int | None:
        return None

    async def list_models(self) -> list[ModelInfo]:
        status, body = await asyncio.to_thread(self._simple, "GET", "/models", None)
        if status != 200:
            raise self._error(status, body)
        return [ModelInfo(name=m["id"], provider=self.settings.provider) for m in body.get("data", [])]

    async def complete(self, request: LLMRequest, on_event: Callable[[StreamEvent], None] | None = None) -> LLMResponse:
        payload = build_payload(request)
        conn_box: dict[str, http.client.HTTPConnection] = {}
        loop = asyncio.get_running_loop()

        def emit(event: StreamEvent) -> None:
            if on_event is not None:
                loop.call_soon_threadsafe(on_event, event)

        future = asyncio.to_thread(self._post_chat, payload, request.stream, emit, conn_box)
        try:
            return await future
        except asyncio.CancelledError:
            conn = conn_box.get("conn")
            if conn is not None and conn.sock is not None:
                try:
                    conn.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            raise

    async def aclose(self) -> None:
        return None

    # -- blocking parts, in a worker thread ---------------------------------------------

    def _connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self._host, self._port, timeout=self.settings.timeout)

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.settings.api_key:
            headers["Authorization"] = f"Bearer {self.settings.api_key}"
        return headers

    def _simple(self, method: str, path: str, payload: Any) -> tuple[int, Any]:
        conn = self._connection()
        try:
            body = json.dumps(payload).encode() if payload is not None else None
            conn.request(method, self._prefix + path, body=body, headers=self._headers())
            response = conn.getresponse()
            raw = response.read()
            try:
                return response.status, json.loads(raw or b"null")
            except ValueError:
                return response.status, raw.decode(errors="replace")
        finally:
            conn.close()

    def _error(self, status: int, body: Any) -> ProviderError:
        return error_message(status, body, base_url=self.settings.base_url or "", model=self.settings.model,
                             key_hint="the API key")

    def _post_chat(self, payload: dict[str, Any], stream: bool, emit: Callable[[StreamEvent], None],
                   conn_box: dict[str, http.client.HTTPConnection]) -> LLMResponse:
        conn = self._connection()
        conn_box["conn"] = conn
        try:
            try:
                conn.request("POST", self._prefix + "/chat/completions", body=encode_payload(payload),
                             headers=self._headers())
                response = conn.getresponse()
            except (OSError, http.client.HTTPException) as exc:
                raise ProviderError(f"could not reach {self.settings.base_url}: {exc}", retryable=True) from None
            if response.status != 200:
                raw = response.read()
                try:
                    body: Any = json.loads(raw)
                except ValueError:
                    body = raw.decode(errors="replace")
                raise self._error(response.status, body)
            if not stream:
                try:
                    return parse_completion(json.loads(response.read()))
                except ValueError as exc:
                    raise ProviderError(f"malformed JSON from the model server: {exc}") from None
            assembler = StreamAssembler(emit)
            decoder = SSEDecoder()
            try:
                for raw in _lines(response):
                    for data in decoder.feed(raw.decode("utf-8", errors="replace")):
                        try:
                            chunk = json.loads(data)
                        except ValueError:
                            raise ProviderError(f"malformed stream chunk: {data[:120]}") from None
                        assembler.feed(chunk)
                    if decoder.done:
                        break
            except (OSError, http.client.HTTPException) as exc:
                raise ProviderError(f"the connection dropped mid-answer: {exc}", retryable=True) from None
            if assembler.chunks == 0:
                raise ProviderError("the model server closed the stream without sending anything", retryable=True)
            if not decoder.done and assembler.finish_reason is None:
                raise ProviderError("the stream ended before the answer was complete", retryable=True)
            return assembler.response()
        finally:
            conn.close()


def _lines(response: http.client.HTTPResponse) -> Any:
    while True:
        line = response.readline()
        if not line:
            return
        yield line


def kit_provider_spec(name: str = "kit") -> ProviderSpec:
    """A ProviderSpec for :class:`KitProvider`, to register in tests."""
    return ProviderSpec(name=name, description="test kit OpenAI-compatible client", factory=KitProvider,
                        env=[], default_model="test-model")

