"""A terminal backend built from a transport: drives :mod:`hermes_core.shell` over any byte
stream, for backends whose shell runs somewhere else (SSH, a container, a cloud sandbox).

:mod:`hermes_core.shell` says *what* to send and how to read the answers;
:class:`PersistentShell` does the sending and reading: it starts the shell, runs commands
with timeouts and interrupts (signalling the command's processes from a side channel),
restarts a shell that exited or lost its connection (and says that its state was lost),
keeps background processes in files next to the shell, and closes everything.

A backend supplies a :class:`ShellTransport`: a way to start ``bash`` with a byte stream
to it (:meth:`ShellTransport.open_shell`) and a way to run a short ``sh`` script beside it
(:meth:`ShellTransport.run_side`), seeing the same processes and files. Subclass
:class:`PersistentShell`, set ``name``, and pass the transport. Side scripts normally run in
a second long-lived bash opened the same way (an exec or a channel per signal or poll costs
100 ms or more on SSH and Docker, seconds on cloud sandboxes); ``run_side`` is the fallback.
The transport should start the shell as a session leader (sshd and ``docker exec`` do), so
orphaned subshells of a command stay findable in its session.

Only the standard library (and the kernel's records) are used.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from .errors import HermesError
from .shell import (
    ENV_JOB,
    ENV_SHELL_ID,
    BackgroundFiles,
    CommandReader,
    ShellProtocol,
    ShellResult,
    ansi_c_quote,
    background_command,
    job_signal_script,
    new_token,
    shell_argv,
    tree_signal_script,
)
from .types import CommandResult

__all__ = [
    "PersistentShell",
    "ShellGone",
    "ShellStream",
    "ShellTransport",
    "SideResult",
    "UnknownProcess",
    "posix_printf_bytes",
]


class ShellGone(HermesError):
    """The shell's transport failed (connection dropped, container gone)."""


class UnknownProcess(HermesError):
    """A background process id this backend never handed out."""


class ShellStream(Protocol):
    """The byte stream to one running shell (stdout and stderr merged)."""

    def send(self, data: bytes) -> None:
        """Write to the shell's stdin; raise OSError (or :class:`ShellGone`) when it is gone."""
        ...

    def recv(self, timeout: float) -> bytes | None:
        """Bytes the shell printed, waiting at most ``timeout`` seconds: ``b""`` when
        nothing came in time, None when the stream has ended."""
        ...

    def exit_status(self) -> int | None:
        """The shell's exit status once the stream ended, when the transport knows it."""
        ...

    def close(self) -> None: ...


class ShellTransport(Protocol):
    """Where the shell runs."""

    def open_shell(self, argv: list[str]) -> ShellStream:
        """Start ``argv`` (a bash command line) with its stdin and merged output as a stream."""
        ...

    def run_side(self, script: str, *, timeout: float) -> SideResult:
        """Run ``sh -c script`` next to the shell (same processes, same files) and wait."""
        ...


@dataclass(frozen=True)
class SideResult:
    """What a side-channel script printed and its exit status."""

    output: str
    exit_code: int | None


@dataclass
class _Job:
    """One background process: where its files are and how to find its processes."""

    id: str
    command: str
    token: str
    files: BackgroundFiles
    pid: int
    cwd: str | None
    started_at: float = field(default_factory=time.time)
    ended_at: float | None = None
    exit_code: int | None = None
    running: bool = True
    killed: bool = False
    log_size: int = 0


@dataclass
class _Live:
    """The shell currently running, and what the protocol learned about it."""

    stream: ShellStream
    pid: int | None
    uptime_ticks: int | None
    leftover: bytes = b""
    notes: list[str] = field(default_factory=list)


# Grace for a background process between TERM and KILL.
_GRACE = 1.0
_POLL = 0.05


class _SideShell:
    """A second, long-lived bash beside the main one for side scripts (signals, polls,
    logs): much cheaper per call than a new exec or SSH channel each time. It has its own
    shell token, so closing the session's processes never touches it. Any failure closes
    it and reports None, and the caller falls back to the transport's ``run_side``."""

    #: Side scripts print pids and log slices; the log reader bounds its own output.
    max_output = 8_000_000

    def __init__(self, transport: ShellTransport, shell: str) -> None:
        self._transport = transport
        self._shell = shell
        self._protocol = ShellProtocol(max_chars=self.max_output)
        self._stream: ShellStream | None = None
        self._lock = threading.Lock()
        self._closed = False

    def run(self, script: str, timeout: float) -> SideResult | None:
        with self._lock:
            if self._closed:
                return None
            try:
                stream = self._stream or self._start(timeout)
                payload, reader = self._protocol.command(f"sh -c {ansi_c_quote(script)}")
                stream.send(payload)
                result = _read_stream(stream, reader, timeout)
            except (OSError, EOFError, HermesError):
                result = None
            if result is None or result.shell_exited:
                self._drop()
                return None
            return SideResult(output=result.output, exit_code=result.exit_code)

    def _start(self, timeout: float) -> ShellStream:
        stream = self._transport.open_shell(shell_argv(self._shell))
        self._stream = stream
        payload, reader = self._protocol.startup(cwd="/")
        stream.send(payload)
        ready = _read_stream(stream, reader, timeout)
        if ready is None or ready.shell_exited:
            raise ShellGone("the side shell did not start")
        return stream

    def _drop(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._drop()


def _read_stream(stream: ShellStream, reader: CommandReader, seconds: float) -> ShellResult | None:
    """Feed ``reader`` until done or the stream ends (a result), or ``seconds`` pass (None)."""
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        chunk = stream.recv(min(left, 0.25))
        if chunk is None:
            return reader.eof(stream.exit_status())
        if chunk and reader.feed(chunk):
            return reader.result()


class PersistentShell:
    """A :class:`~hermes_core.protocols.TerminalBackend` over a :class:`ShellTransport`.

    ``run`` is serialised (one foreground command at a time); ``interrupt`` may be called
    from any thread. Background processes live in ``<scratch>/hermes-<token>/<id>/`` on
    the shell's side, so they survive a shell restart and are read over the side channel.
    """

    name = "persistent-shell"
    #: Seconds to wait for a fresh shell to report ready.
    startup_timeout: float = 30.0
    #: Seconds a side-channel script may take.
    side_timeout: float = 15.0
    #: Seconds from a timeout or interrupt until the shell itself is killed if the command
    #: has not ended by then.
    kill_grace: float = 4.0

    def __init__(
        self,
        transport: ShellTransport,
        *,
        timeout: float = 180.0,
        max_output_chars: int = 50_000,
        cwd: str | None = None,
        env: dict[str, str] | None = None,
        scratch: str = "/tmp",
        shell: str = "bash",
    ) -> None:
        self.transport = transport
        self.default_timeout = timeout
        self.protocol = ShellProtocol(max_chars=max_output_chars)
        self._cwd = cwd
        self._env = dict(env or {})
        self._shell = shell
        self._jobs_root = f"{scratch.rstrip('/')}/hermes-{self.protocol.shell_token[:16]}"
        self._live: _Live | None = None
        self._lost_state: str | None = None
        self._lock = threading.RLock()
        self._interrupt = threading.Event()
        self._jobs: dict[str, _Job] = {}
        self._side_shell = _SideShell(transport, shell)
        self._job_ids = itertools.count(1)
        self._closed = False

    # -- the shell ------------------------------------------------------------------------

    def _start_shell(self) -> _Live:
        # The marker in bash's start-up environment, not just exported: forked subshells keep
        # the start-up environment in /proc/<pid>/environ, so closing finds them too.
        argv = ["env", f"{ENV_SHELL_ID}={self.protocol.shell_token}", *shell_argv(self._shell)]
        stream = self.transport.open_shell(argv)
        payload, reader = self.protocol.startup(cwd=self._cwd, env=self._env)
        try:
            stream.send(payload)
            result = _read_stream(stream, reader, self.startup_timeout)
        except BaseException:
            stream.close()
            raise
        if result is None or result.shell_exited:
            stream.close()
            output = result.output if result else ""
            raise ShellGone(
                f"the {self.name} shell did not start ({self._shell} is required where commands run): "
                f"{output.strip() or 'no answer'}"
            )
        return _Live(stream=stream, pid=result.shell_pid, uptime_ticks=result.uptime_ticks, leftover=result.leftover)

    def _ensure_shell(self) -> _Live:
        if self._closed:
            raise HermesError(f"this {self.name} terminal is closed")
        if self._live is None:
            self._live = self._start_shell()
            if self._lost_state:
                self._live.notes.append(self._lost_state)
                self._lost_state = None
        return self._live

    def _drop_shell(self, why: str | None) -> None:
        """Forget the current shell; ``why`` (when set) is told with the next command."""
        live, self._live = self._live, None
        if live is not None:
            live.stream.close()
        if why:
            self._lost_state = why

    # -- running commands -----------------------------------------------------------------

    def run(self, command: str, *, timeout: float | None = None, workdir: str | None = None) -> CommandResult:
        """Run ``command`` in the persistent shell and return its merged output."""
        limit = self.default_timeout if timeout is None else float(timeout)
        with self._lock:
            self._interrupt.clear()
            started = time.monotonic()
            live, reader, token = self._send_command(command, workdir)
            notes = list(live.notes)
            live.notes.clear()
            return self._wait(live, reader, token, limit, started, notes)

    def _send_command(self, command: str, workdir: str | None) -> tuple[_Live, CommandReader, str]:
        token = new_token()
        payload, reader = self.protocol.command(command, workdir=workdir, token=token)
        for attempt in (1, 2):
            live = self._ensure_shell()
            try:
                live.stream.send(payload)
            except (OSError, EOFError, ShellGone):
                # Nothing ran yet, so starting a new shell and sending again is safe.
                self._drop_shell(
                    f"[hermes: the {self.name} shell was gone (connection lost?); a new shell was "
                    f"started in the same folder, but earlier variables, aliases and functions are lost]"
                )
                if attempt == 2:
                    raise
                continue
            if live.leftover:
                reader.feed(live.leftover)
                live.leftover = b""
            return live, reader, token
        raise AssertionError("unreachable")

    def _wait(self, live: _Live, reader: CommandReader, token: str, limit: float,
              started: float, notes: list[str]) -> CommandResult:
        result = self._read_until(live, reader, started + limit, stop=self._interrupt.is_set)
        timed_out = interrupted = False
        if result is None:
            interrupted = self._interrupt.is_set()
            timed_out = not interrupted
            result = self._stop_command(live, reader, token, "INT" if interrupted else "TERM")
        duration = time.monotonic() - started
        if result.shell_exited:
            if timed_out or interrupted:
                why = "the previous command had to be killed together with the shell"
            elif result.exit_code is None:
                why = "the shell ended while the previous command ran (connection lost?)"
                notes.append(f"[hermes: the {self.name} shell ended while the command ran (connection lost?); "
                             f"it may or may not have finished]")
            else:
                why = None  # `exit N`: the user ended the shell on purpose
            self._drop_shell(
                f"[hermes: a new {self.name} shell was started because {why}; the working folder was "
                f"kept but earlier variables, aliases and functions are lost]" if why else None
            )
        else:
            live.pid = result.shell_pid or live.pid
            live.uptime_ticks = result.uptime_ticks
            live.leftover = result.leftover
            if result.cwd:
                self._cwd = result.cwd
        return CommandResult(
            output="".join(n + "\n" for n in notes) + result.output,
            exit_code=result.exit_code,
            timed_out=timed_out,
            truncated=result.truncated,
            interrupted=interrupted,
            duration=duration,
            cwd=result.cwd or self._cwd,
        )

    def _read_until(self, live: _Live, reader: CommandReader, until: float,
                    stop: Callable[[], bool] | None = None) -> ShellResult | None:
        """Feed ``reader`` from the shell until the command ends (its result), the stream
        ends (the shell died), or ``until`` passes or ``stop()`` turns true (None)."""
        while True:
            if stop is not None and stop():
                return None
            left = until - time.monotonic()
            if left <= 0:
                return None
            try:
                chunk = live.stream.recv(min(left, _POLL if stop is not None else 0.2))
            except (OSError, EOFError, ShellGone):
                chunk = None
            if chunk is None:
                return reader.eof(live.stream.exit_status())
            if chunk and reader.feed(chunk):
                return reader.result()

    def _stop_command(self, live: _Live, reader: CommandReader, token: str, first: str) -> ShellResult:
        """Stop the running command: ``first`` (INT for an interrupt, TERM for a timeout),
        TERM after a grace for an interrupt, then KILL in rounds for as long as there is
        something to kill (a command list starts its next program as the last one dies);
        and if the shell still does not report back, the shell itself (a builtin loop)."""
        end = time.monotonic() + self.kill_grace
        steps = [("INT", 0.5), ("TERM", 0.3)] if first == "INT" else [("TERM", 0.3)]
        for signal, grace in steps:
            self._signal_job(live, token, signal)
            result = self._read_until(live, reader, time.monotonic() + grace)
            if result is not None:
                return result
        while time.monotonic() < end:
            hit = self._signal_job(live, token, "KILL")
            result = self._read_until(live, reader, time.monotonic() + (0.05 if hit else 0.5))
            if result is not None:
                return result
            if not hit:
                break  # nothing left to signal, and still no answer: the shell itself is stuck
        self._kill_shell(live)
        return self._read_until(live, reader, time.monotonic() + 1.0) or reader.eof(None)

    def _signal_job(self, live: _Live, token: str, signal: str) -> bool:
        """Signal the command's processes; True if there were any."""
        if live.pid is None:
            return False
        # Background jobs are children of the shell too; their subtrees are not this command's.
        running = [job.pid for job in self._jobs.values() if job.running]
        script = job_signal_script(signal, live.pid, token, since_ticks=live.uptime_ticks, exclude=running)
        return any(line.strip().isdigit() for line in self._side(script).output.splitlines())

    def _kill_shell(self, live: _Live) -> None:
        if live.pid is not None:
            self._side(f"kill -s KILL {int(live.pid)} 2>/dev/null; exit 0")
        live.stream.close()

    def _side(self, script: str, timeout: float | None = None) -> SideResult:
        """Run a side script: in the long-lived side shell when it works (no exec or channel
        set-up per call), else through the transport's one-off ``run_side``."""
        limit = timeout or self.side_timeout
        try:
            result = self._side_shell.run(script, limit)
        except (OSError, EOFError, HermesError):
            result = None
        if result is not None:
            return result
        try:
            return self.transport.run_side(script, timeout=limit)
        except (OSError, EOFError, HermesError) as exc:
            return SideResult(output=f"side channel failed: {exc}", exit_code=None)

    def interrupt(self) -> None:
        """Stop the running command (INT, then TERM, then KILL); safe from any thread."""
        self._interrupt.set()

    # -- background processes -------------------------------------------------------------

    def start_background(self, command: str, *, workdir: str | None = None) -> str:
        """Start ``command`` in the background; returns its id."""
        job_id = f"proc_{next(self._job_ids)}"
        token = new_token()
        files = BackgroundFiles(f"{self._jobs_root}/{job_id}")
        result = self.run(background_command(command, files, token, workdir=workdir), timeout=self.side_timeout)
        lines = [line for line in result.output.strip().splitlines() if line.strip()]
        if result.exit_code != 0 or not lines or not lines[-1].strip().isdigit():
            raise HermesError(f"could not start the background process: {result.output.strip() or result.exit_code}")
        job = _Job(id=job_id, command=command, token=token, files=files, pid=int(lines[-1]), cwd=workdir or self._cwd)
        self._jobs[job_id] = job
        return job_id

    def _job(self, process_id: str) -> _Job:
        job = self._jobs.get(process_id)
        if job is None:
            known = ", ".join(self._jobs) or "none"
            raise UnknownProcess(f"no background process '{process_id}' in this session (known: {known})")
        return job

    def poll(self, process_id: str) -> dict[str, Any]:
        """The state of a background process: ``id``, ``command``, ``pid``, ``running``,
        ``status`` (running, exited, killed), ``exit_code``, ``started_at``, ``duration``,
        ``cwd`` and ``log_size``."""
        job = self._job(process_id)
        self._refresh(job)
        return self._describe(job)

    def _refresh(self, job: _Job) -> None:
        if not job.running:
            return
        q = _sh_quote
        script = (
            f"wc -c < {q(job.files.log)} 2>/dev/null || echo 0\n"
            f"if [ -f {q(job.files.exit)} ]; then echo \"exit $(cat {q(job.files.exit)})\"; exit 0; fi\n"
            f"if IFS= read -r l < /proc/{job.pid}/stat 2>/dev/null; then r=${{l##*) }}; st=${{r%% *}};\n"
            f"  case \"$st\" in Z|X|x) echo gone ;; *) echo running ;; esac\nelse echo gone; fi\n"
        )
        answer = [line.strip() for line in self._side(script).output.splitlines() if line.strip()]
        if len(answer) < 2:
            return  # the side channel failed: nothing new is known
        if answer[0].isdigit():
            job.log_size = int(answer[0])
        state = answer[-1]
        if state.startswith("exit "):
            try:
                job.exit_code = int(state.split()[1])
            except (IndexError, ValueError):
                job.exit_code = None
        if state.startswith("exit ") or state == "gone":
            job.running = False
            job.ended_at = time.time()

    @staticmethod
    def _describe(job: _Job) -> dict[str, Any]:
        status = "running" if job.running else "killed" if job.killed else "exited"
        end = job.ended_at or time.time()
        return {
            "id": job.id, "command": job.command, "pid": job.pid, "running": job.running, "status": status,
            "exit_code": None if job.running else job.exit_code, "started_at": job.started_at,
            "duration": round(end - job.started_at, 3), "cwd": job.cwd, "log_size": job.log_size,
        }

    def read_log(self, process_id: str, *, offset: int = 0, limit: int | None = None) -> str:
        """The background process's output from byte ``offset`` (at most ``limit`` bytes).

        Offsets count bytes, as the remote ``tail -c`` does; for ASCII output that is the
        same as characters."""
        job = self._job(process_id)
        cap = self.protocol.max_chars if limit is None else max(0, int(limit))
        script = f"tail -c +{max(0, int(offset)) + 1} {_sh_quote(job.files.log)} 2>/dev/null | head -c {cap}"
        return self._side(script).output

    def write_stdin(self, process_id: str, data: str) -> None:
        """Send ``data`` to the background process's stdin."""
        job = self._job(process_id)
        self._refresh(job)
        if not job.running:
            raise HermesError(f"background process '{process_id}' has ended; it takes no more input")
        # `1<>` opens the FIFO without blocking even if the reader has just gone.
        script = f"printf {posix_printf_bytes(data.encode('utf-8', 'surrogateescape'))} 1<>{_sh_quote(job.files.stdin)}"
        result = self._side(script)
        if result.exit_code not in (0, None):
            raise HermesError(f"could not write to background process '{process_id}': {result.output.strip()}")

    def kill(self, process_id: str) -> None:
        """Stop a background process and everything it started (TERM, then KILL)."""
        job = self._job(process_id)
        self._refresh(job)
        if not job.running:
            return
        job.killed = True
        self._kill_job(job, "TERM")
        deadline = time.monotonic() + _GRACE
        while time.monotonic() < deadline:
            self._refresh(job)
            if not job.running:
                return
            time.sleep(0.1)
        self._kill_job(job, "KILL")
        self._refresh(job)

    def _kill_job(self, job: _Job, signal: str) -> None:
        self._side(tree_signal_script(signal, job.pid, env_match=f"{ENV_JOB}={job.token}"))

    def list_processes(self) -> list[dict[str, Any]]:
        """Every background process this session started, running or not."""
        for job in self._jobs.values():
            self._refresh(job)
        return [self._describe(job) for job in self._jobs.values()]

    # -- closing --------------------------------------------------------------------------

    def close_shell(self, *, kill_processes: bool = True) -> None:
        """Kill the shell, every process it started and the background files; the transport
        itself is the subclass's to close (this is its first step). ``kill_processes=False``
        only closes the stream, for transports whose own close ends everything (a container
        that is removed)."""
        if self._closed:
            return
        self._closed = True
        live, self._live = self._live, None
        jobs = list(self._jobs.values())
        if kill_processes and (live is not None or jobs):
            script_parts = [
                tree_signal_script("KILL", job.pid, env_match=f"{ENV_JOB}={job.token}") for job in jobs if job.running
            ]
            # Without a live shell only the environment marker finds its processes.
            root = live.pid if live is not None else None
            script_parts.append(
                tree_signal_script("KILL", root, env_match=f"{ENV_SHELL_ID}={self.protocol.shell_token}")
            )
            # Each generated script ends with `exit 0`: a subshell apiece keeps them all
            # in one side-channel call.
            script = "\n".join(f"(\n{part}\n)" for part in script_parts)
            self._side(f"{script}\nrm -rf {_sh_quote(self._jobs_root)}")
        self._side_shell.close()
        if live is not None:
            live.stream.close()

    def close(self) -> None:
        """Stop everything this terminal started. Closing twice is fine."""
        self.close_shell()


def _sh_quote(text: str) -> str:
    """Single-quote ``text`` for POSIX sh."""
    return "'" + text.replace("'", "'\\''") + "'"


def posix_printf_bytes(data: bytes) -> str:
    """A single-quoted POSIX ``printf`` format that prints exactly ``data`` (octal escapes
    for everything but plain printable ASCII), for shells without ``$'...'`` (dash)."""
    out = ["'"]
    for byte in data:
        if 0x20 <= byte < 0x7F and chr(byte) not in "\\%'":
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03o}")
    out.append("'")
    return "".join(out)
