"""hermes built-in memory: MEMORY.md and USER.md per user, the ``memory`` tool, and an
archive of entries pushed out that recall and ``session_search`` can still find.

Registers the memory provider ``builtin``, the tool ``memory`` (toolset ``memory``) and
the config section ``memory.builtin``. This entry module imports only ``hermes_core``;
the rest loads when a hook or the tool is first used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hermes_core import hookimpl


def _create_provider(settings: dict[str, Any], hermes_home: Path) -> Any:
    from .provider import create_provider

    return create_provider(settings, hermes_home)


async def _memory_tool(args: dict[str, Any], ctx: Any) -> Any:
    from .tool import handle_memory

    return await handle_memory(args, ctx)


@hookimpl
def hermes_memory_providers():  # noqa: ANN201 - registry hook
    from hermes_core import MemoryProviderSpec

    yield MemoryProviderSpec(
        name="builtin",
        description="MEMORY.md and USER.md in $HERMES_HOME/memories, with a searchable archive",
        factory=_create_provider,
    )


@hookimpl
def hermes_tools():  # noqa: ANN201 - registry hook
    from hermes_core import ToolSpec

    from .schema import DESCRIPTION, PARAMETERS

    yield ToolSpec(
        name="memory",
        description=DESCRIPTION,
        parameters=PARAMETERS,
        handler=_memory_tool,
        toolset="memory",
        progress_arg="content",
        check_available=_builtin_active,
    )


def _builtin_active(host):  # noqa: ANN001, ANN202 - an availability check
    """The tool is offered only while the built-in provider is active."""
    if "builtin" in host.config.memory.providers:
        return True
    return "the built-in memory provider is not in memory.providers"


@hookimpl
def hermes_toolsets():  # noqa: ANN201 - registry hook
    from hermes_core import ToolsetSpec

    yield ToolsetSpec(name="memory", description="persistent memory across sessions (MEMORY.md, USER.md)")


@hookimpl
def hermes_config_sections():  # noqa: ANN201 - registry hook
    from hermes_core import ConfigSectionSpec

    from .config import BuiltinMemorySettings

    yield ConfigSectionSpec(
        name="memory.builtin",
        description="built-in memory: character budgets, what happens when full, the archive",
        model=BuiltinMemorySettings,
    )
