"""The SSH side of the persistent shell: session channels on one connection.

The shell runs in one session channel; side scripts (signalling a command, reading a
background log) each use a short-lived second channel on the same connection. When the
connection has dropped, the next channel opened reconnects (if allowed), and the shell
driver tells the user that the shell's state was lost.
"""

from __future__ import annotations

import shlex
import socket
import threading
import time
from typing import Any

from hermes_core.shell_driver import ShellGone, SideResult

from .config import SshOptions
from .connection import connect

_CHUNK = 65536


class ChannelStream:
    """A running remote command's merged output and stdin, as a shell stream."""

    def __init__(self, channel: Any) -> None:
        self._channel = channel

    def send(self, data: bytes) -> None:
        if self._channel.closed:
            raise ShellGone("the SSH channel is closed")
        self._channel.sendall(data)

    def recv(self, timeout: float) -> bytes | None:
        channel = self._channel
        if channel.closed and not channel.recv_ready():
            return None
        channel.settimeout(max(0.001, timeout))
        try:
            data = channel.recv(_CHUNK)
        except socket.timeout:
            return b""
        except OSError:
            return None
        return data or None

    def exit_status(self) -> int | None:
        if not self._channel.exit_status_ready():
            return None
        status = self._channel.recv_exit_status()
        return None if status < 0 else status

    def close(self) -> None:
        self._channel.close()


class SshTransport:
    """One SSH connection (opened on first use) that starts shells and side scripts."""

    def __init__(self, options: SshOptions) -> None:
        self.options = options
        self._transport: Any = None
        self._lock = threading.Lock()
        #: How many times the connection was re-established after dropping.
        self.reconnects = 0

    def _connection(self) -> Any:
        with self._lock:
            if self._transport is not None and self._transport.is_active():
                return self._transport
            if self._transport is not None:
                self._transport.close()
                self._transport = None
                if not self.options.reconnect:
                    raise ShellGone(
                        f"the SSH connection to {self.options.target()} dropped and "
                        f"terminal.ssh.reconnect is off"
                    )
                self.reconnects += 1
            self._transport = connect(self.options)
            return self._transport

    def _channel(self) -> Any:
        import paramiko

        transport = self._connection()
        try:
            return transport.open_session(timeout=self.options.connect_timeout)
        except (paramiko.SSHException, EOFError, OSError) as exc:
            raise ShellGone(
                f"cannot open a session on {self.options.target()}: {exc}; the server may limit "
                f"sessions per connection (sshd MaxSessions)"
            ) from exc

    def open_shell(self, argv: list[str]) -> ChannelStream:
        channel = self._channel()
        channel.set_combine_stderr(True)
        channel.exec_command(shlex.join(argv))
        return ChannelStream(channel)

    def run_side(self, script: str, *, timeout: float) -> SideResult:
        channel = self._channel()
        try:
            channel.exec_command("sh -c " + shlex.quote(script))
            channel.shutdown_write()
            deadline = time.monotonic() + timeout
            chunks: list[bytes] = []
            while time.monotonic() < deadline:
                channel.settimeout(max(0.001, deadline - time.monotonic()))
                try:
                    data = channel.recv(_CHUNK)
                except socket.timeout:
                    break
                if not data:
                    break
                chunks.append(data)
            code = channel.recv_exit_status() if channel.exit_status_ready() else None
            return SideResult(output=b"".join(chunks).decode("utf-8", "replace"), exit_code=code)
        finally:
            channel.close()

    def close(self) -> None:
        with self._lock:
            transport, self._transport = self._transport, None
        if transport is not None:
            transport.close()
