"""hermes memory provider ``honcho``, built on Honcho's SDK (the ``honcho-ai`` package).

Honcho models the user from the conversation: hermes sends every finished turn to it,
asks it about the user before each turn (its dialectic endpoint), and puts its model of
the user into the system prompt at session start (a session's context). Configure with
``memory.honcho`` and enable with ``hermes config set memory.providers builtin,honcho``.

This entry module imports only ``hermes_core`` and the standard library; the SDK is
imported on first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hermes_core import hookimpl


def _create_provider(settings: dict[str, Any], hermes_home: Path) -> Any:
    from .provider import create_provider

    return create_provider(settings, hermes_home)


def _available() -> bool | str:
    from .sdk import honcho_installed

    if honcho_installed():
        return True
    return "the honcho provider needs the 'honcho-ai' package: pip install hermes-plugin-honcho (or pip install honcho-ai)"


@hookimpl
def hermes_memory_providers():  # noqa: ANN201 - registry hook
    from hermes_core import MemoryProviderSpec

    yield MemoryProviderSpec(
        name="honcho",
        description="Honcho: user modelling across sessions (dialectic recall, session context)",
        factory=_create_provider,
        check_available=_available,
    )


@hookimpl
def hermes_config_sections():  # noqa: ANN201 - registry hook
    from hermes_core import ConfigSectionSpec

    from .config import HonchoSettings

    yield ConfigSectionSpec(
        name="memory.honcho",
        description="Honcho memory: server, API key, workspace, recall mode",
        model=HonchoSettings,
    )
