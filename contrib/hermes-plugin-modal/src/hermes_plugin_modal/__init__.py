"""hermes terminal backend ``modal``: a persistent shell in a Modal sandbox.

This entry module imports only ``hermes_core`` and the standard library; the modal SDK
loads when a session first needs a shell.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from hermes_core import Availability, ConfigSectionSpec, TerminalBackendSpec, hookimpl


def _factory(settings: Any) -> Any:
    if importlib.util.find_spec("modal") is None:
        from hermes_core import MissingDependency

        raise MissingDependency("modal", plugin="modal")
    from .backend import ModalBackend

    return ModalBackend(settings)


def _check_available(host: Any) -> Availability:
    if importlib.util.find_spec("modal") is None:
        return Availability(available=False, reason="the 'modal' package is not installed: pip install modal")
    options = host.section_options("terminal", "modal")
    id_env = str(options.get("token_id_env") or "MODAL_TOKEN_ID")
    secret_env = str(options.get("token_secret_env") or "MODAL_TOKEN_SECRET")
    if host.getenv(id_env) and host.getenv(secret_env):
        return Availability()
    # Modal's own profile file, where `modal token new` writes the credentials.
    profile = Path(host.getenv("MODAL_CONFIG_PATH") or Path.home() / ".modal.toml").expanduser()
    if profile.is_file():
        return Availability()
    return Availability(
        available=False,
        reason=f"no Modal credentials: set {id_env} and {secret_env} (environment or ~/.hermes/.env) "
        f"or run `modal token new`",
    )


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
