"""One bash process over pipes: start it, send lines, read answers with deadlines."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence

from hermes_core.shell import CommandReader, ShellProtocol, ShellResult


class ShellStartError(RuntimeError):
    """The shell did not start or did not answer its start-up line."""


class PipeShell:
    """A started shell speaking :class:`~hermes_core.shell.ShellProtocol` on its stdin and
    stdout (stderr merged). Not thread-safe: the backend serialises commands."""

    def __init__(
        self,
        argv: Sequence[str],
        protocol: ShellProtocol,
        *,
        env: Mapping[str, str],
        cwd: str,
        startup_timeout: float = 10.0,
    ) -> None:
        self.protocol = protocol
        self._pending = b""
        try:
            # A session of its own: the user's Ctrl-C at hermes's terminal must not reach
            # the shell directly (the backend relays it to the running command instead).
            self.proc = subprocess.Popen(
                list(argv), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                env=dict(env), cwd=cwd if os.path.isdir(cwd) else "/", start_new_session=True, bufsize=0,
            )
        except OSError as exc:
            raise ShellStartError(f"could not start {argv[0]!r}: {exc}") from None
        payload, reader = protocol.startup(cwd=cwd)
        ready = None
        if self.write(payload):
            ready = self.read_until(reader, time.monotonic() + startup_timeout)
        if ready is None or ready.shell_exited:
            output = (ready.output if ready else "").strip()
            self.close()
            detail = f": {output[-2000:]}" if output else ""
            raise ShellStartError(f"the shell {' '.join(argv)!r} did not start{detail}")
        self.ready: ShellResult = ready

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def write(self, payload: bytes) -> bool:
        """Send bytes to the shell; False if it is gone."""
        assert self.proc.stdin is not None
        view = memoryview(payload)
        try:
            while view:
                written = os.write(self.proc.stdin.fileno(), view)
                view = view[written:]
        except (BrokenPipeError, OSError):
            return False
        return True

    def read_until(
        self, reader: CommandReader, deadline: float, stop: Callable[[], bool] | None = None
    ) -> ShellResult | None:
        """Feed the shell's output to ``reader`` until it is done (its result), the
        deadline passes or ``stop()`` turns true (None), or the shell dies (the reader's
        end-of-stream result)."""
        assert self.proc.stdout is not None
        if self._pending:
            data, self._pending = self._pending, b""
            if reader.feed(data):
                return self._finish(reader.result())
        fd = self.proc.stdout.fileno()
        while True:
            if stop is not None and stop():
                return None
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], min(left, 0.05))
            if not ready:
                continue
            try:
                data = os.read(fd, 1 << 16)
            except OSError:
                data = b""
            if not data:
                return self._finish(reader.eof(self._exit_status()))
            if reader.feed(data):
                return self._finish(reader.result())

    def _finish(self, result: ShellResult) -> ShellResult:
        self._pending = result.leftover
        return result

    def _exit_status(self) -> int | None:
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return None
        return code if code >= 0 else 128 - code  # killed by a signal: as a shell reports it

    def kill(self) -> None:
        """Kill the shell process itself (what it started is the backend's business)."""
        if self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL does not fail
            pass

    def close(self) -> None:
        self.kill()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
