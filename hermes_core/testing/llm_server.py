"""A scripted OpenAI-compatible Chat Completions server on 127.0.0.1, for tests.

It is a real HTTP server (standard library only) speaking the protocol clients expect:
``POST /v1/chat/completions`` with JSON or SSE streaming answers and tool calls,
``GET /v1/models``, and ``POST /v1/embeddings`` (deterministic vectors). Each test scripts
the replies it wants, in order, and inspects every request afterwards::

    server.script(
        Reply.tool_call("terminal", {"command": "echo hi"}),
        Reply.text("It printed hi."),
    )
    ...
    assert server.requests[1].messages[-1]["role"] == "tool"

Replies can also be errors (``Reply.error(429)``), dropped connections (``Reply.drop()``),
slow (``.delayed(seconds)``), or computed from the request (``Reply.using(fn)``).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Call:
    """One tool call in a scripted reply. ``arguments`` may be a dict or raw text (to
    script malformed JSON)."""

    name: str
    arguments: dict[str, Any] | str = field(default_factory=dict)
    id: str | None = None

    def arguments_text(self) -> str:
        if isinstance(self.arguments, str):
            return self.arguments
        return json.dumps(self.arguments, ensure_ascii=False)


@dataclass
class Reply:
    """One scripted answer. Build with the class methods."""

    kind: str = "message"  # message | error | drop | raw | callable
    content: str | None = None
    calls: list[Call] = field(default_factory=list)
    reasoning: str | None = None
    finish_reason: str | None = None
    usage: dict[str, Any] | None = None
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    chunk_delay: float = 0.0
    drop_after_chunks: int | None = None
    fn: Callable[[RecordedRequest], Reply] | None = None
    model: str | None = None

    # -- constructors -------------------------------------------------------------------

    @classmethod
    def text(cls, content: str, *, usage: dict[str, Any] | None = None, finish_reason: str = "stop",
             reasoning: str | None = None) -> Reply:
        """A plain answer."""
        return cls(content=content, usage=usage, finish_reason=finish_reason, reasoning=reasoning)

    @classmethod
    def tool_call(cls, name: str, arguments: dict[str, Any] | str | None = None, *, id: str | None = None,
                  content: str | None = None, usage: dict[str, Any] | None = None) -> Reply:
        """An answer that calls one tool."""
        return cls(content=content, calls=[Call(name, arguments if arguments is not None else {}, id)],
                   finish_reason="tool_calls", usage=usage)

    @classmethod
    def tool_calls(cls, *calls: Call | tuple[str, dict[str, Any] | str], content: str | None = None,
                   usage: dict[str, Any] | None = None) -> Reply:
        """An answer that calls several tools at once."""
        parsed = [c if isinstance(c, Call) else Call(c[0], c[1]) for c in calls]
        return cls(content=content, calls=parsed, finish_reason="tool_calls", usage=usage)

    @classmethod
    def error(cls, status: int, message: str = "scripted error", *, type: str | None = None,
              headers: dict[str, str] | None = None) -> Reply:
        """An HTTP error with an OpenAI-style error body."""
        body = {"error": {"message": message, "type": type or "invalid_request_error", "code": status}}
        return cls(kind="error", status=status, body=body, headers=dict(headers or {}))

    @classmethod
    def drop(cls) -> Reply:
        """Close the connection without answering."""
        return cls(kind="drop")

    @classmethod
    def raw(cls, status: int, body: str | bytes, *, headers: dict[str, str] | None = None) -> Reply:
        """Exactly these bytes (for malformed responses)."""
        return cls(kind="raw", status=status, body=body, headers=dict(headers or {}))

    @classmethod
    def using(cls, fn: Callable[[RecordedRequest], Reply]) -> Reply:
        """Compute the reply from the request when it arrives."""
        return cls(kind="callable", fn=fn)

    # -- modifiers ----------------------------------------------------------------------

    def delayed(self, seconds: float) -> Reply:
        """Wait this long before answering (to test timeouts and interrupts)."""
        self.delay = seconds
        return self

    def slow_stream(self, seconds_per_chunk: float) -> Reply:
        """When streamed, wait this long between chunks."""
        self.chunk_delay = seconds_per_chunk
        return self

    def dropping_after(self, chunks: int) -> Reply:
        """When streamed, close the connection after this many chunks."""
        self.drop_after_chunks = chunks
        return self


@dataclass
class RecordedRequest:
    """A request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    received_at: float

    @property
    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None

    @property
    def messages(self) -> list[dict[str, Any]]:
        data = self.json
        return list(data.get("messages", [])) if isinstance(data, dict) else []

    @property
    def tools(self) -> list[dict[str, Any]]:
        data = self.json
        return list(data.get("tools", []) or []) if isinstance(data, dict) else []

    @property
    def tool_names(self) -> list[str]:
        return [t.get("function", {}).get("name") for t in self.tools]

    @property
    def system_prompt(self) -> str:
        for message in self.messages:
            if message.get("role") == "system":
                return str(message.get("content") or "")
        return ""

    @property
    def last_user_text(self) -> str:
        for message in reversed(self.messages):
            if message.get("role") == "user":
                content = message.get("content")
                return content if isinstance(content, str) else json.dumps(content)
        return ""

    @property
    def stream(self) -> bool:
        data = self.json
        return bool(isinstance(data, dict) and data.get("stream"))


def _estimate_tokens(text: str) -> int:
    return max(1, math.ceil(len(text) / 4)) if text else 0


def embed_text(text: str, dims: int = 64) -> list[float]:
    """A deterministic bag-of-words embedding: texts sharing words are close."""
    vector = [0.0] * dims
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        digest = hashlib.sha1(word.encode()).digest()
        vector[digest[0] % dims] += 1.0 if digest[1] % 2 else -1.0
        vector[digest[2] % dims] += 0.5
    norm = math.sqrt(sum(v * v for v in vector)) or 1.0
    return [v / norm for v in vector]


class ScriptedLLMServer:
    """The server. Use as a context manager or call ``start()``/``stop()``.

    :param api_key: if set, requests must carry ``Authorization: Bearer <api_key>``.
    :param models: model names served by ``/v1/models``; requests for other models get 404
        when ``strict_models`` is true.
    :param default: the reply when the script is empty (default: HTTP 500 saying so).
    :param embedding_dims: size of ``/v1/embeddings`` vectors.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        models: list[str] | None = None,
        strict_models: bool = False,
        default: Reply | None = None,
        embedding_dims: int = 64,
        stream_chunk_chars: int = 8,
    ) -> None:
        self.api_key = api_key
        self.models = models or ["test-model"]
        self.strict_models = strict_models
        self.default = default
        self.embedding_dims = embedding_dims
        self.stream_chunk_chars = stream_chunk_chars
        self.requests: list[RecordedRequest] = []
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> ScriptedLLMServer:
        handler = _make_handler(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="scripted-llm", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> ScriptedLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """The OpenAI-style base URL, ending in ``/v1``."""
        return f"http://127.0.0.1:{self.port}/v1"

    # -- scripting ----------------------------------------------------------------------

    def script(self, *replies: Reply | str) -> ScriptedLLMServer:
        """Queue replies (a plain string is ``Reply.text``)."""
        with self._lock:
            for reply in replies:
                self._script.append(Reply.text(reply) if isinstance(reply, str) else reply)
        return self

    def reset(self) -> None:
        with self._lock:
            self._script.clear()
            self.requests.clear()

    @property
    def pending(self) -> int:
        """Replies scripted but not yet used."""
        with self._lock:
            return len(self._script)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def _next_reply(self, request: RecordedRequest) -> Reply:
        with self._lock:
            reply = self._script.popleft() if self._script else None
        if reply is None:
            reply = self.default or Reply.error(
                500, f"scripted server: no reply scripted for request #{len(self.chat_requests)}", type="script_exhausted"
            )
        while reply.kind == "callable" and reply.fn is not None:
            reply = reply.fn(request)
        return reply

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def wait(self, seconds: float) -> bool:
        """Sleep unless the server stops; True if it is stopping."""
        return self._stopping.wait(seconds)


def _make_handler(server: ScriptedLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "hermes-scripted-llm/1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        # -- helpers --------------------------------------------------------------------

        def _read(self) -> RecordedRequest:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = RecordedRequest(
                method=self.command,
                path=self.path,
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
                received_at=time.time(),
            )
            server._record(request)
            return request

        def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _authorised(self, request: RecordedRequest) -> bool:
            if server.api_key is None:
                return True
            if request.headers.get("authorization") == f"Bearer {server.api_key}":
                return True
            self._send_json(401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error", "code": "invalid_api_key"}})
            return False

        def _drop(self) -> None:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        # -- routes ---------------------------------------------------------------------

        def do_GET(self) -> None:
            request = self._read()
            if not self._authorised(request):
                return
            if self.path.rstrip("/").endswith("/models"):
                self._send_json(200, {"object": "list", "data": [
                    {"id": m, "object": "model", "created": 0, "owned_by": "scripted"} for m in server.models
                ]})
            else:
                self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

        def do_POST(self) -> None:
            request = self._read()
            if not self._authorised(request):
                return
            path = self.path.split("?")[0].rstrip("/")
            if path.endswith("/chat/completions"):
                self._chat(request)
            elif path.endswith("/embeddings"):
                self._embeddings(request)
            else:
                self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

        def _embeddings(self, request: RecordedRequest) -> None:
            data = request.json or {}
            inputs = data.get("input", [])
            if isinstance(inputs, str):
                inputs = [inputs]
            dims = int(data.get("dimensions") or server.embedding_dims)
            self._send_json(200, {
                "object": "list",
                "model": data.get("model", "scripted-embedding"),
                "data": [
                    {"object": "embedding", "index": i, "embedding": embed_text(str(text), dims)}
                    for i, text in enumerate(inputs)
                ],
                "usage": {"prompt_tokens": sum(_estimate_tokens(str(t)) for t in inputs), "total_tokens": 0},
            })

        def _chat(self, request: RecordedRequest) -> None:
            data = request.json
            if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
                self._send_json(400, {"error": {"message": "body must be a JSON object with 'messages'", "type": "invalid_request_error"}})
                return
            model = data.get("model") or ""
            if server.strict_models and model not in server.models:
                self._send_json(404, {"error": {"message": f"The model `{model}` does not exist", "type": "invalid_request_error", "code": "model_not_found"}})
                return
            reply = server._next_reply(request)
            if reply.delay and server.wait(reply.delay):
                return self._drop()
            if reply.kind == "drop":
                return self._drop()
            if reply.kind == "error":
                return self._send_json(reply.status, reply.body, reply.headers)
            if reply.kind == "raw":
                body = reply.body if isinstance(reply.body, bytes) else str(reply.body).encode()
                self.send_response(reply.status)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            usage = reply.usage or self._usage(data, reply)
            if data.get("stream"):
                include_usage = bool((data.get("stream_options") or {}).get("include_usage"))
                self._stream(reply, model, usage, include_usage)
            else:
                self._send_json(200, self._completion(reply, model, usage))

        def _usage(self, data: dict[str, Any], reply: Reply) -> dict[str, Any]:
            prompt = sum(_estimate_tokens(json.dumps(m)) for m in data.get("messages", []))
            prompt += _estimate_tokens(json.dumps(data.get("tools") or []))
            completion = _estimate_tokens(reply.content or "") + sum(
                _estimate_tokens(c.arguments_text()) for c in reply.calls
            )
            return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}

        def _call_ids(self, reply: Reply) -> list[str]:
            return [c.id or f"call_{uuid.uuid4().hex[:12]}" for c in reply.calls]

        def _completion(self, reply: Reply, model: str, usage: dict[str, Any]) -> dict[str, Any]:
            message: dict[str, Any] = {"role": "assistant", "content": reply.content}
            if reply.reasoning:
                message["reasoning_content"] = reply.reasoning
            if reply.calls:
                message["tool_calls"] = [
                    {"id": cid, "type": "function", "function": {"name": c.name, "arguments": c.arguments_text()}}
                    for cid, c in zip(self._call_ids(reply), reply.calls)
                ]
            return {
                "id": f"chatcmpl-{uuid.uuid4().hex[:16]}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": reply.model or model,
                "choices": [{"index": 0, "message": message, "finish_reason": reply.finish_reason or "stop"}],
                "usage": usage,
            }

        def _stream(self, reply: Reply, model: str, usage: dict[str, Any], include_usage: bool) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            base = {
                "id": f"chatcmpl-{uuid.uuid4().hex[:16]}",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": reply.model or model,
            }
            size = max(1, server.stream_chunk_chars)
            deltas: list[dict[str, Any]] = [{"role": "assistant", "content": ""}]
            if reply.reasoning:
                deltas += [{"reasoning_content": reply.reasoning[i:i + size]} for i in range(0, len(reply.reasoning), size)]
            text = reply.content or ""
            deltas += [{"content": text[i:i + size]} for i in range(0, len(text), size)]
            for index, (cid, call) in enumerate(zip(self._call_ids(reply), reply.calls)):
                deltas.append({"tool_calls": [{"index": index, "id": cid, "type": "function",
                                               "function": {"name": call.name, "arguments": ""}}]})
                args = call.arguments_text()
                for i in range(0, len(args), size * 2):
                    deltas.append({"tool_calls": [{"index": index, "function": {"arguments": args[i:i + size * 2]}}]})
            events = [{**base, "choices": [{"index": 0, "delta": d, "finish_reason": None}]} for d in deltas]
            events.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": reply.finish_reason or "stop"}]})
            if include_usage:
                events.append({**base, "choices": [], "usage": usage})
            try:
                for number, event in enumerate(events):
                    if reply.drop_after_chunks is not None and number >= reply.drop_after_chunks:
                        return self._drop()
                    if reply.chunk_delay and server.wait(reply.chunk_delay):
                        return self._drop()
                    self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler
