"""The sandbox backend against the real bubblewrap of this machine."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

import hermes_plugin_terminal_sandbox
from hermes_core import TerminalSettings
from hermes_core.testing import make_session
from hermes_core.testing.conformance import TerminalBackendConformance
from hermes_plugin_terminal_sandbox.backend import SandboxBackend
from hermes_plugin_terminal_sandbox.bwrap import probe

UNAVAILABLE = probe()
pytestmark = pytest.mark.skipif(UNAVAILABLE is not None, reason=f"no bubblewrap sandbox here: {UNAVAILABLE}")


class TestSandboxConformance(TerminalBackendConformance):
    def make_backend(self, settings):
        return SandboxBackend(settings)


@pytest.fixture
def project(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "README").write_text("project file\n")
    return folder


@pytest.fixture
def open_sandbox(tmp_path, project):
    backends = []

    def factory(**options):
        home = tmp_path / "hermes-home"
        home.mkdir(exist_ok=True)
        settings = TerminalSettings(session_id=options.pop("session_id", "sandbox-test"), hermes_home=home,
                                    cwd=project, timeout=20, max_output_chars=5000, options=options)
        backends.append(SandboxBackend(settings))
        return backends[-1]

    yield factory
    for backend in backends:
        backend.close()


@pytest.fixture
def loopback_server():
    """A TCP server on the host's 127.0.0.1 that answers 'pong'."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    stop = threading.Event()

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.sendall(b"pong\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(2)
    server.close()


def _connect(port: int) -> str:
    return f"exec 3<>/dev/tcp/127.0.0.1/{port} && head -n1 <&3 && echo connected || echo no-connection"


def test_no_network(open_sandbox, loopback_server):
    backend = open_sandbox()
    result = backend.run(_connect(loopback_server), timeout=10)
    assert "pong" not in result.output and "no-connection" in result.output
    interfaces = backend.run("cat /proc/net/dev").output
    assert "lo:" in interfaces and "eth" not in interfaces and "ens" not in interfaces
    assert "no-connection" in backend.run("exec 3<>/dev/tcp/1.1.1.1/53 && echo connected || echo no-connection",
                                          timeout=10).output


def test_the_network_check_is_meaningful(open_sandbox, loopback_server):
    backend = open_sandbox(network=True)
    assert "pong" in backend.run(_connect(loopback_server), timeout=10).output


def test_writes_only_inside_the_work_folder(open_sandbox, project, tmp_path):
    backend = open_sandbox()
    work = backend.work_dir
    assert backend.run("pwd").output.strip() == str(work)
    result = backend.run(f"echo made > inside.txt && echo $HOME && cat {project}/README")
    assert result.exit_code == 0 and result.output.splitlines() == [str(work), "project file"]
    assert (work / "inside.txt").read_text() == "made\n"
    for path in (f"{project}/new.txt", "/etc/hermes-sandbox-test", "/usr/hermes-x", "/root/hermes-sandbox-test"):
        attempt = backend.run(f"echo x > {path}")
        assert attempt.exit_code != 0, path
        assert "Read-only file system" in attempt.output or "No such file" in attempt.output, attempt.output
    # the test's folders live under /tmp, which is the sandbox's private tmpfs: a write
    # there may succeed, but it never reaches the host
    backend.run(f"echo x > {tmp_path}/escape.txt; echo x > {project}/../escape2.txt")
    assert not (project / "new.txt").exists() and not (tmp_path / "escape.txt").exists()
    assert not (tmp_path / "escape2.txt").exists()
    assert "private-file" in backend.run("touch /tmp/hermes-private-file && ls /tmp").output
    assert not Path("/tmp/hermes-private-file").exists()


def test_tmp_is_private_to_each_sandbox(open_sandbox):
    one, two = open_sandbox(session_id="one"), open_sandbox(session_id="two")
    one.run("echo one > /tmp/whose")
    assert two.run("cat /tmp/whose").exit_code != 0
    assert one.run("cat /tmp/whose").output == "one\n"


def test_hermes_home_and_credentials_are_hidden(open_sandbox, tmp_path):
    home = tmp_path / "hermes-home"
    home.mkdir(exist_ok=True)
    (home / ".env").write_text("OPENAI_API_KEY=sk-secret\n")
    secrets = tmp_path / "fake-ssh"
    secrets.mkdir()
    (secrets / "id_ed25519").write_text("PRIVATE KEY\n")
    token_file = tmp_path / "token.txt"
    token_file.write_text("TOPSECRET\n")
    backend = open_sandbox(hide_paths=[str(secrets), str(token_file)])
    assert "sk-secret" not in backend.run(f"cat {home}/.env").output
    assert backend.run(f"ls -A {secrets}").output.strip() == ""
    assert "TOPSECRET" not in backend.run(f"cat {token_file}").output


def test_writable_cwd(open_sandbox, project):
    backend = open_sandbox(writable_cwd=True)
    result = backend.run("pwd && echo new > made-here.txt")
    assert result.exit_code == 0 and result.output.strip() == str(project)
    assert (project / "made-here.txt").read_text() == "new\n"


def test_processes_are_in_their_own_pid_namespace(open_sandbox):
    backend = open_sandbox()
    assert int(backend.run("echo $$").output) < 10
    assert backend.run("ps -e 2>/dev/null | wc -l || ls /proc | grep -c '^[0-9]'").exit_code == 0
    count = int(backend.run("ls /proc | grep -c '^[0-9]'").output)
    assert count < 10  # only the sandbox's own processes are visible


def test_clean_work_dir(open_sandbox):
    backend = open_sandbox(clean_work_dir=True)
    backend.run("echo x > file")
    work = backend.work_dir
    assert work.exists()
    backend.close()
    assert not work.exists()


def test_probe_reports_a_missing_bwrap():
    reason = probe("definitely-not-bwrap")
    assert reason and "apt-get install bubblewrap" in reason


def test_registers_without_importing_the_backend(host):
    sys.modules.pop("hermes_plugin_terminal_sandbox.backend", None)
    host.register(hermes_plugin_terminal_sandbox, name="terminal-sandbox")
    assert "sandbox" in host.terminal_backends() and "terminal.sandbox" in host.config_sections()
    assert "hermes_plugin_terminal_sandbox.backend" not in sys.modules
    assert host.availability(host.terminal_backends()["sandbox"]).available


def test_session_terminal_from_config(make_host):
    host = make_host(plugins={"terminal-sandbox": hermes_plugin_terminal_sandbox},
                     config={"terminal": {"backend": "sandbox", "sandbox": {"writable_cwd": True}}})
    session = make_session(host)
    try:
        backend = session.terminal()
        assert backend.name == "sandbox"
        result = backend.run("pwd; touch ok && echo wrote")
        assert result.output.splitlines() == [str(host.cwd), "wrote"]
    finally:
        session.close_terminal()


def test_the_sandbox_outlives_the_thread_that_started_it(open_sandbox):
    backend = open_sandbox()
    thread = threading.Thread(target=lambda: backend.run("export STARTED_IN_A_THREAD=1"))
    thread.start()
    thread.join()
    time.sleep(0.3)  # the kernel's parent-death signal would have fired by now
    assert backend.run("echo $STARTED_IN_A_THREAD").output == "1\n"


def test_the_sandbox_dies_with_hermes(tmp_path):
    marker = f"hermes-dies-with-parent-{uuid.uuid4().hex[:8]}"
    program = (
        "import sys, time\n"
        "from hermes_core import TerminalSettings\n"
        "from hermes_plugin_terminal_sandbox.backend import SandboxBackend\n"
        f"b = SandboxBackend(TerminalSettings(session_id='dies', hermes_home={str(tmp_path)!r}))\n"
        f"b.start_background(\"sh -c 'sleep 300; true {marker}'\")\n"
        f"b.run(\"sh -c 'sleep 301; true {marker}' >/dev/null 2>&1 &\")\n"
        "print('ready', flush=True)\n"
        "time.sleep(300)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        assert _wait(lambda: len(_pgrep(marker)) >= 2)
        child.kill()  # no clean-up code runs
        child.wait(10)
        assert _wait(lambda: _pgrep(marker) == []), _pgrep(marker)
    finally:
        child.kill()
        child.wait(10)
        child.stdout.close()


def _pgrep(marker: str) -> list[str]:
    found = subprocess.run(["pgrep", "-af", marker], capture_output=True, text=True)
    return [line for line in found.stdout.splitlines() if "pgrep" not in line and "import sys" not in line]


def _wait(predicate, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False
