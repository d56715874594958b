"""The Docker side of the persistent shell: ``docker exec`` sessions in one container.

The shell is a ``docker exec`` of bash with stdin attached, driven over the engine's
hijacked HTTP socket. Without a TTY the engine multiplexes stdout and stderr into frames
(an 8-byte header: stream, three zero bytes, big-endian length); :class:`ExecStream`
takes them apart and merges both streams, as the shell protocol expects. Side scripts are
further execs in the same container, so they see the shell's processes and files.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from pathlib import Path
from typing import Any

from hermes_core.shell_driver import ShellGone, SideResult

from .config import DockerOptions
from .containers import (
    DockerBackendError,
    connect_client,
    create_container,
    remove_container,
    remove_leftover_containers,
)

_HEADER = struct.Struct(">BxxxL")
_CHUNK = 65536


class ExecStream:
    """One attached ``docker exec``: send to its stdin, read its merged output."""

    def __init__(self, api: Any, exec_id: str, sock: Any) -> None:
        self._api = api
        self._exec_id = exec_id
        self._io = sock
        # docker-py hands back a SocketIO over the engine connection; frames are read from
        # (and stdin written to) the socket itself.
        self._sock = getattr(sock, "_sock", sock)
        self._buffer = bytearray()
        self._eof = False
        self._closed = False

    def send(self, data: bytes) -> None:
        if self._closed:
            raise ShellGone("the docker exec session is closed")
        self._sock.sendall(data)

    def close_stdin(self) -> None:
        """Signal end of input (the process sees EOF on stdin)."""
        try:
            self._sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def recv(self, timeout: float) -> bytes | None:
        payload = self._take_frames()
        if payload:
            return payload
        if self._eof or self._closed:
            return None
        self._sock.settimeout(max(0.001, timeout))
        try:
            data = self._sock.recv(_CHUNK)
        except socket.timeout:
            return b""
        except OSError:
            data = b""
        if not data:
            self._eof = True
            return self._take_frames() or None
        self._buffer += data
        return self._take_frames()

    def _take_frames(self) -> bytes:
        out = bytearray()
        while len(self._buffer) >= _HEADER.size:
            _, length = _HEADER.unpack_from(self._buffer)
            if len(self._buffer) < _HEADER.size + length:
                break
            out += self._buffer[_HEADER.size:_HEADER.size + length]
            del self._buffer[:_HEADER.size + length]
        return bytes(out)

    def exit_status(self) -> int | None:
        try:
            info = self._api.exec_inspect(self._exec_id)
        except Exception:  # the container may be gone already
            return None
        return None if info.get("Running") else info.get("ExitCode")

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        response = getattr(self._io, "_response", None)
        for closer in (getattr(response, "close", None), self._io.close, self._sock.close):
            if closer is not None:
                try:
                    closer()
                except (OSError, ValueError):  # already closed by the one before
                    pass


class DockerTransport:
    """The session's container (created on first use) and execs inside it."""

    def __init__(self, options: DockerOptions, *, session_id: str, cwd: Path | None) -> None:
        self.options = options
        self._session_id = session_id
        self._cwd = cwd
        self._client: Any = None
        self.container: Any = None
        self._lock = threading.Lock()
        self._closed = False

    def _container(self) -> Any:
        with self._lock:
            if self._closed:
                raise ShellGone("this docker terminal is closed")
            if self.container is None:
                self._client = self._client or connect_client(self.options)
                if self.options.remove_leftovers:
                    remove_leftover_containers(client=self._client)
                self.container = create_container(
                    self._client, self.options, session_id=self._session_id, cwd=self._cwd
                )
            return self.container

    def _exec(self, argv: list[str]) -> ExecStream:
        import docker

        for attempt in (1, 2):
            container = self._container()
            api = self._client.api
            try:
                exec_id = api.exec_create(container.id, argv, stdin=True, stdout=True, stderr=True, tty=False)["Id"]
                sock = api.exec_start(exec_id, socket=True)
            except docker.errors.NotFound as exc:
                # Removed (or stopped) behind our back: a fresh container for the session;
                # the shell driver tells the user that the old state is gone.
                self._forget(container)
                if attempt == 2:
                    raise ShellGone(f"the session's container {container.name} is gone and could not be replaced") from exc
                continue
            except docker.errors.APIError as exc:
                if "is not running" in str(exc) and attempt == 1:
                    self._forget(container)
                    continue
                raise DockerBackendError(f"docker exec in {container.name} failed: {exc.explanation or exc}") from exc
            return ExecStream(api, exec_id, sock)
        raise AssertionError("unreachable")

    def _forget(self, container: Any) -> None:
        with self._lock:
            if self.container is container:
                self.container = None
        remove_container(container)

    def open_shell(self, argv: list[str]) -> ExecStream:
        return self._exec(argv)

    def run_side(self, script: str, *, timeout: float) -> SideResult:
        stream = self._exec(["sh", "-c", script])
        try:
            stream.close_stdin()
            deadline = time.monotonic() + timeout
            chunks: list[bytes] = []
            while (left := deadline - time.monotonic()) > 0:
                data = stream.recv(left)
                if data is None:
                    break
                chunks.append(data)
            return SideResult(output=b"".join(chunks).decode("utf-8", "replace"), exit_code=stream.exit_status())
        finally:
            stream.close()

    def close(self) -> None:
        """Remove the container (and with it every process the session started)."""
        with self._lock:
            self._closed = True
            container, self.container = self.container, None
            client, self._client = self._client, None
        try:
            if container is not None:
                remove_container(container)
        finally:
            if client is not None:
                client.close()
