"""The shell's transport: ``apptainer exec instance://NAME ...`` over local pipes."""

from __future__ import annotations

import os
import selectors
import subprocess
import threading
from pathlib import Path

from hermes_core.shell_driver import ShellGone, SideResult

from .cli import find_executable, new_instance_name, run_cli, start_flags, stop_instance, stop_leftover_instances
from .config import SingularityOptions


class PipeStream:
    """A local process's stdin and merged output, as a shell stream."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self._selector = selectors.DefaultSelector()
        assert process.stdout is not None
        self._selector.register(process.stdout, selectors.EVENT_READ)
        self._closed = False

    def send(self, data: bytes) -> None:
        if self._closed or self.process.stdin is None:
            raise ShellGone("the apptainer exec has ended")
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def recv(self, timeout: float) -> bytes | None:
        if self._closed or self.process.stdout is None:
            return None
        if not self._selector.select(timeout):
            return b""
        return os.read(self.process.stdout.fileno(), 65536) or None

    def exit_status(self) -> int | None:
        return self.process.poll()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._selector.close()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                try:
                    pipe.close()
                except OSError:
                    pass


class ApptainerTransport:
    """The session's instance (started on first use) and execs into it."""

    def __init__(self, options: SingularityOptions, *, cwd: Path | None) -> None:
        self.options = options
        self._cwd = cwd
        self.executable: str | None = None
        self.instance: str | None = None
        self._lock = threading.Lock()
        self._closed = False

    def _instance(self) -> str:
        with self._lock:
            if self._closed:
                raise ShellGone("this singularity terminal is closed")
            if self.instance is None:
                self.executable = find_executable(self.options)
                stop_leftover_instances(self.executable)
                name = new_instance_name()
                run_cli(self.executable,
                        ["instance", "start", *start_flags(self.options, self._cwd), self.options.image, name],
                        timeout=self.options.start_timeout)
                self.instance = name
            return self.instance

    def _argv(self, command: list[str]) -> list[str]:
        name = self._instance()
        assert self.executable is not None
        return [self.executable, "exec", f"instance://{name}", *command]

    def open_shell(self, argv: list[str]) -> PipeStream:
        # A session of its own: the shell leads it, so orphans of a command stay findable,
        # and the user's Ctrl-C at hermes's terminal does not reach it.
        process = subprocess.Popen(self._argv(argv), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        return PipeStream(process)

    def run_side(self, script: str, *, timeout: float) -> SideResult:
        try:
            done = subprocess.run(self._argv(["sh", "-c", script]), capture_output=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return SideResult(output="", exit_code=None)
        return SideResult(output=done.stdout.decode("utf-8", "replace"), exit_code=done.returncode)

    def close(self) -> None:
        """Stop the instance (with a PID namespace, everything in it ends with it)."""
        with self._lock:
            self._closed = True
            name, self.instance = self.instance, None
        if name is not None and self.executable is not None:
            stop_instance(self.executable, name)
