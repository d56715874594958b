"""hermes terminal backend ``singularity``: a persistent shell in an Apptainer instance.

Apptainer (formerly Singularity) is driven through its command line; this entry module
imports only ``hermes_core`` and the standard library.
"""

from __future__ import annotations

import shutil
from typing import Any

from hermes_core import Availability, ConfigSectionSpec, TerminalBackendSpec, hookimpl


def _factory(settings: Any) -> Any:
    from .backend import SingularityBackend

    return SingularityBackend(settings)


def _check_available(host: Any) -> Availability:
    configured = str(host.section_options("terminal", "singularity").get("executable") or "")
    names = [configured] if configured else ["apptainer", "singularity"]
    if any(shutil.which(name) for name in names):
        return Availability()
    wanted = configured or "apptainer (or singularity)"
    return Availability(
        available=False,
        reason=f"{wanted} is not installed or not on PATH: install Apptainer (https://apptainer.org) "
        f"or set terminal.singularity.executable",
    )


@hookimpl
def hermes_terminal_backends():
    yield TerminalBackendSpec(
        name="singularity",
        description="a persistent shell in an Apptainer/Singularity instance (HPC-friendly, no daemon)",
        factory=_factory,
        # Takes the host, so a program configured by path counts.
        check_available=_check_available,
    )


@hookimpl
def hermes_config_sections():
    from .config import SingularityOptions

    yield ConfigSectionSpec(name="terminal.singularity", description="the singularity terminal backend",
                            model=SingularityOptions)
