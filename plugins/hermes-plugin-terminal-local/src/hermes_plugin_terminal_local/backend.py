"""The ``local`` terminal backend: a persistent bash per session on this machine."""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hermes_core import CommandResult, TerminalSettings
from hermes_core.shell import (
    ENV_JOB,
    ENV_SHELL_ID,
    BackgroundFiles,
    ShellProtocol,
    ShellResult,
    background_command,
    job_signal_script,
    new_token,
    shell_argv,
    tree_signal_script,
)

from .background import BackgroundProcess
from .config import LocalTerminalConfig
from .environment import child_environment
from .pipeshell import PipeShell
from .procs import is_alive, run_signal_script, start_ticks

# After TERM, how long a command gets before KILL; between KILL rounds (a command list
# keeps starting its next program until the shell reaches the sentinel).
_TERM_WAIT = 0.25
_ROUND_WAIT = 0.15


class UnknownProcess(LookupError):
    """No background process with that id in this session."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown background process"


@dataclass
class _Running:
    """The command in flight, as ``interrupt()`` (another thread) needs to see it."""

    token: str
    since: int | None
    interrupted: threading.Event = field(default_factory=threading.Event)


def session_folder_name(text: str) -> str:
    """A file-name-safe folder name for a session id."""
    # no leading dot: ".." must never climb out of the parent folder
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)[:100].lstrip(".") or "session"


class LocalBackend:
    """A persistent shell for one session, on this machine.

    Subclasses (the sandbox) change where and how the shell runs by overriding
    :meth:`shell_command`, :meth:`spawn_shell`, :meth:`initial_cwd`, :meth:`environment`,
    :meth:`host_pid` and :attr:`processes_dir`; the protocol, timeouts, interrupts and background processes stay
    the same.
    """

    name = "local"

    def __init__(self, settings: TerminalSettings, config: LocalTerminalConfig | None = None) -> None:
        self.settings = settings
        self.config = config if config is not None else LocalTerminalConfig.model_validate(settings.options)
        self.protocol = ShellProtocol(max_chars=settings.max_output_chars)
        self._lock = threading.Lock()  # one command (or background start) at a time
        self._state = threading.Lock()  # guards _running and _closed for other threads
        self._shell: PipeShell | None = None
        self._shell_pid: int | None = None  # the shell as this machine sees it
        self._since: int | None = None
        self._running: _Running | None = None
        self._closed = False
        self._cwd: str | None = None
        self._processes: dict[str, BackgroundProcess] = {}
        self._counter = 0

    # -- what subclasses change -------------------------------------------------------------

    @property
    def processes_dir(self) -> Path:
        """Where background processes keep their logs and FIFOs."""
        base = Path(self.config.processes_dir).expanduser() if self.config.processes_dir else (
            Path(self.settings.hermes_home) / "processes")
        return base / session_folder_name(self.settings.session_id)

    def initial_cwd(self) -> str:
        """Where the first shell starts: the session's directory, else the home folder."""
        cwd = self.settings.cwd
        if cwd is not None and Path(cwd).is_dir():
            return str(cwd)
        return os.path.expanduser("~")

    def environment(self) -> dict[str, str]:
        """The shell's start-up environment: ours without secrets, plus configured values."""
        base = {**os.environ, **self.settings.env}
        env = child_environment(
            base, secret_patterns=self.config.secret_patterns, passthrough=self.config.env_passthrough,
            extra=self.config.env,
        )
        env[ENV_SHELL_ID] = self.protocol.shell_token
        return env

    def shell_command(self, cwd: str) -> Sequence[str]:
        """The command line that starts the shell."""
        shell = shutil.which(self.config.shell) or self.config.shell
        return shell_argv(shell)

    def host_pid(self, reported: int, shell: PipeShell) -> int | None:
        """This machine's pid for a pid the shell reported (the same one here)."""
        return reported

    def spawn_shell(self, argv: Sequence[str], *, env: dict[str, str], cwd: str) -> PipeShell:
        """Start the shell process (in the calling thread here)."""
        return PipeShell(argv, self.protocol, env=env, cwd=cwd, startup_timeout=self.config.startup_timeout)

    # -- the shell ------------------------------------------------------------------------

    def _ensure_shell(self) -> tuple[PipeShell, list[str]]:
        """The live shell, started (or restarted) if needed, and notes to show about it."""
        notes: list[str] = []
        with self._state:
            if self._closed:
                raise RuntimeError("this terminal session was closed")
        if self._shell is not None and self._shell.alive():
            return self._shell, notes
        if self._shell is not None:  # it died between commands (killed from outside)
            code = self._shell.proc.returncode
            self._shell.close()
            self._shell = None
            notes.append(f"[the shell had ended (exit status {code}) since the last command; a new one started in "
                         f"{self._cwd} (exported variables, aliases and functions were reset)]")
        cwd = self._cwd or self.initial_cwd()
        Path(self.processes_dir).mkdir(parents=True, exist_ok=True)
        shell = self.spawn_shell(self.shell_command(cwd), env=self.environment(), cwd=cwd)
        pid = shell.ready.shell_pid
        host = self.host_pid(pid, shell) if pid is not None else None
        self._shell, self._shell_pid, self._since = shell, host or shell.pid, shell.ready.uptime_ticks
        self._cwd = shell.ready.cwd or cwd
        return shell, notes

    def _restart_note(self) -> str:
        return (f"[the shell stopped responding and was killed; the next command starts a new shell in "
                f"{self._cwd} (exported variables, aliases and functions were reset)]")

    def _drop_shell(self) -> None:
        if self._shell is not None:
            self._shell.kill()
            self._shell.close()
            self._shell = None

    # -- commands -------------------------------------------------------------------------

    def run(self, command: str, *, timeout: float | None = None, workdir: str | None = None) -> CommandResult:
        """Run ``command`` in the session's shell and wait for it (at most ``timeout``)."""
        if not isinstance(command, str) or not command.strip():
            raise ValueError("the command is empty")
        limit = self.settings.timeout if timeout is None or timeout <= 0 else float(timeout)
        with self._lock:
            start = time.monotonic()
            shell, notes = self._ensure_shell()
            payload, reader = self.protocol.command(command, workdir=workdir)
            running = _Running(token=reader.token, since=self._since)
            with self._state:
                self._running = running
            try:
                result: ShellResult | None = None
                if shell.write(payload):
                    result, timed_out = self._wait(shell, reader, running, start + limit)
                else:
                    result, timed_out = reader.eof(None), False
            finally:
                with self._state:
                    self._running = None
            return self._to_result(result, running, timed_out, notes, start)

    def _wait(self, shell: PipeShell, reader: Any, running: _Running, deadline: float) -> tuple[ShellResult | None, bool]:
        result = shell.read_until(reader, deadline, stop=running.interrupted.is_set)
        if result is not None:
            return result, False
        timed_out = not running.interrupted.is_set()
        if not timed_out:  # SIGINT went out already: most commands end on it by themselves
            result = shell.read_until(reader, time.monotonic() + min(1.0, self.config.kill_grace))
            if result is not None:
                return result, False
        # TERM once, then KILL until the shell reaches the sentinel or the grace runs out
        end = time.monotonic() + self.config.kill_grace
        signal_name = "TERM"
        while time.monotonic() < end:
            self._signal_job(running, signal_name)
            wait = _TERM_WAIT if signal_name == "TERM" else _ROUND_WAIT
            signal_name = "KILL"
            result = shell.read_until(reader, min(end, time.monotonic() + wait))
            if result is not None:
                return result, timed_out
        return None, timed_out

    def _signal_job(self, running: _Running, signal_name: str) -> list[int]:
        if self._shell_pid is None:
            return []
        exclude = [p.pid for p in self._processes.values()]
        return run_signal_script(
            job_signal_script(signal_name, self._shell_pid, running.token, since_ticks=running.since, exclude=exclude)
        )

    def _to_result(self, result: ShellResult | None, running: _Running, timed_out: bool,
                   notes: list[str], start: float) -> CommandResult:
        output, truncated, exit_code = "", False, None
        if result is None:  # stuck in a builtin (`while :; do :; done`): only a new shell helps
            self._signal_job(running, "KILL")
            self._drop_shell()
            notes.append(self._restart_note())
        else:
            output, truncated, exit_code = result.output, result.truncated, result.exit_code
            if result.cwd:
                self._cwd = result.cwd
            if result.uptime_ticks is not None:
                self._since = result.uptime_ticks
            if result.shell_exited:
                self._drop_shell()
                code = "" if exit_code is None else f" with code {exit_code}"
                notes.append(f"[the shell exited{code}; the next command starts a new shell in {self._cwd}]")
        if notes:
            output = output + ("" if not output or output.endswith("\n") else "\n") + "\n".join(notes)
        return CommandResult(
            output=output, exit_code=exit_code, timed_out=timed_out, truncated=truncated,
            interrupted=running.interrupted.is_set(), duration=round(time.monotonic() - start, 3), cwd=self._cwd,
        )

    def interrupt(self) -> None:
        """Send SIGINT to the running command's processes (safe from any thread); if they do
        not end, ``run`` kills them after a short grace, and restarts a stuck shell."""
        with self._state:
            running = self._running
        if running is None or running.interrupted.is_set():
            return
        running.interrupted.set()
        self._signal_job(running, "INT")

    # -- background processes -------------------------------------------------------------

    def start_background(self, command: str, *, workdir: str | None = None) -> str:
        """Start ``command`` in the background from the session's shell; its id."""
        if not isinstance(command, str) or not command.strip():
            raise ValueError("the command is empty")
        with self._lock:
            shell, _ = self._ensure_shell()
            self._counter += 1
            process_id = f"proc_{self._counter}"
            token = new_token()
            files = BackgroundFiles(str(self.processes_dir / process_id))
            payload, reader = self.protocol.command(background_command(command, files, token, workdir=workdir))
            result = shell.read_until(reader, time.monotonic() + 15) if shell.write(payload) else reader.eof(None)
            if result is None or result.shell_exited:
                self._drop_shell()
                raise RuntimeError("the shell did not answer while starting the background process; it was restarted")
            if result.uptime_ticks is not None:
                self._since = result.uptime_ticks
            lines = result.output.strip().splitlines()
            if result.exit_code != 0 or not lines or not lines[-1].strip().isdigit():
                raise RuntimeError(f"could not start the background process: {result.output.strip() or 'no output'}")
            pid = self.host_pid(int(lines[-1].strip()), shell) or int(lines[-1].strip())
            self._processes[process_id] = BackgroundProcess(
                id=process_id, command=command, pid=pid, token=token, files=files,
                started_ticks=start_ticks(pid), cwd=workdir or result.cwd,
            )
            return process_id

    def _process(self, process_id: str) -> BackgroundProcess:
        process = self._processes.get(process_id)
        if process is None:
            known = ", ".join(self._processes) or "none"
            raise UnknownProcess(f"no background process '{process_id}' in this session (known: {known})")
        return process

    def poll(self, process_id: str) -> dict[str, Any]:
        """Status of a background process: running, exit_code, status, pid, log_size, ..."""
        return self._process(process_id).status()

    def read_log(self, process_id: str, *, offset: int = 0, limit: int | None = None) -> str:
        """Its output so far, from character ``offset``, at most ``limit`` characters."""
        return self._process(process_id).read_log(offset, limit)

    def write_stdin(self, process_id: str, data: str) -> None:
        """Write ``data`` to its stdin (add the newline yourself)."""
        self._process(process_id).write(data)

    def kill(self, process_id: str) -> None:
        """Stop it and everything it started: TERM, then KILL what is left."""
        process = self._process(process_id)
        if not process.refresh():
            return
        process.killed = True
        match = f"{ENV_JOB}={process.token}"
        run_signal_script(tree_signal_script("TERM", process.pid, env_match=match))
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline and is_alive(process.pid, process.started_ticks):
            time.sleep(0.05)
        for _ in range(3):
            if not run_signal_script(tree_signal_script("KILL", process.pid, env_match=match)):
                break
            time.sleep(0.05)
        process.refresh()

    def list_processes(self) -> list[dict[str, Any]]:
        """Every background process of the session, oldest first."""
        return [process.status() for process in self._processes.values()]

    # -- the end --------------------------------------------------------------------------

    def close(self) -> None:
        """Kill the shell, everything it started and every background process; safe twice."""
        with self._state:
            if self._closed:
                return
            self._closed = True
            running = self._running
        if running is not None:
            running.interrupted.set()
        for process in self._processes.values():
            run_signal_script(tree_signal_script("KILL", process.pid, env_match=f"{ENV_JOB}={process.token}"))
        match = f"{ENV_SHELL_ID}={self.protocol.shell_token}"
        shell = self._shell
        root = self._shell_pid if shell is not None and shell.alive() else None
        for _ in range(3):
            if not run_signal_script(tree_signal_script("KILL", root, env_match=match)):
                break
            root = None if shell is None or not shell.alive() else root
        if shell is not None:
            shell.kill()
        # A command still running in another thread now sees end-of-stream and returns.
        if self._lock.acquire(timeout=self.config.kill_grace + 5):
            try:
                self._drop_shell()
            finally:
                self._lock.release()
        shutil.rmtree(self.processes_dir, ignore_errors=True)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} session={self.settings.session_id!r} cwd={self._cwd!r}>"
