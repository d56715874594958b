"""The local backend against the real bash of this machine."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest

import hermes_plugin_terminal_local
from hermes_core import ConfigError, TerminalSettings
from hermes_core.testing import make_session
from hermes_core.testing.conformance import TerminalBackendConformance
from hermes_plugin_terminal_local.backend import LocalBackend
from hermes_plugin_terminal_local.config import LocalTerminalConfig
from hermes_plugin_terminal_local.environment import child_environment, is_secret_name


class TestLocalConformance(TerminalBackendConformance):
    def make_backend(self, settings):
        return LocalBackend(settings)


@pytest.fixture
def open_local(tmp_path):
    backends = []

    def factory(**options):
        settings = TerminalSettings(session_id=options.pop("session_id", "local-test"), hermes_home=tmp_path / "home",
                                    cwd=tmp_path, timeout=20, max_output_chars=5000, options=options)
        backends.append(LocalBackend(settings))
        return backends[-1]

    yield factory
    for backend in backends:
        backend.close()


# -- the environment ----------------------------------------------------------------------------


def test_secret_names():
    patterns = LocalTerminalConfig().secret_patterns
    for name in ("OPENAI_API_KEY", "GITHUB_TOKEN", "DB_PASSWORD", "AWS_REGION", "STRIPE_SECRET_KEY",
                 "my_client_secret", "GOOGLE_APPLICATION_CREDENTIALS", "HF_TOKEN"):
        assert is_secret_name(name, patterns), name
    for name in ("PATH", "HOME", "LANG", "TERM", "SSH_AUTH_SOCK", "TOKENIZERS_PARALLELISM", "PYTHONPATH"):
        assert not is_secret_name(name, patterns), name
    assert not is_secret_name("GITHUB_TOKEN", patterns, ["GITHUB_*"])


def test_child_environment_drops_secrets_and_protocol_markers():
    env = child_environment({"PATH": "/bin", "OPENAI_API_KEY": "sk", "HERMES_SHELL_JOB": "outer", "KEEP_TOKEN": "t"},
                            secret_patterns=["*API_KEY*", "*_TOKEN"], passthrough=["KEEP_TOKEN"], extra={"X": "1"})
    assert env == {"PATH": "/bin", "KEEP_TOKEN": "t", "X": "1"}


def test_the_shell_never_sees_secrets(open_local, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-should-not-leak")
    monkeypatch.setenv("HERMES_TEST_PASSWORD", "hunter2")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp-allowed")
    monkeypatch.setenv("HERMES_PLAIN_VALUE", "visible")
    backend = open_local(env_passthrough=["GITHUB_TOKEN"], env={"HERMES_EXTRA": "from-config"})
    out = backend.run("env").output
    assert "sk-should-not-leak" not in out and "hunter2" not in out
    assert "GITHUB_TOKEN=ghp-allowed" in out and "HERMES_PLAIN_VALUE=visible" in out
    assert "HERMES_EXTRA=from-config" in out
    assert "hunter2" not in Path(f"/proc/{backend._shell.pid}/environ").read_text()


# -- stuck shells, interrupts, timeouts ----------------------------------------------------------


def test_a_stuck_shell_is_restarted_in_the_same_directory(open_local, tmp_path):
    backend = open_local(kill_grace=0.5)
    backend.run(f"mkdir -p {tmp_path}/sub && cd {tmp_path}/sub && export GONE=1")
    start = time.monotonic()
    result = backend.run("while :; do :; done", timeout=0.5)
    assert result.timed_out and "new shell" in result.output
    assert time.monotonic() - start < 4
    after = backend.run("pwd; echo x${GONE}x")
    assert after.output.splitlines() == [f"{tmp_path}/sub", "xx"]


def test_interrupt_stops_a_whole_command_list(open_local):
    backend = open_local(kill_grace=1)
    results = []
    thread = threading.Thread(target=lambda: results.append(backend.run("for i in 1 2 3 4 5 6; do sleep 20; done; echo done")))
    thread.start()
    time.sleep(0.5)
    start = time.monotonic()
    backend.interrupt()
    thread.join(10)
    assert not thread.is_alive() and time.monotonic() - start < 4
    assert results[0].interrupted and not results[0].timed_out
    assert backend.run("echo next").output == "next\n"


def test_interrupt_of_a_busy_builtin_restarts_the_shell(open_local):
    backend = open_local(kill_grace=0.5)
    results = []
    thread = threading.Thread(target=lambda: results.append(backend.run("while :; do :; done", timeout=60)))
    thread.start()
    time.sleep(0.3)
    backend.interrupt()
    thread.join(10)
    assert results[0].interrupted and "new shell" in results[0].output
    assert backend.run("echo back").output == "back\n"


def test_interrupt_when_idle_does_nothing(open_local):
    backend = open_local()
    backend.interrupt()
    assert backend.run("echo fine").output == "fine\n"


def test_a_timeout_spares_earlier_background_processes(open_local):
    backend = open_local()
    pid = backend.start_background("sleep 120")
    backend.run("sleep 120 &\nsleep 60", timeout=0.5)
    assert backend.poll(pid)["running"] is True


def test_exit_restarts_the_shell_in_the_same_directory(open_local, tmp_path):
    backend = open_local()
    backend.run("cd /")
    result = backend.run("exit 3")
    assert result.exit_code == 3 and "new shell" in result.output
    assert backend.run("pwd").output == "/\n"


# -- background processes --------------------------------------------------------------------------


def test_background_process_inherits_state_and_logs_under_the_session(open_local, tmp_path):
    backend = open_local(session_id="bg/session")
    backend.run("export BG_VALUE=inherited")
    pid = backend.start_background("echo $BG_VALUE; pwd", workdir="/")
    status = backend.poll(pid)
    deadline = time.monotonic() + 5
    while backend.poll(pid)["running"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert backend.read_log(pid) == "inherited\n/\n"
    assert backend.read_log(pid, offset=2, limit=4) == "heri"
    assert status["pid"] > 0
    folder = tmp_path / "home" / "processes" / "bg_session"
    assert (folder / pid / "log").exists()
    backend.close()
    assert not folder.exists()


def test_writing_to_a_finished_process_is_a_clear_error(open_local):
    backend = open_local()
    pid = backend.start_background("true")
    deadline = time.monotonic() + 5
    while backend.poll(pid)["running"] and time.monotonic() < deadline:
        time.sleep(0.05)
    with pytest.raises(RuntimeError, match="not running"):
        backend.write_stdin(pid, "x\n")


def test_kill_reports_killed(open_local):
    backend = open_local()
    pid = backend.start_background("trap '' TERM; sleep 100")
    backend.kill(pid)
    status = backend.poll(pid)
    assert status["running"] is False and status["status"] == "killed"
    assert [p["id"] for p in backend.list_processes()] == [pid]


def test_after_close_commands_fail_clearly(open_local):
    backend = open_local()
    backend.run("true")
    backend.close()
    with pytest.raises(RuntimeError, match="closed"):
        backend.run("true")


def test_empty_command_is_refused(open_local):
    with pytest.raises(ValueError, match="empty"):
        open_local().run("   ")


# -- as a plugin ---------------------------------------------------------------------------------


def test_registers_the_backend_and_its_config_without_importing_it(host):
    sys.modules.pop("hermes_plugin_terminal_local.backend", None)
    host.register(hermes_plugin_terminal_local, name="terminal-local")
    assert "local" in host.terminal_backends()
    assert "terminal.local" in host.config_sections()
    assert "hermes_plugin_terminal_local.backend" not in sys.modules


def test_session_terminal_uses_config(make_host, monkeypatch):
    monkeypatch.setenv("HERMES_SESSION_TOKEN", "passed")
    host = make_host(plugins={"terminal-local": hermes_plugin_terminal_local},
                     config={"terminal": {"backend": "local", "local": {"env_passthrough": ["HERMES_SESSION_*"]}}})
    session = make_session(host)
    try:
        backend = session.terminal()
        assert backend.name == "local"
        result = backend.run("echo $HERMES_SESSION_TOKEN; pwd")
        assert result.output.splitlines() == ["passed", str(host.cwd)]
    finally:
        session.close_terminal()


def test_bad_config_names_the_key(make_host):
    host = make_host(plugins={"terminal-local": hermes_plugin_terminal_local},
                     config={"terminal": {"local": {"kill_grace": "soon", "shel": "zsh"}}})
    with pytest.raises(ConfigError) as info:
        host.open_terminal(make_session(host))
    assert "terminal.local" in str(info.value)


def test_a_shell_killed_between_commands_is_restarted_with_a_note(open_local):
    import os
    import signal

    backend = open_local()
    backend.run("cd / && export LOST=1")
    os.kill(backend._shell.pid, signal.SIGKILL)
    backend._shell.proc.wait(5)
    result = backend.run("pwd; echo x${LOST}x")
    assert result.output.splitlines()[:2] == ["/", "xx"]
    assert "had ended" in result.output and result.exit_code == 0
