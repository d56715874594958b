"""The interactive CLI in a real pseudo-terminal: typing, streaming, slash commands, Ctrl-C."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import subprocess
import termios
import time

import pytest

from hermes_core.testing import Reply

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|[\r\x08]")


class Terminal:
    """A child process on a pty, read with timeouts."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: str) -> None:
        self.master, slave = pty.openpty()
        # A new session whose controlling terminal is the pty, so Ctrl-C becomes SIGINT.
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd,
                                     start_new_session=True, close_fds=True,
                                     preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        os.close(slave)
        self.buffer = ""

    def read_until(self, pattern: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            clean = ANSI.sub("", self.buffer)
            if re.search(pattern, clean):
                return clean
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.buffer += os.read(self.master, 65536).decode(errors="replace")
                except OSError:
                    break
        raise AssertionError(f"timed out waiting for {pattern!r}; screen so far:\n{ANSI.sub('', self.buffer)[-3000:]}\nraw tail: {self.buffer[-300:]!r}")

    def send(self, text: str) -> None:
        os.write(self.master, text.encode())

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        os.close(self.master)


@pytest.fixture
def terminal(hermes_env, tmp_path, llm_server):
    from pathlib import Path
    import sys

    env = {**hermes_env, "OPENAI_BASE_URL": llm_server.base_url, "OPENAI_API_KEY": "sk-test",
           "HERMES_MODEL__NAME": "test-model", "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1", "COLUMNS": "100", "LINES": "40"}
    term = Terminal([str(Path(sys.executable).with_name("hermes"))], env, str(tmp_path))
    yield term
    term.close()


def test_interactive_session(terminal, llm_server):
    llm_server.script(
        Reply.text("Hello from the REPL."),
        Reply.text("This answer never arrives.").delayed(20),
        Reply.text("Still here after the interrupt."),
    )
    prompt = r"\n❯ *$"
    terminal.read_until(r"/help for commands" + prompt)
    terminal.send("hello\r")
    terminal.read_until(r"Hello from the REPL\." + prompt)
    terminal.send("a slow question\r")
    time.sleep(1.0)
    terminal.send("\x03")  # Ctrl-C while the model is thinking
    terminal.read_until(r"interrupted: the conversation continues\)" + prompt)
    terminal.send("are you there?\r")
    terminal.read_until(r"Still here after the interrupt\." + prompt)
    terminal.send("/usage\r")
    screen = terminal.read_until(r"model requests: \d[\s\S]*" + prompt)
    assert "tokens:" in screen
    terminal.send("/bogus\r")
    terminal.read_until(r"unknown command /bogus \(try /help\)" + prompt)
    terminal.send("/exit\r")
    assert terminal.proc.wait(timeout=15) == 0
    last = llm_server.chat_requests[-1].messages
    assert [m["role"] for m in last[1:]] == ["user", "assistant", "user", "assistant", "user"]
    assert last[4]["content"] == "[interrupted by the user]" and last[-1]["content"] == "are you there?"
