"""hermes terminal backend ``daytona``: a persistent shell in a Daytona cloud sandbox.

This entry module imports only ``hermes_core`` and the standard library; the daytona SDK
loads when a session first needs a shell.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from hermes_core import Availability, ConfigSectionSpec, TerminalBackendSpec, hookimpl


def _factory(settings: Any) -> Any:
    if importlib.util.find_spec("daytona") is None:
        from hermes_core import MissingDependency

        raise MissingDependency("daytona", plugin="daytona")
    from .backend import DaytonaBackend

    return DaytonaBackend(settings)


def _check_available(host: Any) -> Availability:
    if importlib.util.find_spec("daytona") is None:
        return Availability(available=False, reason="the 'daytona' package is not installed: pip install daytona")
    key_env = str(host.section_options("terminal", "daytona").get("api_key_env") or "DAYTONA_API_KEY")
    if not host.getenv(key_env):
        return Availability(available=False, reason=f"no Daytona API key: set {key_env} (environment or ~/.hermes/.env)")
    return Availability()


@hookimpl
def hermes_terminal_backends():
    yield TerminalBackendSpec(
        name="daytona",
        description="a persistent shell in a Daytona cloud sandbox (created per session, deleted at the end)",
        factory=_factory,
        check_available=_check_available,
    )


@hookimpl
def hermes_config_sections():
    from .config import DaytonaOptions

    yield ConfigSectionSpec(name="terminal.daytona", description="the daytona terminal backend", model=DaytonaOptions)
