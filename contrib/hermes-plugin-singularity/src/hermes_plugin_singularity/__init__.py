"""hermes terminal backend ``singularity``: a persistent shell in an Apptainer instance.

Apptainer (formerly Singularity) is driven through its command line; this entry module
imports only ``hermes_core`` and the standard library.
"""

from __future__ import annotations

from typing import Any

from hermes_core import ConfigSectionSpec, TerminalBackendSpec, hookimpl


def _factory(settings: Any) -> Any:
    from .backend import SingularityBackend

    return SingularityBackend(settings)


@hookimpl
def hermes_terminal_backends():
    yield TerminalBackendSpec(
        name="singularity",
        description="a persistent shell in an Apptainer/Singularity instance (HPC-friendly, no daemon)",
        # No availability check: the program may be configured by path
        # (terminal.singularity.executable); the first command says clearly if it is missing.
        factory=_factory,
    )


@hookimpl
def hermes_config_sections():
    from .config import SingularityOptions

    yield ConfigSectionSpec(name="terminal.singularity", description="the singularity terminal backend",
                            model=SingularityOptions)
