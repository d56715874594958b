"""hermes terminal backend ``ssh``: a persistent remote shell over paramiko.

This entry module imports only ``hermes_core`` and the standard library; paramiko and the
backend load when a session first needs a shell.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from hermes_core import Availability, ConfigSectionSpec, TerminalBackendSpec, hookimpl


def _factory(settings: Any) -> Any:
    if importlib.util.find_spec("paramiko") is None:
        from hermes_core import MissingDependency

        raise MissingDependency("paramiko", plugin="terminal-ssh")
    from .backend import SshBackend

    return SshBackend(settings)


def _check_available(host) -> Availability:  # noqa: ANN001 - the hermes Host
    if importlib.util.find_spec("paramiko") is None:
        return Availability(available=False, reason="the 'paramiko' package is not installed: pip install paramiko")
    try:
        configured = host.plugin_config("terminal.ssh").host
    except Exception:  # an invalid section: opening the backend reports the file and key
        return Availability()
    if not configured:
        return Availability(available=False, reason="no remote host: hermes config set terminal.ssh.host <host>")
    return Availability()


@hookimpl
def hermes_terminal_backends():
    yield TerminalBackendSpec(
        name="ssh",
        description="a persistent shell on another machine over SSH (key or agent auth, strict host keys)",
        factory=_factory,
        check_available=_check_available,
    )


@hookimpl
def hermes_config_sections():
    from .config import SshOptions

    yield ConfigSectionSpec(name="terminal.ssh", description="the ssh terminal backend", model=SshOptions)
