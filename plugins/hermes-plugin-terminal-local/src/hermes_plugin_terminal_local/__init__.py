"""hermes terminal backend ``local``: a persistent bash per session on this machine.

This entry module imports only ``hermes_core`` and the standard library; the backend
loads when a session first needs a shell.
"""

from __future__ import annotations

from hermes_core import ConfigSectionSpec, TerminalBackendSpec, hookimpl

__all__ = ["create_backend", "hermes_config_sections", "hermes_terminal_backends"]


def create_backend(settings):  # noqa: ANN001, ANN201 - TerminalSettings -> LocalBackend
    """The backend factory: a :class:`~hermes_plugin_terminal_local.backend.LocalBackend`."""
    from .backend import LocalBackend

    return LocalBackend(settings)


def _check_available():  # noqa: ANN202
    import shutil

    return True if shutil.which("bash") else "bash is not installed (apt-get install bash)"


@hookimpl
def hermes_terminal_backends():
    yield TerminalBackendSpec(
        name="local",
        description="a persistent bash on this machine (cd, exports and aliases persist)",
        factory=create_backend,
        check_available=_check_available,
    )


@hookimpl
def hermes_config_sections():
    from .config import LocalTerminalConfig

    yield ConfigSectionSpec(name="terminal.local", description="the local terminal backend",
                            model=LocalTerminalConfig)
