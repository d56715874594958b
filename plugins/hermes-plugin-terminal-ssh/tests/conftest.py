"""A real sshd on 127.0.0.1 for the whole test session (throw-away keys, stopped at the end)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hermes_plugin_terminal_ssh.testing import SshServer, SshServerUnavailable


def pytest_configure(config: pytest.Config) -> None:
    # Registered here too so the marker is known when pytest-xdist is not installed.
    config.addinivalue_line("markers", "xdist_group(name): run in the same xdist worker as the group")


@pytest.fixture(scope="session")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    """The running test sshd; tests skip with the reason when it cannot start."""
    try:
        server = SshServer.start(tmp_path_factory.mktemp("sshd"))
    except SshServerUnavailable as exc:
        pytest.skip(f"no sshd for the ssh backend tests: {exc}")
    with server:
        yield server
