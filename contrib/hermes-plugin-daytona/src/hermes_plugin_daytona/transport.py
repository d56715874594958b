"""The shell's transport: a Daytona session command with stdin input and polled logs.

The sandbox's toolbox runs commands in named sessions; a command started asynchronously
keeps running, takes input (``send_session_command_input``) and has logs that grow. The
persistent bash is one such command; the stream polls its combined output and hands on
what is new. Side scripts use ``process.exec``. One sandbox per session, created on first
use (ephemeral, so Daytona deletes it once it stops) and deleted at close.
"""

from __future__ import annotations

import os
import shlex
import socket
import threading
import time
import uuid
from typing import Any

from hermes_core import HermesError
from hermes_core.shell_driver import ShellGone, SideResult

from .config import DaytonaOptions


class DaytonaBackendError(HermesError):
    """The Daytona API refused or failed; the message says what to check."""


class SessionCommandStream:
    """A running session command as a shell stream (text logs, polled)."""

    def __init__(self, process: Any, session_id: str, command_id: str, poll_interval: float) -> None:
        self._process = process
        self._session = session_id
        self._command = command_id
        self._poll = poll_interval
        self._seen = 0
        self._exit: int | None = None
        self._ended = False
        self._closed = False

    def send(self, data: bytes) -> None:
        if self._closed or self._ended:
            raise ShellGone("the Daytona session command has ended")
        try:
            self._process.send_session_command_input(self._session, self._command, data.decode("utf-8", "replace"))
        except Exception as exc:  # the SDK wraps everything in DaytonaError
            raise ShellGone(f"cannot send input to the Daytona shell: {exc}") from exc

    def recv(self, timeout: float) -> bytes | None:
        deadline = time.monotonic() + timeout
        while not self._closed:
            try:
                logs = self._process.get_session_command_logs(self._session, self._command)
            except Exception:  # the sandbox or session is gone
                self._ended = True
                return None
            output = logs.output or ""
            if len(output) > self._seen:
                fresh, self._seen = output[self._seen:], len(output)
                return fresh.encode("utf-8", "surrogateescape")
            if self._ended:
                return None
            if self._finished():
                self._ended = True  # one more read picks up output that raced the exit
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                return b""
            time.sleep(min(self._poll, left))
        return None

    def _finished(self) -> bool:
        try:
            command = self._process.get_session_command(self._session, self._command)
        except Exception:
            return True
        self._exit = command.exit_code
        return command.exit_code is not None

    def exit_status(self) -> int | None:
        return self._exit

    def close(self) -> None:
        self._closed = True


class DaytonaTransport:
    """The session's sandbox (created on first use), its shells and side execs."""

    def __init__(self, options: DaytonaOptions, *, session_id: str) -> None:
        self.options = options
        self._session_id = session_id
        self._client: Any = None
        self.sandbox: Any = None
        self._lock = threading.Lock()
        self._closed = False

    def _api_key(self) -> str:
        # The CLI copies ~/.hermes/.env into the environment, so a key kept there counts.
        key = os.environ.get(self.options.api_key_env)
        if not key:
            raise DaytonaBackendError(
                f"no Daytona API key: set {self.options.api_key_env} (in the environment or ~/.hermes/.env)"
            )
        return key

    def _sandbox(self) -> Any:
        with self._lock:
            if self._closed:
                raise ShellGone("this daytona terminal is closed")
            if self.sandbox is None:
                self.sandbox = self._create()
            return self.sandbox

    def _create(self) -> Any:
        try:
            from daytona import (
                CreateSandboxFromImageParams,
                CreateSandboxFromSnapshotParams,
                Daytona,
                DaytonaConfig,
                Resources,
            )
        except ImportError as exc:  # pragma: no cover - the dependency is declared
            from hermes_core import MissingDependency

            raise MissingDependency("daytona", plugin="daytona") from exc
        options = self.options
        try:
            self._client = Daytona(DaytonaConfig(api_key=self._api_key(), api_url=options.api_url, target=options.target))
            common: dict[str, Any] = {
                "labels": {"hermes.terminal": "daytona", "hermes.session": self._session_id[:60],
                           "hermes.owner": f"{socket.gethostname()}:{os.getpid()}"},
                "env_vars": dict(options.env),
                "network_block_all": options.network_block_all,
                "auto_stop_interval": options.auto_stop_minutes,
                # Deleted as soon as it stops: a crashed hermes leaves nothing for long.
                "ephemeral": True,
            }
            if options.image:
                resources = None
                if options.cpu or options.memory or options.disk:
                    resources = Resources(cpu=options.cpu, memory=options.memory, disk=options.disk)
                params: Any = CreateSandboxFromImageParams(image=options.image, resources=resources, **common)
            else:
                params = CreateSandboxFromSnapshotParams(snapshot=options.snapshot, **common)
            return self._client.create(params, timeout=options.create_timeout)
        except HermesError:
            raise
        except Exception as exc:  # DaytonaError and friends
            raise DaytonaBackendError(
                f"cannot create a Daytona sandbox at {options.api_url or 'the default API'}: {exc}; check "
                f"{options.api_key_env}, terminal.daytona.api_url and terminal.daytona.snapshot/image"
            ) from exc

    def open_shell(self, argv: list[str]) -> SessionCommandStream:
        from daytona import SessionExecuteRequest

        process = self._sandbox().process
        session = f"hermes-{uuid.uuid4().hex[:12]}"
        try:
            process.create_session(session)
            started = process.execute_session_command(
                session, SessionExecuteRequest(command=shlex.join(argv), run_async=True, suppress_input_echo=True)
            )
        except Exception as exc:
            raise ShellGone(f"cannot start a shell in the Daytona sandbox: {exc}") from exc
        return SessionCommandStream(process, session, started.cmd_id, self.options.poll_interval)

    def run_side(self, script: str, *, timeout: float) -> SideResult:
        try:
            response = self._sandbox().process.exec("sh -c " + shlex.quote(script), timeout=max(1, int(timeout)))
        except HermesError:
            raise
        except Exception as exc:
            raise ShellGone(f"Daytona exec failed: {exc}") from exc
        return SideResult(output=response.result or "", exit_code=response.exit_code)

    def close(self) -> None:
        """Delete the sandbox (and with it everything the session ran)."""
        with self._lock:
            self._closed = True
            sandbox, self.sandbox = self.sandbox, None
            client, self._client = self._client, None
        if sandbox is not None and client is not None:
            try:
                client.delete(sandbox)
            except Exception as exc:
                raise DaytonaBackendError(f"could not delete Daytona sandbox {sandbox.id}: {exc}") from exc
