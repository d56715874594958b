"""The ``builtin`` memory provider: the snapshot of both files, and recall from the archive.

It learns through the ``memory`` tool (the model decides what is worth keeping), not from
finished turns, so ``on_turn`` does nothing. :meth:`BuiltinMemoryProvider.write` is the
same write path for trusted code (tests, importers); the tool adds the policy gate and the
scanners on top of it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hermes_core.types import MemoryContext, MemoryItem, Message, TurnRecord

from .archive import ArchiveSearch
from .config import BuiltinMemorySettings
from .entries import fingerprint
from .operations import MemoryOperation
from .render import render_snapshot
from .store import MemoryStore, WriteOutcome


class BuiltinMemoryProvider:
    """MEMORY.md and USER.md per user, plus the archive of what they pushed out."""

    name = "builtin"

    def __init__(self, settings: BuiltinMemorySettings, home: Path) -> None:
        self.settings = settings
        self.store = MemoryStore(home, settings)
        self._archive = ArchiveSearch()

    async def snapshot(self, ctx: MemoryContext) -> str | None:
        entries = await asyncio.to_thread(self.store.read, ctx.user_id)
        return render_snapshot(entries, self.settings)

    async def recall(self, query: str, ctx: MemoryContext, *, limit: int = 5) -> list[MemoryItem]:
        if not self.settings.recall_archive or not query.strip() or limit <= 0:
            return []
        return await asyncio.to_thread(self._recall, query, ctx.user_id, limit)

    def _recall(self, query: str, user_id: str, limit: int) -> list[MemoryItem]:
        # Entries still in the files are already in the prompt: only the archive can add.
        current = {fingerprint(e) for entries in self.store.read(user_id).values() for e in entries}
        hits = self._archive.search(self.store.files(user_id).archive, query, limit=limit, exclude=current)
        return [
            MemoryItem(
                text=record.describe(),
                source=self.name,
                score=score,
                metadata={"target": record.target, "reason": record.reason, "archived_at": record.archived_at},
            )
            for score, record in hits
        ]

    async def write(self, ctx: MemoryContext, op: MemoryOperation) -> WriteOutcome:
        """Apply one operation for ``ctx.user_id`` (no policy gate, no scanners: trusted callers)."""
        return await asyncio.to_thread(self.store.apply, ctx.user_id, op, session_id=ctx.session_id)

    async def on_turn(self, turn: TurnRecord, ctx: MemoryContext) -> None:
        return None

    async def on_session_end(self, ctx: MemoryContext) -> None:
        return None

    async def on_compress(self, summary: str, dropped: Sequence[Message], ctx: MemoryContext) -> None:
        return None

    async def aclose(self) -> None:
        return None


def create_provider(settings: dict[str, Any], hermes_home: Path) -> BuiltinMemoryProvider:
    """The provider factory: ``settings`` is the ``memory.builtin`` section."""
    return BuiltinMemoryProvider(BuiltinMemorySettings.model_validate(settings or {}), Path(hermes_home))
