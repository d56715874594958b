"""The ``mem0`` memory provider: mem0 learns facts from finished turns and recalls them.

mem0 is synchronous and its embedded Qdrant allows one client per folder, so one
``Memory`` object is opened on first use (in a worker thread: the import alone takes about
a second) and every call goes through it under a lock, off the event loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from hermes_core.types import MemoryContext, MemoryItem, Message, TurnRecord

from .config import Mem0Settings
from .loader import import_memory_class

T = TypeVar("T")

#: Longest query sent to the embedding endpoint; the user's message can be a whole file.
MAX_QUERY_CHARS = 2000


def mem0_user_id(user_id: str) -> str:
    """The id mem0 scopes a user's memories by: mem0 refuses ids with whitespace."""
    if user_id.strip() and not any(c.isspace() for c in user_id):
        return user_id
    digest = hashlib.sha256(user_id.encode("utf-8")).hexdigest()[:12]
    return f"{re.sub(r'[^A-Za-z0-9]+', '_', user_id).strip('_') or 'user'}-{digest}"


class Mem0MemoryProvider:
    """Facts extracted by mem0, kept in an embedded vector store, scoped per user."""

    name = "mem0"

    def __init__(self, settings: Mem0Settings, home: Path) -> None:
        self.settings = settings
        self.home = Path(home)
        self._memory: Any = None
        self._lock = threading.Lock()

    # -- mem0 access ---------------------------------------------------------------------

    def _open(self) -> Any:
        if self._memory is None:
            data = self.settings.data_dir(self.home)
            data.mkdir(parents=True, exist_ok=True)
            memory_class = import_memory_class(data)
            self._memory = memory_class.from_config(self.settings.mem0_config(self.home))
        return self._memory

    def _locked(self, fn: Callable[[Any], T]) -> T:
        with self._lock:
            return fn(self._open())

    async def _call(self, fn: Callable[[Any], T]) -> T:
        return await asyncio.to_thread(self._locked, fn)

    # -- MemoryProvider ------------------------------------------------------------------

    async def snapshot(self, ctx: MemoryContext) -> str | None:
        if self.settings.snapshot_limit <= 0:
            return None
        uid = mem0_user_id(ctx.user_id)
        found = await self._call(lambda m: m.get_all(filters={"user_id": uid}, top_k=self.settings.snapshot_limit))
        facts = [r.get("memory", "").strip() for r in found.get("results", [])]
        facts = [f for f in facts if f]
        if not facts:
            return None
        return "# What mem0 remembers about this user\n" + "\n".join(f"- {fact}" for fact in facts)

    async def recall(self, query: str, ctx: MemoryContext, *, limit: int = 5) -> list[MemoryItem]:
        query = query.strip()[:MAX_QUERY_CHARS]
        if not query or limit <= 0:
            return []
        uid = mem0_user_id(ctx.user_id)
        found = await self._call(
            lambda m: m.search(query, top_k=limit, filters={"user_id": uid}, threshold=self.settings.recall_threshold)
        )
        items = []
        for result in found.get("results", [])[:limit]:
            text = (result.get("memory") or "").strip()
            if text:
                items.append(MemoryItem(text=text, source=self.name, score=result.get("score"),
                                        metadata={"id": result.get("id"), "created_at": result.get("created_at")}))
        return items

    async def on_turn(self, turn: TurnRecord, ctx: MemoryContext) -> None:
        messages = [
            {"role": role, "content": text}
            for role, text in (("user", turn.user_message), ("assistant", turn.assistant_message))
            if text and text.strip()
        ]
        if not messages:
            return
        uid = mem0_user_id(ctx.user_id)
        metadata = {"session_id": ctx.session_id or turn.session_id, "platform": ctx.platform}
        await self._call(lambda m: m.add(messages, user_id=uid, metadata=metadata, infer=self.settings.infer))

    async def on_session_end(self, ctx: MemoryContext) -> None:
        return None

    async def on_compress(self, summary: str, dropped: Sequence[Message], ctx: MemoryContext) -> None:
        # Every turn was handed over as it finished; the dropped messages are in mem0 already.
        return None

    async def aclose(self) -> None:
        await asyncio.to_thread(self._close)

    def _close(self) -> None:
        with self._lock:
            memory, self._memory = self._memory, None
        if memory is None:
            return
        memory.close()
        client = getattr(getattr(memory, "vector_store", None), "client", None)
        if client is not None:
            # Releases the embedded Qdrant's folder lock for the next process.
            client.close()


def create_provider(settings: dict[str, Any], hermes_home: Path) -> Mem0MemoryProvider:
    """The provider factory: ``settings`` is the ``memory.mem0`` section. Cheap: mem0 is
    imported on first use, in a worker thread."""
    from .loader import mem0_installed

    if not mem0_installed():
        from hermes_core.errors import MissingDependency

        raise MissingDependency("mem0ai", plugin="mem0", extra="hermes-plugin-mem0")
    return Mem0MemoryProvider(Mem0Settings.model_validate(settings or {}), Path(hermes_home))
