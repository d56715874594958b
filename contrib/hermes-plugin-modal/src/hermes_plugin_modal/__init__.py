"""hermes terminal backend ``modal``: a persistent shell in a Modal sandbox.

This entry module imports only ``hermes_core`` and the standard library; the modal SDK
loads when a session first needs a shell.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from hermes_core import Availability, ConfigSectionSpec, TerminalBackendSpec, hookimpl


def _factory(settings: Any) -> Any:
    if importlib.util.find_spec("modal") is None:
        from hermes_core import MissingDependency

        raise MissingDependency("modal", plugin="modal")
    from .backend import ModalBackend

    return ModalBackend(settings)


def _check_available() -> Availability:
    if importlib.util.find_spec("modal") is None:
        return Availability(available=False, reason="the 'modal' package is not installed: pip install modal")
    return Availability()


@hookimpl
def hermes_terminal_backends():
    yield TerminalBackendSpec(
        name="modal",
        description="a persistent shell in a Modal cloud sandbox (created per session, terminated at the end)",
        factory=_factory,
        check_available=_check_available,
    )


@hookimpl
def hermes_config_sections():
    from .config import ModalOptions

    yield ConfigSectionSpec(name="terminal.modal", description="the modal terminal backend", model=ModalOptions)
