"""hermes memory provider ``mem0``, built on mem0 (the ``mem0ai`` package).

mem0 extracts facts from each finished turn with an LLM, embeds them into a vector store
and recalls the relevant ones before each turn. Configured (``memory.mem0``) to run fully
locally: embedded Qdrant under ``$HERMES_HOME/data/mem0``, LLM and embeddings from any
OpenAI-compatible endpoint, mem0's telemetry off. Enable with
``hermes config set memory.providers builtin,mem0``.

This entry module imports only ``hermes_core`` and the standard library; mem0 is imported
on first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hermes_core import hookimpl


def _create_provider(settings: dict[str, Any], hermes_home: Path) -> Any:
    from .provider import create_provider

    return create_provider(settings, hermes_home)


def _available() -> bool | str:
    from .loader import mem0_installed

    if mem0_installed():
        return True
    return "the mem0 provider needs the 'mem0ai' package: pip install hermes-plugin-mem0 (or pip install mem0ai)"


@hookimpl
def hermes_memory_providers():  # noqa: ANN201 - registry hook
    from hermes_core import MemoryProviderSpec

    yield MemoryProviderSpec(
        name="mem0",
        description="mem0: facts extracted from conversations, local vector store, any OpenAI-compatible endpoint",
        factory=_create_provider,
        check_available=_available,
    )


@hookimpl
def hermes_config_sections():  # noqa: ANN201 - registry hook
    from hermes_core import ConfigSectionSpec

    from .config import Mem0Settings

    yield ConfigSectionSpec(
        name="memory.mem0",
        description="mem0 memory: endpoint, models, vector store folder",
        model=Mem0Settings,
    )
