"""PersistentShell over the simplest transport there is: pipes to a local bash, and
``sh -c`` for side scripts. It must pass the terminal conformance suite like any backend."""

from __future__ import annotations

import os
import selectors
import subprocess

import pytest

from hermes_core.shell_driver import PersistentShell, SideResult, UnknownProcess, posix_printf_bytes
from hermes_core.testing.conformance import TerminalBackendConformance


class PipeStream:
    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.selector = selectors.DefaultSelector()
        assert process.stdout is not None
        self.selector.register(process.stdout, selectors.EVENT_READ)

    def send(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def recv(self, timeout: float) -> bytes | None:
        if self.process.stdout is None or self.process.stdout.closed:
            return None
        if not self.selector.select(timeout):
            return b""
        return os.read(self.process.stdout.fileno(), 65536) or None

    def exit_status(self) -> int | None:
        return self.process.poll()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.selector.close()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                try:
                    pipe.close()
                except BrokenPipeError:
                    pass


class PipeTransport:
    def __init__(self) -> None:
        self.shells = 0

    def open_shell(self, argv: list[str]) -> PipeStream:
        self.shells += 1
        # A session of its own, as sshd and docker exec give: orphans stay findable in it.
        process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        return PipeStream(process)

    def run_side(self, script: str, *, timeout: float) -> SideResult:
        done = subprocess.run(["sh", "-c", script], capture_output=True, timeout=timeout)
        return SideResult(output=done.stdout.decode("utf-8", "replace"), exit_code=done.returncode)


class PipeShell(PersistentShell):
    name = "pipes"


class TestPersistentShellOverPipes(TerminalBackendConformance):
    def make_backend(self, settings):
        return PipeShell(PipeTransport(), timeout=settings.timeout, max_output_chars=settings.max_output_chars)


@pytest.fixture
def shell():
    backend = PipeShell(PipeTransport(), timeout=30)
    yield backend
    backend.close()


def test_exit_starts_a_new_shell_in_the_same_folder_without_a_note(shell):
    shell.run("cd /tmp")
    assert shell.run("exit 3").exit_code == 3
    result = shell.run("pwd")
    assert result.output == "/tmp\n"
    assert shell.transport.shells == 2


def test_a_shell_killed_from_outside_is_replaced_and_the_loss_is_told(shell):
    shell.run("export GONE=1")
    shell._live.stream.process.kill()
    shell._live.stream.process.wait()
    result = shell.run("echo ${GONE:-unset}")
    assert result.output.endswith("unset\n")
    assert "lost" in result.output
    assert shell.run("echo ok").output == "ok\n"


def test_a_builtin_loop_is_stopped_by_restarting_the_shell(shell):
    result = shell.run("while :; do :; done", timeout=0.5)
    assert result.timed_out
    follow = shell.run("echo back")
    assert follow.output.endswith("back\n") and "new pipes shell" in follow.output


def test_timeout_leaves_background_processes_alone(shell):
    job = shell.start_background("while :; do sleep 0.1; done")
    shell.run("sleep 30", timeout=0.5)
    assert shell.poll(job)["running"] is True
    shell.kill(job)
    assert shell.poll(job)["running"] is False


def test_unknown_process_lists_the_known_ones(shell):
    job = shell.start_background("true")
    with pytest.raises(UnknownProcess, match=job):
        shell.read_log("bg-nope")


def test_closed_shell_refuses_commands(shell):
    shell.close()
    with pytest.raises(Exception, match="closed"):
        shell.run("true")


def test_posix_printf_bytes_round_trips_every_byte():
    data = bytes(range(256)) + "é%s\\'".encode()
    out = subprocess.run(["sh", "-c", f"printf {posix_printf_bytes(data)}"], capture_output=True, check=True).stdout
    assert out == data
