"""A fake of Daytona's HTTP API on 127.0.0.1, for tests on machines that cannot reach Daytona.

It serves the endpoints the daytona SDK calls for this plugin: the control API under
``/api`` (create, get and delete a sandbox, its toolbox proxy URL) and the toolbox API under
``/toolbox/<sandbox id>`` (``/process/execute``, sessions, session commands with their logs,
exit codes and stdin input). Requests must carry the configured bearer token.

It is a fake, not a sandbox: commands run on this machine as the current user, each sandbox
starting in its own temporary folder. It checks the plugin's use of the SDK and of the
session API, not Daytona's isolation. Every request is recorded in ``requests``.
"""

from __future__ import annotations

import codecs
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class _Command:
    id: str
    command: str
    process: subprocess.Popen[bytes]
    output: str = ""
    stdout: str = ""
    stderr: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    readers: list[threading.Thread] = field(default_factory=list)

    def exit_code(self) -> int | None:
        code = self.process.poll()
        if code is None or any(reader.is_alive() for reader in self.readers):
            return None  # not finished until its output is all in
        return code if code >= 0 else 128 - code


@dataclass
class _Sandbox:
    dto: dict[str, Any]
    root: str
    sessions: dict[str, dict[str, _Command]] = field(default_factory=dict)


class FakeDaytona:
    """The fake API server. ``with FakeDaytona(api_key) as fake: fake.api_url ...``"""

    def __init__(self, api_key: str = "test-key") -> None:
        self.api_key = api_key
        self.sandboxes: dict[str, _Sandbox] = {}
        self.requests: list[tuple[str, str]] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api"

    def __enter__(self) -> FakeDaytona:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        for sandbox in list(self.sandboxes.values()):
            self._destroy(sandbox)

    def live_sandboxes(self) -> list[dict[str, Any]]:
        """DTOs of sandboxes not deleted yet."""
        return [s.dto for s in self.sandboxes.values() if s.dto["state"] != "destroyed"]

    # -- behaviour ------------------------------------------------------------------------

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        sandbox_id = f"sbx-{next(self._ids)}-{uuid.uuid4().hex[:6]}"
        root = tempfile.mkdtemp(prefix="fake-daytona-")
        dto = {
            "id": sandbox_id, "organizationId": "org-test", "name": body.get("name") or sandbox_id,
            "snapshot": body.get("snapshot"), "user": body.get("user") or "daytona",
            "env": body.get("env") or {}, "labels": body.get("labels") or {}, "public": bool(body.get("public")),
            "networkBlockAll": bool(body.get("networkBlockAll")), "kvm": False, "target": body.get("target") or "us",
            "cpu": body.get("cpu") or 1, "gpu": 0, "memory": body.get("memory") or 1, "disk": body.get("disk") or 3,
            "state": "started", "autoStopInterval": body.get("autoStopInterval"),
            "autoDeleteInterval": body.get("autoDeleteInterval"),
            "toolboxProxyUrl": f"{self.base_url}/toolbox", "buildInfo": None,
        }
        if body.get("buildInfo"):
            dto["buildInfo"] = {"dockerfileContent": body["buildInfo"].get("dockerfileContent", ""),
                                "contextHashes": [], "createdAt": "2026-01-01T00:00:00Z",
                                "updatedAt": "2026-01-01T00:00:00Z", "snapshotRef": "fake"}
        with self._lock:
            self.sandboxes[sandbox_id] = _Sandbox(dto=dto, root=root)
        return dto

    def _destroy(self, sandbox: _Sandbox) -> None:
        for commands in sandbox.sessions.values():
            for command in commands.values():
                _kill(command)
        sandbox.sessions.clear()
        sandbox.dto["state"] = "destroyed"
        shutil.rmtree(sandbox.root, ignore_errors=True)

    def start_command(self, sandbox: _Sandbox, command: str, env: dict[str, str] | None = None,
                      cwd: str | None = None) -> _Command:
        process = subprocess.Popen(
            ["sh", "-c", command], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            cwd=cwd or sandbox.root, env={**os.environ, **sandbox.dto["env"], **(env or {})}, start_new_session=True,
        )
        record = _Command(id=uuid.uuid4().hex, command=command, process=process)
        for stream, name in ((process.stdout, "stdout"), (process.stderr, "stderr")):
            reader = threading.Thread(target=_pump, args=(record, stream, name), daemon=True)
            reader.start()
            record.readers.append(reader)
        return record


def _pump(record: _Command, stream: Any, name: str) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    while True:
        chunk = os.read(stream.fileno(), 65536)
        text = decoder.decode(chunk, final=not chunk)
        with record.lock:
            record.output += text
            setattr(record, name, getattr(record, name) + text)
        if not chunk:
            break
    stream.close()


def _kill(command: _Command) -> None:
    # Like a sandbox going away: the command's whole process group, even when the command
    # itself (the group's leader) has already exited.
    try:
        os.killpg(command.process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    command.process.wait()
    if command.process.stdin is not None:
        try:
            command.process.stdin.close()
        except OSError:
            pass
    for reader in command.readers:
        reader.join(timeout=5)


_ROUTES = [
    ("POST", r"/api/sandbox", "create_sandbox"),
    ("GET", r"/api/sandbox/(?P<sid>[^/]+)", "get_sandbox"),
    ("DELETE", r"/api/sandbox/(?P<sid>[^/]+)", "delete_sandbox"),
    ("GET", r"/api/sandbox/(?P<sid>[^/]+)/toolbox-proxy-url", "proxy_url"),
    ("POST", r"/toolbox/(?P<sid>[^/]+)/process/execute", "execute"),
    ("POST", r"/toolbox/(?P<sid>[^/]+)/process/session", "create_session"),
    ("DELETE", r"/toolbox/(?P<sid>[^/]+)/process/session/(?P<session>[^/]+)", "delete_session"),
    ("POST", r"/toolbox/(?P<sid>[^/]+)/process/session/(?P<session>[^/]+)/exec", "session_exec"),
    ("GET", r"/toolbox/(?P<sid>[^/]+)/process/session/(?P<session>[^/]+)/command/(?P<cid>[^/]+)", "get_command"),
    ("GET", r"/toolbox/(?P<sid>[^/]+)/process/session/(?P<session>[^/]+)/command/(?P<cid>[^/]+)/logs", "logs"),
    ("POST", r"/toolbox/(?P<sid>[^/]+)/process/session/(?P<session>[^/]+)/command/(?P<cid>[^/]+)/input", "input"),
]


class _ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _handler(fake: FakeDaytona) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _dispatch(self) -> None:
            path = self.path.split("?", 1)[0]
            fake.requests.append((self.command, path))
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                if self.headers.get("Authorization") != f"Bearer {fake.api_key}":
                    raise _ApiError(401, "Unauthorized: invalid API key")
                for method, pattern, name in _ROUTES:
                    match = re.fullmatch(pattern, path)
                    if method == self.command and match:
                        body = json.loads(raw) if raw else {}
                        self._reply(200, getattr(self, f"do_{name}")(body, **match.groupdict()))
                        return
                raise _ApiError(404, f"Cannot {self.command} {path}")
            except _ApiError as exc:
                self._reply(exc.status, {"statusCode": exc.status, "message": str(exc), "error": "error"})

        do_GET = do_POST = do_DELETE = _dispatch  # type: ignore[assignment]

        def _reply(self, status: int, payload: Any) -> None:
            data = b"" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        # -- control API --------------------------------------------------------------

        def _sandbox(self, sid: str) -> _Sandbox:
            sandbox = fake.sandboxes.get(sid)
            if sandbox is None or sandbox.dto["state"] == "destroyed":
                raise _ApiError(404, f"Sandbox with ID or name {sid} not found")
            return sandbox

        def do_create_sandbox(self, body: dict[str, Any]) -> Any:
            return fake.create(body)

        def do_get_sandbox(self, body: dict[str, Any], sid: str) -> Any:
            return self._sandbox(sid).dto

        def do_delete_sandbox(self, body: dict[str, Any], sid: str) -> Any:
            sandbox = self._sandbox(sid)
            fake._destroy(sandbox)
            return sandbox.dto

        def do_proxy_url(self, body: dict[str, Any], sid: str) -> Any:
            self._sandbox(sid)
            return {"url": f"{fake.base_url}/toolbox"}

        # -- toolbox API --------------------------------------------------------------

        def do_execute(self, body: dict[str, Any], sid: str) -> Any:
            sandbox = self._sandbox(sid)
            command = fake.start_command(sandbox, body["command"], body.get("envs"), body.get("cwd"))
            command.process.stdin.close()  # type: ignore[union-attr]
            try:
                command.process.wait(timeout=body.get("timeout") or 10)
            except subprocess.TimeoutExpired:
                _kill(command)
                return {"exitCode": -1, "result": command.output + "\ncommand timed out"}
            for reader in command.readers:
                reader.join()
            return {"exitCode": command.exit_code(), "result": command.output}

        def do_create_session(self, body: dict[str, Any], sid: str) -> Any:
            sandbox = self._sandbox(sid)
            session = body["sessionId"]
            if session in sandbox.sessions:
                raise _ApiError(409, f"session {session} already exists")
            sandbox.sessions[session] = {}
            return None

        def _session(self, sid: str, session: str) -> dict[str, _Command]:
            commands = self._sandbox(sid).sessions.get(session)
            if commands is None:
                raise _ApiError(404, f"session {session} not found")
            return commands

        def do_delete_session(self, body: dict[str, Any], sid: str, session: str) -> Any:
            for command in self._session(sid, session).values():
                _kill(command)
            del self._sandbox(sid).sessions[session]
            return None

        def do_session_exec(self, body: dict[str, Any], sid: str, session: str) -> Any:
            commands = self._session(sid, session)
            command = fake.start_command(self._sandbox(sid), body["command"])
            commands[command.id] = command
            if body.get("runAsync") or body.get("async"):
                return {"cmdId": command.id}
            command.process.stdin.close()  # type: ignore[union-attr]
            command.process.wait()
            for reader in command.readers:
                reader.join()
            return {"cmdId": command.id, "exitCode": command.exit_code(), "output": command.output,
                    "stdout": command.stdout, "stderr": command.stderr}

        def _command(self, sid: str, session: str, cid: str) -> _Command:
            command = self._session(sid, session).get(cid)
            if command is None:
                raise _ApiError(404, f"command {cid} not found")
            return command

        def do_get_command(self, body: dict[str, Any], sid: str, session: str, cid: str) -> Any:
            command = self._command(sid, session, cid)
            return {"id": command.id, "command": command.command, "exitCode": command.exit_code()}

        def do_logs(self, body: dict[str, Any], sid: str, session: str, cid: str) -> Any:
            command = self._command(sid, session, cid)
            with command.lock:
                return {"output": command.output, "stdout": command.stdout, "stderr": command.stderr}

        def do_input(self, body: dict[str, Any], sid: str, session: str, cid: str) -> Any:
            command = self._command(sid, session, cid)
            if command.process.poll() is not None:
                raise _ApiError(400, "command is not running")
            try:
                command.process.stdin.write(body["data"].encode())  # type: ignore[union-attr]
                command.process.stdin.flush()  # type: ignore[union-attr]
            except (BrokenPipeError, ValueError) as exc:
                raise _ApiError(400, f"cannot write to the command: {exc}") from exc
            return None

    return Handler
