"""The ``sqlite`` session store: the kernel's SessionStore protocol over one SQLite file.

Every method is async and runs its SQL on the store's own thread (see ``_worker``), so
the event loop never waits on the disk. Appends are committed before they return: a
crash loses at most the message being written. Several processes (the CLI, a gateway)
can share one file: WAL lets readers and the one writer work at once, and writers wait
their turn (``busy_timeout``) instead of failing.

Beyond the protocol it offers what the ``session_search`` tool and ``hermes sessions``
need: search filters (roles, excluded sessions, sort), session listings with previews,
bounded message windows, bulk import, pruning and statistics. Each has a ``*_sync``
twin for code without an event loop (the CLI).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from hermes_core.types import Message, SearchHit, SessionRecord, StoredMessage

from . import _codec as codec
from . import _ops as ops
from ._checkpoint import Checkpointer
from ._fts import parse
from ._worker import DbWorker
from .errors import StoreError
from .records import ImportReport, MessageWindow, SessionSummary, StoreStats
from .settings import SqliteSettings

__all__ = ["SqliteSessionStore", "StoreError", "open_store"]

Sort = Literal["relevance", "newest", "oldest"]
ROLES = ("system", "user", "assistant", "tool")


def open_store(hermes_home: Path, settings: Mapping[str, Any] | SqliteSettings | None = None) -> SqliteSessionStore:
    """The store factory: ``settings`` is the ``sessions.sqlite`` config section."""
    if not isinstance(settings, SqliteSettings):
        settings = SqliteSettings.model_validate(dict(settings or {}))
    return SqliteSessionStore(settings.database_path(Path(hermes_home)), settings)


class SqliteSessionStore:
    """Sessions and messages in SQLite with an FTS5 index. See the module docstring."""

    def __init__(self, path: Path, settings: SqliteSettings | None = None) -> None:
        self.path = Path(path)
        self.settings = settings or SqliteSettings()
        self._worker = DbWorker(self.path, self.settings)
        self._checkpointer = Checkpointer(self.path, self.settings)

    def __repr__(self) -> str:
        return f"<SqliteSessionStore {str(self.path)!r}>"

    async def _run(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        return await self._worker.run(functools.partial(fn, **kwargs) if kwargs else fn, *args)

    async def _write(self, fn: Any, *args: Any) -> Any:
        result = await self._worker.run(fn, *args)
        self._checkpointer.start()
        return result

    # =====================================================================================
    # The SessionStore protocol
    # =====================================================================================

    async def create_session(self, record: SessionRecord) -> None:
        """Save a new session. Repeating it for the same user is harmless."""
        await self._write(ops.create_session, _record(record))

    async def update_session(self, session_id: str, **fields: Any) -> None:
        """Change ``title``, ``ended_at``, ``end_reason``, ``usage`` (a Usage or dict),
        ``model``, ``chat_id``, ``parent_id``, ``platform`` or ``started_at``."""
        await self._write(ops.update_session, session_id, codec.update_columns(fields))

    async def get_session(self, session_id: str) -> SessionRecord | None:
        return await self._run(ops.get_session, session_id)

    async def append_messages(self, session_id: str, messages: Sequence[Message]) -> list[int]:
        """Append and commit; returns the new message ids (increasing)."""
        checked = [codec.coerce_message(m) for m in messages]
        if not checked:
            return []
        return await self._write(ops.append_messages, session_id, checked)

    async def get_messages(self, session_id: str) -> list[Message]:
        """Every message of the session in order (empty for an unknown session)."""
        return await self._run(ops.get_messages, session_id)

    async def list_sessions(
        self, user_id: str | None, *, limit: int = 20, offset: int = 0, platform: str | None = None,
        exclude: Sequence[str] = (),
    ) -> list[SessionRecord]:
        """``user_id``'s sessions, newest first. None lists every user's (owner tools only)."""
        return await self._run(ops.list_sessions, user_id, _bound(limit), max(0, offset), platform, tuple(exclude))

    async def search(
        self,
        query: str,
        user_id: str | None,
        *,
        limit: int = 10,
        exclude: Sequence[str] = (),
        roles: Sequence[str] = (),
        sort: Sort = "relevance",
        context: int = 1,
        per_session: int | None = None,
    ) -> list[SearchHit]:
        """Messages of ``user_id`` matching ``query``, best first, each with a snippet
        (matches in ``**bold**``) and ``context`` messages on each side.

        ``query`` takes words, "phrases", prefix* and OR; nothing in it can cause a
        syntax error. Relevance is bm25 over the newest ``search_candidates`` matches; a
        query with a prefix* lists the newest matches first. ``exclude`` leaves sessions out (the current conversation),
        ``roles`` keeps only those roles, ``sort`` is relevance, newest or oldest, and
        ``per_session`` caps hits from one session.
        """
        parsed = parse(query)
        if parsed is None:
            return []
        if sort not in ("relevance", "newest", "oldest"):
            raise ValueError(f"sort must be relevance, newest or oldest, not {sort!r}")
        bad = sorted(set(roles) - set(ROLES))
        if bad:
            raise ValueError(f"unknown role(s) {', '.join(bad)}; use {', '.join(ROLES)}")
        return await self._run(
            ops.search, parsed, user_id, limit=_bound(limit), exclude=tuple(exclude), roles=tuple(roles), sort=sort,
            context=max(0, min(context, 10)), candidates=self.settings.search_candidates, per_session=per_session,
        )

    async def delete_session(self, session_id: str) -> bool:
        """Delete a session and its messages; False when there was none."""
        return await self._write(ops.delete_session, session_id)

    async def aclose(self) -> None:
        """Stop the background checkpoints and close the connection (idempotent)."""
        await asyncio.to_thread(self.close)

    def close(self) -> None:
        """:meth:`aclose` for code without an event loop."""
        self._checkpointer.stop()
        self._worker.close()

    # =====================================================================================
    # Beyond the protocol
    # =====================================================================================

    async def recent_sessions(
        self, user_id: str | None, *, limit: int = 10, offset: int = 0, platform: str | None = None,
        exclude: Sequence[str] = (), preview_chars: int = 200,
    ) -> list[SessionSummary]:
        """Newest sessions with their first user message and last activity."""
        return await self._run(ops.recent_sessions, user_id, _bound(limit), max(0, offset), platform,
                               tuple(exclude), max(1, preview_chars))

    async def message_window(
        self, session_id: str, *, around: int | None = None, start: int = 0, limit: int = 20,
        include_system: bool = False,
    ) -> MessageWindow | None:
        """Up to ``limit`` messages of a session with their ids: around message id
        ``around``, or from position ``start`` (negative: from the end). None for an
        unknown session."""
        return await self._run(ops.message_window, session_id, around=around, start=start,
                               limit=_bound(limit, 500), include_system=include_system)

    async def stored_messages(self, session_id: str) -> list[StoredMessage]:
        """Every message of a session with its id (for exports)."""
        return await self._run(ops.iter_messages, session_id)

    async def lineage(self, session_id: str) -> list[str]:
        """The session, its ancestors and descendants (compression splits a conversation)."""
        return await self._run(ops.lineage, session_id)

    async def resolve_id(self, prefix: str, user_id: str | None = None) -> str | None:
        """The session id equal to ``prefix`` or the only one starting with it."""
        return await self._run(ops.resolve_id, prefix, user_id)

    async def import_sessions(self, items: Iterable[tuple[SessionRecord, Sequence[Message]]]) -> ImportReport:
        """Bulk import: whole sessions in one transaction, indexed in one pass. Sessions
        whose id already exists are skipped (listed in the report), so an import can be
        repeated safely. Pass batches of about 10-100k messages per call."""
        prepared = [(_record(record), [codec.coerce_message(m) for m in messages]) for record, messages in items]
        return await self._write(ops.import_sessions, prepared)

    async def count_prunable(self, cutoff: float, user_id: str | None = None) -> tuple[int, int]:
        """Sessions and messages last active before ``cutoff`` (a Unix time)."""
        return await self._run(ops.count_prunable, cutoff, user_id)

    async def prune(self, cutoff: float, user_id: str | None = None) -> int:
        """Delete sessions last active before ``cutoff``; returns how many."""
        return await self._write(ops.prune, cutoff, user_id)

    async def stats(self, *, sizes: bool = True) -> StoreStats:
        """Counts and sizes, with the full-text index's share when ``sizes``."""
        return await self._run(ops.stats, str(self.path), sizes)

    async def optimize(self) -> None:
        """Merge the full-text index into one segment (faster search, a little smaller)."""
        await self._write(ops.optimize)

    async def vacuum(self) -> None:
        """Give free pages back to the file system (after a large prune)."""
        await self._write(ops.vacuum)

    async def integrity(self) -> list[str]:
        """Problems found by SQLite's and FTS5's checks; empty when healthy."""
        return await self._run(ops.integrity)

    async def rebuild_index(self) -> None:
        """Rebuild the full-text index from the messages."""
        await self._write(ops.rebuild_index)

    def call_sync(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Run the async method ``name`` to completion from code without a running loop."""
        return asyncio.run(getattr(self, name)(*args, **kwargs))


def _record(record: SessionRecord | Mapping[str, Any]) -> SessionRecord:
    if isinstance(record, SessionRecord):
        return record
    if isinstance(record, Mapping):
        try:
            return SessionRecord.model_validate(dict(record))
        except Exception as exc:
            raise ValueError(f"not a valid session record: {exc}") from None
    raise ValueError(f"expected a SessionRecord, got {type(record).__name__}")


def _bound(limit: int, most: int = 1000) -> int:
    return max(1, min(int(limit), most))
