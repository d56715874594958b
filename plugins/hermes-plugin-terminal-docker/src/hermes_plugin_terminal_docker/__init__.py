"""hermes terminal backend ``docker``: each session's persistent shell in its own container.

This entry module imports only ``hermes_core`` and the standard library; the docker SDK and
the backend load when a session first needs a shell.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from hermes_core import Availability, ConfigSectionSpec, TerminalBackendSpec, hookimpl


def _factory(settings: Any) -> Any:
    if importlib.util.find_spec("docker") is None:
        from hermes_core import MissingDependency

        raise MissingDependency("docker", plugin="terminal-docker")
    from .backend import DockerBackend

    return DockerBackend(settings)


def _check_available() -> Availability:
    if importlib.util.find_spec("docker") is None:
        return Availability(available=False, reason="the 'docker' package is not installed: pip install docker")
    return Availability()


@hookimpl
def hermes_terminal_backends():
    yield TerminalBackendSpec(
        name="docker",
        description="a persistent shell in a per-session Docker container (CPU, memory and pid limits)",
        factory=_factory,
        check_available=_check_available,
    )


@hookimpl
def hermes_config_sections():
    from .config import DockerOptions

    yield ConfigSectionSpec(name="terminal.docker", description="the docker terminal backend", model=DockerOptions)
