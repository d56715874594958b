"""Conformance suite for terminal backends.

Subclass :class:`TerminalBackendConformance` and implement ``make_backend(settings)``; if
your backend's processes do not run on this machine (a container, a VM), implement
``leftover_processes(marker)`` to look for them where they run. Every backend must pass:
state that persists between commands (cd, export, aliases), exit codes and stderr,
timeouts that kill everything the command started, bounded output, unicode, background
processes, interrupts, isolated sessions, and a clean close.
"""

from __future__ import annotations

import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from hermes_core.types import CommandResult, TerminalSettings


class TerminalBackendConformance:
    #: Seconds allowed beyond a command's timeout for the backend to give up and report.
    timeout_slack: float = 5.0
    #: A folder inside the backend's file system where tests may write.
    scratch: str = "/tmp"

    def make_backend(self, settings: TerminalSettings) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def leftover_processes(self, marker: str) -> list[str]:
        """Processes whose command line contains ``marker`` (default: on this machine)."""
        found = subprocess.run(["pgrep", "-af", marker], capture_output=True, text=True)
        return [line for line in found.stdout.splitlines() if "pgrep" not in line]

    # -- fixtures -------------------------------------------------------------------------

    def settings(self, tmp_path: Path, session_id: str = "conformance-1", **overrides: Any) -> TerminalSettings:
        values: dict[str, Any] = {
            "session_id": session_id,
            "hermes_home": tmp_path / "hermes-home",
            "timeout": 30.0,
            "max_output_chars": 20_000,
        }
        values.update(overrides)
        return TerminalSettings(**values)

    @pytest.fixture
    def open_backend(self, tmp_path: Path) -> Iterator[Callable[..., Any]]:
        backends: list[Any] = []

        def factory(session_id: str = "conformance-1", **overrides: Any) -> Any:
            backend = self.make_backend(self.settings(tmp_path, session_id=session_id, **overrides))
            backends.append(backend)
            return backend

        yield factory
        for backend in backends:
            backend.close()

    @pytest.fixture
    def backend(self, open_backend: Callable[..., Any]) -> Any:
        return open_backend()

    @staticmethod
    def out(result: CommandResult) -> str:
        return result.output.strip()

    # -- basics ---------------------------------------------------------------------------

    def test_runs_a_command(self, backend: Any) -> None:
        result = backend.run("echo hello")
        assert isinstance(result, CommandResult)
        assert self.out(result) == "hello"
        assert result.exit_code == 0 and not result.timed_out

    def test_cd_persists(self, backend: Any) -> None:
        backend.run(f"mkdir -p {self.scratch}/hermes-cd-test && cd {self.scratch}/hermes-cd-test")
        assert self.out(backend.run("pwd")) == f"{self.scratch}/hermes-cd-test"

    def test_exported_variables_persist(self, backend: Any) -> None:
        backend.run("export HERMES_CONFORMANCE=forty-two")
        assert self.out(backend.run("echo $HERMES_CONFORMANCE")) == "forty-two"

    def test_aliases_and_functions_persist(self, backend: Any) -> None:
        backend.run("alias hermesgreet='echo hi from alias'")
        backend.run("hermesfn() { echo \"fn $1\"; }")
        assert self.out(backend.run("hermesgreet")) == "hi from alias"
        assert self.out(backend.run("hermesfn x")) == "fn x"

    def test_workdir_applies_to_one_command(self, backend: Any) -> None:
        backend.run(f"cd {self.scratch}")
        assert self.out(backend.run("pwd", workdir="/")) == "/"
        assert self.out(backend.run("pwd")) == self.scratch

    def test_exit_codes_and_stderr(self, backend: Any) -> None:
        result = backend.run("echo to-out; echo to-err >&2; false")
        assert result.exit_code == 1
        assert "to-out" in result.output and "to-err" in result.output
        assert backend.run("(exit 7)").exit_code == 7
        missing = backend.run("ls /definitely/not/here")
        assert missing.exit_code != 0 and "not" in missing.output.lower()

    def test_exit_does_not_break_the_backend(self, backend: Any) -> None:
        result = backend.run("exit 5")
        assert result.exit_code == 5
        assert self.out(backend.run("echo still here")) == "still here"

    def test_multiline_and_quotes(self, backend: Any) -> None:
        result = backend.run("for i in 1 2 3; do\n  echo \"line $i\"\ndone\necho 'single \"quoted\"'")
        assert result.output.strip().splitlines() == ["line 1", "line 2", "line 3", 'single "quoted"']

    def test_unicode(self, backend: Any) -> None:
        assert self.out(backend.run("echo 'héllo ✓ 日本語 😀'")) == "héllo ✓ 日本語 😀"
        result = backend.run("printf 'bad \\377\\376 bytes\\n'")
        assert result.exit_code == 0 and "bad" in result.output

    def test_no_input_needed(self, backend: Any) -> None:
        result = backend.run("cat", timeout=5)  # stdin is empty, so cat ends at once
        assert not result.timed_out

    # -- limits ---------------------------------------------------------------------------

    def test_huge_output_is_truncated(self, backend: Any) -> None:
        result = backend.run("yes 'a line of output' | head -n 200000; echo THE-END")
        assert result.truncated
        assert len(result.output) <= 20_000 + 500
        assert "THE-END" in result.output  # the end of the output is kept
        assert self.out(backend.run("echo after")) == "after"

    def test_timeout_kills_the_command_and_its_children(self, backend: Any) -> None:
        marker = f"hermes-timeout-{uuid.uuid4().hex[:8]}"
        start = time.monotonic()
        result = backend.run(f"(sleep 2; echo alive > {self.scratch}/{marker}) & sleep 60", timeout=1)
        assert result.timed_out
        assert time.monotonic() - start < 1 + self.timeout_slack
        time.sleep(3)
        check = backend.run(f"test -e {self.scratch}/{marker} && echo survived || echo killed")
        assert self.out(check) == "killed"

    def test_state_survives_a_timeout(self, backend: Any) -> None:
        backend.run("export KEEP_ME=yes")
        backend.run("sleep 60", timeout=1)
        assert self.out(backend.run("echo $KEEP_ME")) in ("yes", "")  # a restarted shell may lose it
        assert backend.run("echo alive").exit_code == 0

    def test_interrupt_stops_the_running_command(self, backend: Any) -> None:
        results: list[CommandResult] = []
        thread = threading.Thread(target=lambda: results.append(backend.run("sleep 60", timeout=120)))
        thread.start()
        time.sleep(1.0)
        start = time.monotonic()
        backend.interrupt()
        thread.join(timeout=self.timeout_slack + 5)
        assert not thread.is_alive(), "interrupt() did not stop the command"
        assert time.monotonic() - start < self.timeout_slack + 1
        assert results[0].interrupted or results[0].exit_code not in (0, None)
        assert self.out(backend.run("echo after interrupt")) == "after interrupt"

    # -- background processes -------------------------------------------------------------

    def _wait_for(self, predicate: Callable[[], bool], seconds: float = 10.0) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.1)
        return False

    def test_background_process_log_and_exit(self, backend: Any) -> None:
        pid = backend.start_background("for i in 1 2 3; do echo tick $i; sleep 0.2; done")
        assert any(p["id"] == pid for p in backend.list_processes())
        assert self._wait_for(lambda: backend.poll(pid)["running"] is False)
        status = backend.poll(pid)
        assert status["exit_code"] == 0
        log = backend.read_log(pid)
        assert "tick 1" in log and "tick 3" in log
        assert backend.read_log(pid, offset=len("tick 1\n")).startswith("tick 2")

    def test_background_stdin(self, backend: Any) -> None:
        pid = backend.start_background("read line; echo got $line")
        time.sleep(0.3)
        backend.write_stdin(pid, "hello\n")
        assert self._wait_for(lambda: "got hello" in backend.read_log(pid))

    def test_kill_background(self, backend: Any) -> None:
        pid = backend.start_background("sleep 300")
        assert backend.poll(pid)["running"] is True
        backend.kill(pid)
        assert self._wait_for(lambda: backend.poll(pid)["running"] is False)

    def test_unknown_process_id_is_a_clear_error(self, backend: Any) -> None:
        with pytest.raises(Exception) as info:
            backend.poll("no-such-process")
        assert "no-such-process" in str(info.value)

    # -- sessions and clean-up ------------------------------------------------------------

    def test_sessions_are_isolated(self, open_backend: Callable[..., Any]) -> None:
        one = open_backend("session-one")
        two = open_backend("session-two")
        one.run("export ONLY_IN_ONE=1; cd /")
        two.run(f"cd {self.scratch}")
        assert self.out(two.run("echo x${ONLY_IN_ONE}x")) == "xx"
        assert self.out(one.run("pwd")) == "/"
        assert self.out(two.run("pwd")) == self.scratch

    def test_close_leaves_nothing_running(self, open_backend: Callable[..., Any]) -> None:
        marker = f"{uuid.uuid4().hex[:10]}"
        backend = open_backend("closing")
        # `sh -c '...; true MARKER'` keeps a process whose command line shows the marker
        backend.start_background(f"sh -c 'sleep 301; true {marker}'")
        backend.run(f"sh -c 'sleep 302; true {marker}' > /dev/null 2>&1 &")
        assert self._wait_for(lambda: len(self.leftover_processes(marker)) >= 1, 5)
        backend.close()
        backend.close()  # closing twice is fine
        assert self._wait_for(lambda: self.leftover_processes(marker) == [], 10), self.leftover_processes(marker)
