"""Conformance suite for terminal backends.

Subclass :class:`TerminalBackendConformance` and implement ``make_backend(settings)``; if
your backend's processes do not run on this machine (a container, a VM), implement
``leftover_processes(marker)`` to look for them where they run. Every backend must pass:
state that persists between commands (cd, export, aliases), exit codes and stderr, a
protocol no syntax error or stdin-reading command can break, timeouts that kill everything
the command started (orphaned grandchildren too) but spare background processes, bounded
output, unicode and control bytes, large commands, background processes (log, stdin,
workdir, kill), interrupts of single programs and whole command lists, isolated sessions,
and a close that leaves nothing running (not even processes that ignore SIGTERM).
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
        result = backend.run("read -r line; echo \"read=$?\"", timeout=5)
        assert self.out(result) == "read=1" and not result.timed_out
        assert self.out(backend.run("echo protocol intact")) == "protocol intact"

    def test_syntax_errors_do_not_break_the_shell(self, backend: Any) -> None:
        backend.run("export BEFORE_ERROR=kept")
        for broken in ("echo 'unbalanced", 'echo "unbalanced', "if then fi", "echo $(", "}"):
            result = backend.run(broken, timeout=10)
            assert result.exit_code not in (0, None) and not result.timed_out, broken
        assert self.out(backend.run("echo $BEFORE_ERROR")) == "kept"

    def test_cwd_is_reported(self, backend: Any) -> None:
        result = backend.run(f"mkdir -p {self.scratch}/hermes-cwd-report && cd {self.scratch}/hermes-cwd-report")
        assert result.cwd == f"{self.scratch}/hermes-cwd-report"

    def test_missing_workdir_is_an_error_and_changes_nothing(self, backend: Any) -> None:
        backend.run(f"cd {self.scratch}")
        result = backend.run("echo should-not-run", workdir="/definitely/not/a/dir")
        assert result.exit_code not in (0, None) and "should-not-run" not in result.output
        assert self.out(backend.run("pwd")) == self.scratch

    def test_large_command_text(self, backend: Any) -> None:
        payload = "x" * 150_000
        result = backend.run(f"cat <<'EOF' | wc -c\n{payload}\nEOF")
        assert self.out(result) == str(len(payload) + 1)

    def test_nul_and_control_bytes_in_output(self, backend: Any) -> None:
        result = backend.run("printf 'a\\000b\\033[31mred\\033[0m\\r\\n'; echo done")
        assert result.exit_code == 0 and "done" in result.output and "red" in result.output

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

    def test_timeout_kills_orphaned_grandchildren(self, backend: Any) -> None:
        marker = f"hermes-orphan-{uuid.uuid4().hex[:8]}"
        # the inner subshell is re-parented when its parent exits: it leaves the tree
        result = backend.run(f"( (sleep 2; echo alive > {self.scratch}/{marker}) & ); sleep 60", timeout=1)
        assert result.timed_out
        time.sleep(3)
        check = backend.run(f"test -e {self.scratch}/{marker} && echo survived || echo killed")
        assert self.out(check) == "killed"

    def test_a_timeout_spares_background_processes(self, backend: Any) -> None:
        pid = backend.start_background("sleep 120")
        assert backend.run("sleep 60", timeout=1).timed_out
        assert backend.poll(pid)["running"] is True
        backend.kill(pid)

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

    def test_interrupt_stops_a_whole_command_list(self, backend: Any) -> None:
        results: list[CommandResult] = []
        command = "for i in 1 2 3 4 5 6 7 8; do sleep 30; done; echo finished"
        thread = threading.Thread(target=lambda: results.append(backend.run(command, timeout=300)))
        thread.start()
        time.sleep(1.0)
        start = time.monotonic()
        backend.interrupt()
        thread.join(timeout=self.timeout_slack + 10)
        assert not thread.is_alive(), "interrupt() did not stop the command list"
        assert time.monotonic() - start < self.timeout_slack + 5
        assert "finished" not in results[0].output or results[0].interrupted
        assert self.out(backend.run("echo after")) == "after"

    def test_interrupt_when_idle_is_harmless(self, backend: Any) -> None:
        backend.interrupt()
        assert self.out(backend.run("echo fine")) == "fine"

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
        for call in (lambda: backend.read_log("no-such-process"), lambda: backend.kill("no-such-process"),
                     lambda: backend.write_stdin("no-such-process", "x\n")):
            with pytest.raises(Exception) as info:
                call()
            assert "no-such-process" in str(info.value)

    def test_background_workdir_and_finished_stdin(self, backend: Any) -> None:
        pid = backend.start_background("pwd", workdir="/")
        assert self._wait_for(lambda: backend.poll(pid)["running"] is False)
        assert backend.read_log(pid).strip() == "/"
        with pytest.raises(Exception):
            backend.write_stdin(pid, "too late\n")

    def test_late_output_of_a_background_child_does_not_break_commands(self, backend: Any) -> None:
        backend.run("(sleep 0.5; echo late-line) &")
        time.sleep(1.0)
        results = [backend.run(f"echo step {i}") for i in range(3)]
        assert all(r.exit_code == 0 for r in results)
        assert [r.output.strip().splitlines()[-1] for r in results] == ["step 0", "step 1", "step 2"]

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
        backend.start_background(f"sh -c 'trap \"\" TERM; sleep 303; true {marker}'")
        assert self._wait_for(lambda: len(self.leftover_processes(marker)) >= 3, 5)
        backend.close()
        backend.close()  # closing twice is fine
        assert self._wait_for(lambda: self.leftover_processes(marker) == [], 10), self.leftover_processes(marker)
