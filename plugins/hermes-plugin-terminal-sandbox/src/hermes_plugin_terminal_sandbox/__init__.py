"""hermes terminal backend ``sandbox``: the persistent local shell inside bubblewrap.

This entry module imports only ``hermes_core`` and the standard library; the backend
(and the local backend it builds on) loads when a session first needs a shell.
"""

from __future__ import annotations

from hermes_core import ConfigSectionSpec, TerminalBackendSpec, hookimpl

__all__ = ["create_backend", "hermes_config_sections", "hermes_terminal_backends"]


def create_backend(settings):  # noqa: ANN001, ANN201 - TerminalSettings -> SandboxBackend
    """The backend factory: a :class:`~hermes_plugin_terminal_sandbox.backend.SandboxBackend`."""
    from .backend import SandboxBackend

    return SandboxBackend(settings)


def check_available():  # noqa: ANN201
    """True when bubblewrap can create a sandbox here, else the reason (a quick probe)."""
    from .bwrap import probe

    return probe() or True


@hookimpl
def hermes_terminal_backends():
    yield TerminalBackendSpec(
        name="sandbox",
        description="a persistent bash in bubblewrap: read-only host, private /tmp, writable work folder, no network",
        factory=create_backend,
        check_available=check_available,
    )


@hookimpl
def hermes_config_sections():
    from .config import SandboxTerminalConfig

    yield ConfigSectionSpec(name="terminal.sandbox", description="the bubblewrap sandbox terminal backend",
                            model=SandboxTerminalConfig)
