"""The terminal and process tools, over a tiny backend defined here (so this package's
tests need no backend package), through the kernel's dispatcher and a whole conversation."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import hermes_plugin_terminal
from hermes_core import (
    CommandResult,
    Finding,
    ScannerSpec,
    ScanResult,
    TerminalBackendSpec,
    Verdict,
    hookimpl,
)
from hermes_core.testing import Reply, ScriptedInteraction, acall_tool, call_tool, make_session, run_agent
from hermes_core.testing.conformance import ToolConformance


class TinyBackend:
    """Each command in a fresh bash (no persistence); background processes with a log file."""

    name = "tiny"

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self.cwd = str(settings.cwd or "/")
        self.folder = Path(tempfile.mkdtemp(prefix="tiny-backend-"))
        self.processes: dict[str, dict[str, Any]] = {}
        self.current: subprocess.Popen[bytes] | None = None
        self.interrupted = threading.Event()
        self.calls: list[tuple[str, Any, Any]] = []
        self.closed = False

    def run(self, command: str, *, timeout: float | None = None, workdir: str | None = None) -> CommandResult:
        self.calls.append((command, timeout, workdir))
        self.interrupted.clear()
        start = time.monotonic()
        proc = subprocess.Popen(["bash", "-c", command], cwd=workdir or self.cwd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        self.current = proc
        timed_out = False
        try:
            out, _ = proc.communicate(timeout=timeout or self.settings.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
            timed_out = True
        finally:
            self.current = None
        text = out.decode("utf-8", "replace")
        limit = self.settings.max_output_chars
        truncated = len(text) > limit
        if truncated:
            text = text[: limit // 2] + "\n...\n" + text[-limit // 2:]
        return CommandResult(output=text, exit_code=proc.returncode, timed_out=timed_out, truncated=truncated,
                             interrupted=self.interrupted.is_set(), duration=time.monotonic() - start, cwd=self.cwd)

    def start_background(self, command: str, *, workdir: str | None = None) -> str:
        process_id = f"tiny_{len(self.processes) + 1}"
        log = self.folder / f"{process_id}.log"
        handle = log.open("wb")
        proc = subprocess.Popen(["bash", "-c", command], cwd=workdir or self.cwd, stdin=subprocess.PIPE,
                                stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
        handle.close()
        self.processes[process_id] = {"proc": proc, "log": log, "command": command, "start": time.time(), "killed": False}
        return process_id

    def _get(self, process_id: str) -> dict[str, Any]:
        if process_id not in self.processes:
            raise LookupError(f"no background process '{process_id}'")
        return self.processes[process_id]

    def poll(self, process_id: str) -> dict[str, Any]:
        info = self._get(process_id)
        code = info["proc"].poll()
        return {"id": process_id, "command": info["command"], "pid": info["proc"].pid, "running": code is None,
                "exit_code": code, "status": "running" if code is None else "killed" if info["killed"] else "exited",
                "duration": time.time() - info["start"]}

    def read_log(self, process_id: str, *, offset: int = 0, limit: int | None = None) -> str:
        text = self._get(process_id)["log"].read_text()
        return text[offset:] if limit is None else text[offset:offset + limit]

    def write_stdin(self, process_id: str, data: str) -> None:
        proc = self._get(process_id)["proc"]
        if proc.poll() is not None:
            raise RuntimeError(f"background process {process_id} is not running")
        proc.stdin.write(data.encode())
        proc.stdin.flush()

    def kill(self, process_id: str) -> None:
        info = self._get(process_id)
        if info["proc"].poll() is None:
            info["killed"] = True
            os.killpg(info["proc"].pid, signal.SIGKILL)
            info["proc"].wait()

    def list_processes(self) -> list[dict[str, Any]]:
        return [self.poll(pid) for pid in self.processes]

    def interrupt(self) -> None:
        self.interrupted.set()
        if self.current is not None:
            os.killpg(self.current.pid, signal.SIGINT)

    def close(self) -> None:
        self.closed = True
        for process_id, info in self.processes.items():
            self.kill(process_id)
            info["proc"].stdin.close()


class TinyBackendPlugin:
    """Registers the tiny backend and remembers every one it created."""

    def __init__(self) -> None:
        self.backends: list[TinyBackend] = []

    def _make(self, settings: Any) -> TinyBackend:
        self.backends.append(TinyBackend(settings))
        return self.backends[-1]

    @hookimpl
    def hermes_terminal_backends(self):
        yield TerminalBackendSpec(name="tiny", description="tests only", factory=self._make)


class FlagRmScanner:
    """A command scanner that asks before anything containing 'rm -rf'."""

    def scan(self, text: str, ctx: Any) -> ScanResult:
        if "rm -rf" in text:
            return ScanResult(verdict=Verdict.ASK, findings=[Finding(rule="rm", message="recursive delete", verdict=Verdict.ASK)])
        return ScanResult()


class FlagRmPlugin:
    @hookimpl
    def hermes_scanners(self):
        yield ScannerSpec(name="flag-rm", factory=FlagRmScanner, targets=frozenset({"command"}))


@pytest.fixture
def tiny():
    plugin = TinyBackendPlugin()
    yield plugin
    for backend in plugin.backends:
        if not backend.closed:
            backend.close()


@pytest.fixture
def tool_host(make_host, tiny):
    return make_host(plugins={"terminal": hermes_plugin_terminal, "tiny-backend": tiny},
                     config={"terminal": {"backend": "tiny", "timeout": 20}})


@pytest.fixture
def session(tool_host):
    session = make_session(tool_host)
    yield session
    session.close_terminal()


class TestTerminalToolConformance(ToolConformance):
    plugin = hermes_plugin_terminal
    plugin_name = "terminal"


# -- the records --------------------------------------------------------------------------------


def test_tool_records(tool_host):
    tools = tool_host.tools()
    terminal, process = tools["terminal"], tools["process"]
    assert terminal.command_arg == "command" and terminal.progress_arg == "command"
    assert terminal.toolset == process.toolset == "terminal"
    assert "terminal" in tool_host.toolsets()
    assert set(terminal.parameters["properties"]) == {"command", "timeout", "workdir", "background"}
    assert {"list", "poll", "log", "wait", "write", "kill"} <= set(process.parameters["properties"]["action"]["enum"])


# -- terminal -----------------------------------------------------------------------------------


def test_runs_a_command_on_the_configured_backend(tool_host, tiny, session):
    result = call_tool(tool_host, "terminal", {"command": "echo hi"}, session=session)
    assert not result.is_error
    assert result.content == "hi\n[exit code: 0]"
    assert result.metadata["exit_code"] == 0
    assert tiny.backends[0].calls == [("echo hi", None, None)]


def test_notes_exit_code_timeout_and_truncation(tool_host, tiny, session):
    failed = call_tool(tool_host, "terminal", {"command": "echo oops >&2; exit 3"}, session=session)
    assert failed.content == "oops\n[exit code: 3]" and not failed.is_error
    slow = call_tool(tool_host, "terminal", {"command": "sleep 10", "timeout": 0.3}, session=session)
    assert "[timed out after 0.3s" in slow.content and slow.content.startswith("(no output)")
    big = call_tool(tool_host, "terminal", {"command": "seq 1 100000"}, session=session)
    assert "[output truncated" in big.content
    assert tiny.backends[0].calls[1][1] == 0.3


def test_passes_workdir_and_coerces_arguments(tool_host, tiny, session, tmp_path):
    result = call_tool(tool_host, "terminal", {"command": "pwd", "workdir": str(tmp_path), "timeout": "5"}, session=session)
    assert result.content.startswith(str(tmp_path))
    assert tiny.backends[0].calls[-1] == ("pwd", 5, str(tmp_path))


def test_bad_arguments_are_tool_errors(tool_host, session):
    assert "empty" in call_tool(tool_host, "terminal", {"command": "  "}, session=session).content
    negative = call_tool(tool_host, "terminal", {"command": "true", "timeout": -1}, session=session)
    assert negative.is_error and "positive" in negative.content
    missing = call_tool(tool_host, "terminal", {}, session=session)
    assert missing.is_error and "command" in missing.content


def test_a_missing_backend_is_an_actionable_error(make_host):
    host = make_host(plugins={"terminal": hermes_plugin_terminal}, config={"terminal": {"backend": "nowhere"}})
    result = call_tool(host, "terminal", {"command": "echo hi"})
    assert result.is_error
    assert "'nowhere' is not installed" in result.content and "hermes config set terminal.backend" in result.content


def test_the_command_goes_through_the_approval_gate(make_host, tiny):
    host = make_host(plugins={"terminal": hermes_plugin_terminal, "tiny-backend": tiny, "flag-rm": FlagRmPlugin()},
                     config={"terminal": {"backend": "tiny"}})
    refused = call_tool(host, "terminal", {"command": "rm -rf build"})
    assert refused.is_error and "Not executed" in refused.content
    interaction = ScriptedInteraction(approvals=["once"])
    session = make_session(host, interaction=interaction)
    try:
        allowed = call_tool(host, "terminal", {"command": "rm -rf nothing-here-x"}, session=session)
    finally:
        session.close_terminal()
    assert not allowed.is_error and interaction.approval_requests[0].summary == "rm -rf nothing-here-x"


async def test_cancelling_the_call_interrupts_the_command(tool_host, tiny):
    session = make_session(tool_host)
    task = asyncio.create_task(acall_tool(tool_host, "terminal", {"command": "sleep 30"}, session=session))
    for _ in range(100):
        if tiny.backends and tiny.backends[0].current is not None:
            break
        await asyncio.sleep(0.05)
    start = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    backend = tiny.backends[0]
    assert backend.interrupted.is_set()
    for _ in range(100):  # the worker thread's command ends on the SIGINT
        if backend.current is None:
            break
        await asyncio.sleep(0.05)
    assert backend.current is None and time.monotonic() - start < 5
    session.close_terminal()


# -- background and process -----------------------------------------------------------------------


def test_background_process_lifecycle(tool_host, session):
    started = call_tool(tool_host, "terminal", {"command": "echo ready; read line; echo got $line; sleep 30",
                                                 "background": True}, session=session)
    assert "Started background process tiny_1" in started.content and started.metadata["session_id"] == "tiny_1"
    listed = call_tool(tool_host, "process", {"action": "list"}, session=session)
    assert listed.content.startswith("tiny_1: running")
    sent = call_tool(tool_host, "process", {"action": "submit", "session_id": "tiny_1", "data": "hello"}, session=session)
    assert "6 characters" in sent.content
    deadline = time.monotonic() + 5
    polled = ""
    while "got hello" not in polled and time.monotonic() < deadline:
        polled += call_tool(tool_host, "process", {"action": "poll", "id": "tiny_1"}, session=session).content
        time.sleep(0.1)
    assert "ready" in polled and "got hello" in polled
    again = call_tool(tool_host, "process", {"action": "poll", "session_id": "tiny_1"}, session=session)
    assert "(no new output)" in again.content  # poll shows only what is new
    log = call_tool(tool_host, "process", {"action": "log", "session_id": "tiny_1"}, session=session)
    assert log.content == "tiny_1: lines 1-2 of 2\nready\ngot hello"
    waited = call_tool(tool_host, "process", {"action": "wait", "session_id": "tiny_1", "timeout": 0.3}, session=session)
    assert "still running after waiting 0.3s" in waited.content
    killed = call_tool(tool_host, "process", {"action": "kill", "session_id": "tiny_1"}, session=session)
    assert killed.content.startswith("tiny_1: killed")


def test_wait_returns_when_the_process_ends(tool_host, session):
    call_tool(tool_host, "terminal", {"command": "sleep 0.3; echo finished; exit 4", "background": True}, session=session)
    waited = call_tool(tool_host, "process", {"action": "wait", "session_id": "tiny_1", "timeout": 10}, session=session)
    assert waited.content.startswith("tiny_1: exited with code 4") and "finished" in waited.content
    assert waited.metadata["running"] is False


def test_log_slices_by_lines(tool_host, session):
    call_tool(tool_host, "terminal", {"command": "seq 1 500", "background": True}, session=session)
    call_tool(tool_host, "process", {"action": "wait", "session_id": "tiny_1"}, session=session)
    tail = call_tool(tool_host, "process", {"action": "log", "session_id": "tiny_1"}, session=session)
    assert tail.content.splitlines()[0] == "tiny_1: lines 301-500 of 500"
    middle = call_tool(tool_host, "process", {"action": "log", "session_id": "tiny_1", "offset": 10, "limit": 3},
                       session=session)
    assert middle.content == "tiny_1: lines 11-13 of 500\n11\n12\n13"
    last = call_tool(tool_host, "process", {"action": "log", "session_id": "tiny_1", "offset": -2}, session=session)
    assert last.content.splitlines()[1:] == ["499", "500"]


def test_process_errors_are_clear(tool_host, session):
    assert call_tool(tool_host, "process", {"action": "list"}, session=session).content.startswith("No background")
    missing_id = call_tool(tool_host, "process", {"action": "poll"}, session=session)
    assert missing_id.is_error and "needs session_id" in missing_id.content
    unknown = call_tool(tool_host, "process", {"action": "kill", "session_id": "nope_9"}, session=session)
    assert unknown.is_error and "nope_9" in unknown.content
    bad_action = call_tool(tool_host, "process", {"action": "explode"}, session=session)
    assert bad_action.is_error and "must be one of" in bad_action.content
    call_tool(tool_host, "terminal", {"command": "true", "background": True}, session=session)
    call_tool(tool_host, "process", {"action": "wait", "session_id": "tiny_1"}, session=session)
    no_data = call_tool(tool_host, "process", {"action": "write", "session_id": "tiny_1"}, session=session)
    assert no_data.is_error and "needs data" in no_data.content
    too_late = call_tool(tool_host, "process", {"action": "write", "session_id": "tiny_1", "data": "x"}, session=session)
    assert too_late.is_error and "not running" in too_late.content


# -- a conversation ---------------------------------------------------------------------------------


async def test_a_scripted_model_runs_a_command(tool_host, tiny, llm_server):
    llm_server.script(
        Reply.tool_call("terminal", {"command": "echo hi"}),
        Reply.text("The command printed hi."),
    )
    agent = await run_agent(tool_host, llm_server, "Run echo hi")
    assert agent.last_result.text == "The command printed hi."
    first, second = llm_server.chat_requests
    assert {tool["function"]["name"] for tool in first.tools} >= {"terminal", "process"}
    tool_message = second.messages[-1]
    assert tool_message["role"] == "tool" and tool_message["content"] == "hi\n[exit code: 0]"
    assert tiny.backends[0].closed  # the session's terminal is closed when the conversation ends
