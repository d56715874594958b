"""hermes session store ``sqlite``, the ``session_search`` tool and ``hermes sessions``.

Conversations are saved as they happen in ``$HERMES_HOME/state.db`` (SQLite, WAL, an
FTS5 index kept in sync by triggers). This entry module imports only ``hermes_core`` and
the standard library: the store, the tool and the CLI load on first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hermes_core import CommandSpec, SessionStoreSpec, ToolSpec, ToolsetSpec, hookimpl

__all__ = [
    "create_store",
    "hermes_cli_commands",
    "hermes_config_sections",
    "hermes_session_stores",
    "hermes_tools",
    "hermes_toolsets",
]

TOOLSET = "session_search"


def create_store(hermes_home: Path, settings: dict[str, Any] | None = None) -> Any:
    """The store factory: a :class:`~hermes_plugin_sessions.store.SqliteSessionStore`."""
    from .store import open_store

    return open_store(hermes_home, settings)


async def _session_search(args: dict[str, Any], ctx: Any) -> Any:
    from .tool import session_search

    return await session_search(args, ctx)


def _cli() -> Any:
    from .cli import sessions

    return sessions


@hookimpl
def hermes_session_stores():  # noqa: ANN201 - registry hook
    yield SessionStoreSpec(
        name="sqlite",
        description="SQLite in $HERMES_HOME/state.db: WAL, FTS5 full-text search, safe across processes",
        factory=create_store,
    )


@hookimpl
def hermes_tools():  # noqa: ANN201 - registry hook
    from .tool import DESCRIPTION, PARAMETERS

    yield ToolSpec(
        name="session_search",
        description=DESCRIPTION,
        parameters=PARAMETERS,
        handler=_session_search,
        toolset=TOOLSET,
        parallel_safe=True,
        progress_arg="query",
        max_result_chars=24_000,
    )


@hookimpl
def hermes_toolsets():  # noqa: ANN201 - registry hook
    yield ToolsetSpec(name=TOOLSET, description="search and read past conversations (the session store)")


@hookimpl
def hermes_cli_commands():  # noqa: ANN201 - registry hook
    yield CommandSpec(
        name="sessions",
        description="List, show, search, export, import, delete and prune saved sessions.",
        factory=_cli,
    )


@hookimpl
def hermes_config_sections():  # noqa: ANN201 - registry hook
    from hermes_core import ConfigSectionSpec

    from .settings import SqliteSettings

    yield ConfigSectionSpec(name="sessions.sqlite", description="the SQLite session store", model=SqliteSettings)
