"""A fake Honcho API on 127.0.0.1, standing in for Honcho's server, which cannot run here
(it needs PostgreSQL with pgvector, an LLM provider and its background deriver).

It implements the v3 endpoints the ``honcho-ai`` SDK calls for this plugin, found in the
SDK's own source (``honcho/http/routes.py`` and the methods that use them), with the
response shapes of the SDK's ``api_types``: workspaces, peers and sessions are
get-or-create, ids must match Honcho's ``^[a-zA-Z0-9_-]+$``, a wrong API key gets 401.
Where the real server reasons with an LLM, the fake is simple and synchronous: a peer's
"representation" is what the peer itself said in sessions where it is observed, and the
dialectic endpoint answers with the statements sharing the most words with the question
(null when none does). Tests can make it fail or slow down, and read every request.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

NAME = re.compile(r"^[a-zA-Z0-9_-]+$")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("a an and are as at be by do does for from has have how i in is it me my of on or so that the "
                  "this to was what when where which who with you your".split())


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


class ApiError(Exception):
    def __init__(self, status: int, detail: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    headers: dict[str, str]


@dataclass
class Workspace:
    id: str
    created_at: str = field(default_factory=_now)
    peers: dict[str, dict[str, Any]] = field(default_factory=dict)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)


class FakeHoncho:
    """The fake server. Use as a context manager; ``base_url`` is its address."""

    def __init__(self, *, api_key: str | None = None) -> None:
        self.api_key = api_key
        self.workspaces: dict[str, Workspace] = {}
        self.requests: list[Recorded] = []
        self.unknown_routes: list[str] = []
        self.delay = 0.0
        self._failures: list[int] = []
        self._ids = itertools.count(1)
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None

    # -- test controls -------------------------------------------------------------------

    def fail_next(self, status: int, times: int = 1) -> None:
        """Answer the next ``times`` requests with HTTP ``status``."""
        with self._lock:
            self._failures.extend([status] * times)

    def messages(self, workspace: str = "hermes") -> list[dict[str, Any]]:
        ws = self.workspaces.get(workspace)
        return [m for s in (ws.sessions.values() if ws else []) for m in s["messages"]]

    def routes_used(self) -> set[str]:
        """Requests as ``METHOD /path`` with ids replaced by placeholders."""
        used = set()
        for r in self.requests:
            parts = r.path.split("/")
            for index in range(len(parts)):
                if index > 0 and parts[index - 1] in ("workspaces", "peers", "sessions", "messages") and parts[index] != "list":
                    parts[index] = "{id}"
            used.add(f"{r.method} {'/'.join(parts)}")
        return used

    # -- lifecycle -----------------------------------------------------------------------

    def __enter__(self) -> FakeHoncho:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- the API ---------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: dict[str, list[str]], body: Any, headers: dict[str, str]) -> Any:
        with self._lock:
            self.requests.append(Recorded(method, path, query, body, headers))
            if self._failures:
                status = self._failures.pop(0)
                raise ApiError(status, f"injected failure {status}")
        if self.delay:
            time.sleep(self.delay)
        if self.api_key is not None and headers.get("authorization") != f"Bearer {self.api_key}":
            raise ApiError(401, "Invalid API key")
        parts = [p for p in path.split("/") if p]
        if parts[:2] != ["v3", "workspaces"]:
            return self._unknown(method, path)
        rest = parts[2:]
        with self._lock:
            if method == "POST" and rest == []:
                return self._workspace_json(self._get_or_create_workspace(body))
            if not rest:
                return self._unknown(method, path)
            ws = self.workspaces.get(rest[0])
            if ws is None:
                raise ApiError(404, f"Workspace {rest[0]} not found")
            route = (method, *rest[1:])
            if route == ("POST", "peers"):
                return self._peer_json(ws, self._get_or_create_peer(ws, body.get("id", ""), body))
            if route == ("POST", "sessions"):
                return self._session_json(ws, self._get_or_create_session(ws, body))
            if len(route) == 4 and route[0] == "POST" and route[1] == "sessions" and route[3] == "peers":
                return self._add_session_peers(ws, route[2], body)
            if len(route) == 4 and route[0] == "POST" and route[1] == "sessions" and route[3] == "messages":
                return self._add_messages(ws, route[2], body)
            if len(route) == 4 and route[0] == "GET" and route[1] == "sessions" and route[3] == "context":
                return self._session_context(ws, route[2], query)
            if len(route) == 4 and route[0] == "POST" and route[1] == "peers" and route[3] == "chat":
                return self._chat(ws, route[2], body)
            if len(route) == 4 and route[0] == "GET" and route[1] == "peers" and route[3] == "context":
                return self._peer_context(ws, route[2], query)
            if len(route) == 4 and route[0] == "POST" and route[1] == "peers" and route[3] == "representation":
                return {"representation": self._representation(ws, route[2], body.get("search_query"))}
        return self._unknown(method, path)

    def _unknown(self, method: str, path: str) -> Any:
        self.unknown_routes.append(f"{method} {path}")
        raise ApiError(404, "Not Found")

    @staticmethod
    def _check_name(kind: str, value: Any) -> str:
        if not isinstance(value, str) or not NAME.match(value) or len(value) > 512:
            raise ApiError(422, [{"loc": ["body", "id"], "msg": f"{kind} id must match ^[a-zA-Z0-9_-]+$", "input": value}])
        return value

    def _get_or_create_workspace(self, body: dict[str, Any]) -> Workspace:
        name = self._check_name("workspace", body.get("id"))
        return self.workspaces.setdefault(name, Workspace(name))

    def _get_or_create_peer(self, ws: Workspace, name: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        self._check_name("peer", name)
        if name not in ws.peers:
            ws.peers[name] = {"id": name, "metadata": (body or {}).get("metadata") or {},
                              "configuration": (body or {}).get("configuration") or {}, "created_at": _now()}
        return ws.peers[name]

    def _get_or_create_session(self, ws: Workspace, body: dict[str, Any]) -> dict[str, Any]:
        name = self._check_name("session", body.get("id"))
        session = ws.sessions.setdefault(
            name, {"id": name, "peers": {}, "messages": [], "metadata": body.get("metadata") or {}, "created_at": _now()}
        )
        self._add_session_peers(ws, name, body.get("peers") or {})
        return session

    def _add_session_peers(self, ws: Workspace, session_id: str, peers: dict[str, Any]) -> dict[str, Any]:
        session = self._session(ws, session_id)
        for name, config in peers.items():
            self._get_or_create_peer(ws, name)
            session["peers"][name] = dict(config or {})
        return self._session_json(ws, session)

    def _session(self, ws: Workspace, session_id: str) -> dict[str, Any]:
        session = ws.sessions.get(session_id)
        if session is None:
            raise ApiError(404, f"Session {session_id} not found")
        return session

    def _add_messages(self, ws: Workspace, session_id: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        session = self._session(ws, session_id)
        batch = body.get("messages")
        if not isinstance(batch, list) or not 1 <= len(batch) <= 100:
            raise ApiError(422, "messages: between 1 and 100 items")
        created = []
        for item in batch:
            content = item.get("content")
            if not isinstance(content, str) or len(content) > 25_000:
                raise ApiError(422, "content: a string of at most 25000 characters")
            peer = self._get_or_create_peer(ws, item.get("peer_id", ""))["id"]
            session["peers"].setdefault(peer, {})
            message = {
                "id": f"msg_{next(self._ids)}", "content": content, "peer_id": peer, "session_id": session_id,
                "metadata": item.get("metadata") or {}, "created_at": _now(), "workspace_id": ws.id,
                "token_count": max(1, len(content) // 4),
            }
            session["messages"].append(message)
            created.append(message)
        return created

    def _observed_statements(self, ws: Workspace, peer: str) -> list[str]:
        statements = []
        for session in ws.sessions.values():
            if session["peers"].get(peer, {}).get("observe_me") is False:
                continue
            statements += [m["content"] for m in session["messages"] if m["peer_id"] == peer]
        return statements

    def _best(self, statements: list[str], query: str | None, top: int) -> list[str]:
        if not query:
            return statements[-top:]
        wanted = _words(query)
        scored = [(len(wanted & _words(s)), i, s) for i, s in enumerate(statements)]
        return [s for n, _, s in sorted(scored, key=lambda t: (-t[0], -t[1])) if n > 0][:top]

    def _representation(self, ws: Workspace, peer: str, query: str | None = None, top: int = 10) -> str:
        if peer not in ws.peers:
            raise ApiError(404, f"Peer {peer} not found")
        found = self._best(self._observed_statements(ws, peer), query, top)
        return "\n".join(f"- {peer} said: {s}" for s in found)

    def _chat(self, ws: Workspace, peer: str, body: dict[str, Any]) -> dict[str, Any]:
        if peer not in ws.peers:
            raise ApiError(404, f"Peer {peer} not found")
        query = body.get("query")
        if not isinstance(query, str) or not 1 <= len(query) <= 10_000:
            raise ApiError(422, "query: between 1 and 10000 characters")
        found = self._best(self._observed_statements(ws, peer), query, 3)
        content = ("From what this user has said: " + " | ".join(found)) if found else None
        return {"content": content}

    def _session_context(self, ws: Workspace, session_id: str, query: dict[str, list[str]]) -> dict[str, Any]:
        session = self._session(ws, session_id)
        target = (query.get("peer_target") or [None])[0]
        budget = int((query.get("tokens") or ["100000"])[0])
        messages, used = [], 0
        for message in reversed(session["messages"]):
            used += message["token_count"]
            if used > budget:
                break
            messages.insert(0, message)
        representation = self._representation(ws, target) if target else None
        return {"id": session_id, "messages": messages, "summary": None,
                "peer_representation": representation or None, "peer_card": None}

    def _peer_context(self, ws: Workspace, peer: str, query: dict[str, list[str]]) -> dict[str, Any]:
        search = (query.get("search_query") or [None])[0]
        top = int((query.get("search_top_k") or ["10"])[0])
        representation = self._representation(ws, peer, search, top)
        return {"peer_id": peer, "target_id": peer, "representation": representation or None, "peer_card": None}

    # -- response shapes -----------------------------------------------------------------

    @staticmethod
    def _workspace_json(ws: Workspace) -> dict[str, Any]:
        return {"id": ws.id, "metadata": {}, "configuration": {}, "created_at": ws.created_at}

    @staticmethod
    def _peer_json(ws: Workspace, peer: dict[str, Any]) -> dict[str, Any]:
        return {**peer, "workspace_id": ws.id}

    @staticmethod
    def _session_json(ws: Workspace, session: dict[str, Any]) -> dict[str, Any]:
        return {"id": session["id"], "is_active": True, "workspace_id": ws.id, "metadata": session["metadata"],
                "configuration": {}, "created_at": session["created_at"]}


def _handler(fake: FakeHoncho) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            url = urlsplit(self.path)
            try:
                body = json.loads(raw) if raw else {}
                result = fake.handle(self.command, url.path, parse_qs(url.query),
                                     body, {k.lower(): v for k, v in self.headers.items()})
                status, payload = 200, result
            except ApiError as exc:
                status, payload = exc.status, {"detail": exc.detail}
            except ValueError:
                status, payload = 422, {"detail": "body is not JSON"}
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return Handler


@pytest.fixture
def honcho_server() -> Iterator[FakeHoncho]:
    with FakeHoncho(api_key="hk-test-" + uuid.uuid4().hex[:8]) as server:
        yield server


@pytest.fixture
def honcho_settings(honcho_server: FakeHoncho, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """``memory.honcho`` settings pointing at the fake, with its key in the environment."""
    monkeypatch.setenv("HONCHO_TEST_KEY", honcho_server.api_key or "")
    return {"base_url": honcho_server.base_url, "api_key_env": "HONCHO_TEST_KEY",
            "workspace": "hermes", "max_retries": 0, "timeout": 10}
