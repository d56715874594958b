"""Host keys, authentication, reconnecting and configuration, against the real test sshd."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import hermes_plugin_terminal_ssh
from hermes_core import ConfigError
from hermes_core.types import TerminalSettings
from hermes_plugin_terminal_ssh.backend import SshBackend
from hermes_plugin_terminal_ssh.connection import SshConnectError
from hermes_plugin_terminal_ssh.hostkeys import HostKeyError
from hermes_plugin_terminal_ssh.testing import descendants, make_key

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("sshd")]


@pytest.fixture
def open_ssh(tmp_path):
    backends = []

    def factory(options):
        backend = SshBackend(TerminalSettings(session_id="ssh-test", hermes_home=tmp_path, options=options))
        backends.append(backend)
        return backend

    yield factory
    for backend in backends:
        backend.close()


# -- host keys ----------------------------------------------------------------------------


def test_unknown_host_is_refused_by_default_with_fingerprint_and_fix(sshd, open_ssh, tmp_path):
    known = tmp_path / "known_hosts"
    known.write_text("")
    backend = open_ssh(sshd.options(known_hosts=str(known)))
    with pytest.raises(HostKeyError) as info:
        backend.run("echo never")
    message = str(info.value)
    assert f"[127.0.0.1]:{sshd.port}" in message
    assert sshd.fingerprint() in message
    assert "ssh-keyscan" in message and "accept-new" in message
    assert known.read_text() == ""  # nothing was trusted behind the user's back


def test_missing_known_hosts_file_counts_as_unknown(sshd, open_ssh, tmp_path):
    backend = open_ssh(sshd.options(known_hosts=str(tmp_path / "absent" / "known_hosts")))
    with pytest.raises(HostKeyError, match="is not in known_hosts"):
        backend.run("true")
    assert not (tmp_path / "absent").exists()


def test_accept_new_records_the_key_then_strict_trusts_it(sshd, open_ssh, tmp_path):
    known = tmp_path / "ssh" / "known_hosts"
    first = open_ssh(sshd.options(known_hosts=str(known), host_key_policy="accept-new"))
    assert first.run("echo first").output.strip() == "first"
    assert known.read_text().split() == sshd.known_hosts_line().split()
    second = open_ssh(sshd.options(known_hosts=str(known)))  # strict again
    assert second.run("echo second").output.strip() == "second"


def test_changed_host_key_is_refused_even_with_accept_new(sshd, open_ssh, tmp_path):
    other = make_key(tmp_path / "other_host_key")
    kind, blob = other.with_suffix(".pub").read_text().split()[:2]
    known = tmp_path / "known_hosts"
    known.write_text(f"[127.0.0.1]:{sshd.port} {kind} {blob}\n")
    backend = open_ssh(sshd.options(known_hosts=str(known), host_key_policy="accept-new"))
    with pytest.raises(HostKeyError) as info:
        backend.run("true")
    assert "CHANGED" in str(info.value) and "ssh-keygen -R" in str(info.value)
    assert sshd.fingerprint() in str(info.value)


def test_hashed_known_hosts_entries_are_understood(sshd, open_ssh, tmp_path):
    known = sshd.write_known_hosts(tmp_path / "known_hosts")
    subprocess.run(["ssh-keygen", "-H", "-f", str(known)], check=True, capture_output=True)
    assert "|1|" in known.read_text()
    assert open_ssh(sshd.options(known_hosts=str(known))).run("echo hashed").output.strip() == "hashed"


# -- authentication -----------------------------------------------------------------------


def test_a_key_the_server_does_not_know_is_refused_clearly(sshd, open_ssh, tmp_path):
    stranger = make_key(tmp_path / "stranger")
    backend = open_ssh(sshd.options(key_path=str(stranger)))
    with pytest.raises(SshConnectError) as info:
        backend.run("true")
    assert sshd.user in str(info.value) and "authorized_keys" in str(info.value)
    assert str(stranger) in str(info.value)


def test_missing_key_file_is_named(sshd, open_ssh, tmp_path):
    backend = open_ssh(sshd.options(key_path=str(tmp_path / "nope")))
    with pytest.raises(SshConnectError, match="does not exist"):
        backend.run("true")


def test_passphrase_protected_key_needs_its_variable(sshd, open_ssh, tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "s3cret", "-f", str(locked)], check=True)
    with pytest.raises(SshConnectError, match="passphrase_env"):
        open_ssh(sshd.options(key_path=str(locked))).run("true")
    # with the passphrase the key loads; the server does not know it, so login is refused
    monkeypatch.setenv("HERMES_TEST_KEY_PASS", "s3cret")
    with pytest.raises(SshConnectError, match="refused"):
        open_ssh(sshd.options(key_path=str(locked), passphrase_env="HERMES_TEST_KEY_PASS")).run("true")


@pytest.fixture
def ssh_agent(tmp_path, monkeypatch):
    """A real ssh-agent holding no keys, reachable through SSH_AUTH_SOCK."""
    agent_bin = "/usr/bin/ssh-agent"
    if not os.path.exists(agent_bin):
        pytest.skip("ssh-agent is not installed (openssh-client)")
    sock = tmp_path / "agent.sock"
    process = subprocess.Popen([agent_bin, "-D", "-a", str(sock)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 5
        while not sock.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        monkeypatch.setenv("SSH_AUTH_SOCK", str(sock))
        yield sock
    finally:
        process.terminate()
        process.wait(timeout=5)


def test_agent_auth(sshd, open_ssh, ssh_agent):
    subprocess.run(["ssh-add", "-q", str(sshd.user_key)], check=True, env={**os.environ, "SSH_AUTH_SOCK": str(ssh_agent)})
    backend = open_ssh(sshd.options(key_path=None, use_agent=True))
    assert backend.run("echo via agent").output.strip() == "via agent"


def test_agent_without_the_right_key_is_reported(sshd, open_ssh, ssh_agent):
    backend = open_ssh(sshd.options(key_path=None, use_agent=True))
    with pytest.raises(SshConnectError, match="ssh-agent"):
        backend.run("true")


# -- dropped connections ------------------------------------------------------------------


def _drop_connections(sshd) -> None:
    """Kill the server side of every open connection (the listener stays up)."""
    assert sshd.process is not None
    for pid in descendants(sshd.process.pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def test_reconnects_after_the_connection_drops_and_says_state_was_lost(sshd, open_ssh):
    backend = open_ssh(sshd.options())
    backend.run("export KEPT=before; cd /tmp")
    _drop_connections(sshd)
    time.sleep(0.3)
    result = backend.run("echo value=${KEPT:-gone}")
    assert "value=gone" in result.output
    assert "connection lost" in result.output and "lost" in result.output
    assert result.exit_code == 0
    assert backend.ssh.reconnects == 1
    assert backend.run("echo fine").output.strip() == "fine"


def test_reconnect_can_be_turned_off(sshd, open_ssh):
    backend = open_ssh(sshd.options(reconnect=False))
    assert backend.run("echo up").exit_code == 0
    _drop_connections(sshd)
    time.sleep(0.3)
    with pytest.raises(Exception, match="reconnect is off"):
        backend.run("true")


def test_close_after_a_dropped_connection_does_not_raise(sshd, open_ssh):
    backend = open_ssh(sshd.options(reconnect=False))
    backend.run("true")
    _drop_connections(sshd)
    backend.close()


# -- configuration and registration -------------------------------------------------------


def test_missing_host_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="terminal.ssh.host"):
        SshBackend(TerminalSettings(session_id="s", hermes_home=tmp_path, options={}))


def test_bad_values_name_the_key(tmp_path):
    with pytest.raises(ConfigError, match="port"):
        SshBackend(TerminalSettings(session_id="s", hermes_home=tmp_path, options={"host": "h", "port": 0}))
    with pytest.raises(ConfigError, match="host_key_policy"):
        SshBackend(TerminalSettings(session_id="s", hermes_home=tmp_path,
                                    options={"host": "h", "host_key_policy": "yolo"}))


def test_unreachable_host_is_reported(tmp_path):
    from hermes_plugin_terminal_ssh.testing import free_port

    port = free_port()
    backend = SshBackend(TerminalSettings(session_id="s", hermes_home=tmp_path,
                                          options={"host": "127.0.0.1", "port": port, "connect_timeout": 2}))
    try:
        with pytest.raises(SshConnectError, match=f"127.0.0.1:{port}"):
            backend.run("true")
    finally:
        backend.close()


def test_entry_module_does_not_import_paramiko():
    code = "import sys, hermes_plugin_terminal_ssh; print('paramiko' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_host_opens_the_ssh_backend_from_config(sshd, make_host):
    from hermes_core.testing import make_session

    host = make_host(
        plugins={"terminal-ssh": hermes_plugin_terminal_ssh},
        config={"terminal": {"backend": "ssh", "ssh": sshd.options()}},
    )
    assert "ssh" in host.terminal_backends()
    assert "terminal.ssh" in host.config_sections()
    session = make_session(host)
    backend = host.open_terminal(session)
    try:
        assert backend.name == "ssh"
        assert backend.run("echo through the host").output.strip() == "through the host"
    finally:
        backend.close()


def test_invalid_section_in_config_names_the_file_and_key(make_host, hermes_home):
    from hermes_core.testing import make_session

    host = make_host(
        plugins={"terminal-ssh": hermes_plugin_terminal_ssh},
        config={"terminal": {"backend": "ssh", "ssh": {"host": "h", "port": "not-a-port"}}},
    )
    with pytest.raises(ConfigError) as info:
        host.open_terminal(make_session(host))
    assert "terminal.ssh" in str(info.value) and "port" in str(info.value)
    assert str(hermes_home / "config.yaml") in str(info.value)


def test_options_round_trip_known_hosts_path(tmp_path):
    from hermes_plugin_terminal_ssh.config import SshOptions

    options = SshOptions(host="example.org", known_hosts="~/kh", port=2222)
    assert options.known_hosts_path() == Path("~/kh").expanduser()
    assert options.known_hosts_name() == "[example.org]:2222"
    assert SshOptions(host="example.org").known_hosts_name() == "example.org"
