"""Conformance suite for memory providers.

Subclass :class:`MemoryProviderConformance` and implement ``make_provider(host, tmp_path)``.
Providers that learn from finished turns need nothing more; a provider that stores facts
another way (the built-in one learns through its ``memory`` tool) overrides
``remember(provider, ctx, fact)``. Every provider must recall what it stored, keep users
apart, bound its answers, answer odd queries with a list, keep what it stored for the next
provider made on the same storage, survive concurrent use, and shut down cleanly (closing
twice is safe).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hermes_core.types import MemoryContext, MemoryItem, Message, TurnRecord


class MemoryProviderConformance:
    #: Words from the fact that a recall must return.
    fact = "The user's favourite colour is teal and they deploy with Ansible."
    query = "what colour does the user like"
    expected_word = "teal"

    def make_provider(self, host: Any, tmp_path: Path) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    async def remember(self, provider: Any, ctx: MemoryContext, fact: str) -> None:
        """Store ``fact`` for ``ctx.user_id`` (default: hand the provider a finished turn)."""
        turn = TurnRecord(
            session_id=ctx.session_id or "s",
            user_id=ctx.user_id,
            user_message=f"Please remember this: {fact}",
            assistant_message="Noted, I will remember that.",
            messages=[Message(role="user", content=f"Please remember this: {fact}"),
                      Message(role="assistant", content="Noted, I will remember that.")],
        )
        await provider.on_turn(turn, ctx)

    async def settle(self, provider: Any) -> None:
        """Wait for background work after ``remember`` (override for async backends)."""
        await asyncio.sleep(0)

    @pytest.fixture
    def provider(self, host: Any, tmp_path: Path) -> Iterator[Any]:
        provider = self.make_provider(host, tmp_path)
        yield provider
        # Closed again even when the test closed it (or failed before it could): a store
        # left open would hold its files into the next test. Closing twice must be safe.
        asyncio.run(provider.aclose())

    @staticmethod
    def ctx(user: str = "alice", session: str = "session-1") -> MemoryContext:
        return MemoryContext(user_id=user, session_id=session, platform="cli")

    async def _recall_text(self, provider: Any, ctx: MemoryContext, query: str, limit: int = 5) -> str:
        items = await provider.recall(query, ctx, limit=limit)
        assert isinstance(items, list) and all(isinstance(i, MemoryItem) for i in items)
        snapshot = await provider.snapshot(ctx)
        return " ".join(i.text for i in items) + " " + (snapshot or "")

    async def test_has_a_name(self, provider: Any) -> None:
        assert isinstance(provider.name, str) and provider.name
        await provider.aclose()

    async def test_snapshot_is_text_or_none(self, provider: Any) -> None:
        value = await provider.snapshot(self.ctx())
        assert value is None or isinstance(value, str)
        await provider.aclose()

    async def test_recalls_what_it_stored(self, provider: Any) -> None:
        ctx = self.ctx()
        await self.remember(provider, ctx, self.fact)
        await self.settle(provider)
        text = await self._recall_text(provider, self.ctx(session="session-2"), self.query)
        assert self.expected_word in text.lower()
        await provider.aclose()

    async def test_users_are_kept_apart(self, provider: Any) -> None:
        await self.remember(provider, self.ctx("alice"), self.fact)
        await self.settle(provider)
        text = await self._recall_text(provider, self.ctx("bob", "bob-session"), self.query)
        assert self.expected_word not in text.lower()
        await provider.aclose()

    async def test_empty_query_and_limit(self, provider: Any) -> None:
        ctx = self.ctx()
        assert isinstance(await provider.recall("", ctx), list)
        for n in range(8):
            await self.remember(provider, ctx, f"Fact number {n}: the build server {n} uses teal lights.")
        await self.settle(provider)
        assert len(await provider.recall("teal lights build server", ctx, limit=3)) <= 3
        await provider.aclose()

    async def test_concurrent_recalls(self, provider: Any) -> None:
        ctx = self.ctx()
        await self.remember(provider, ctx, self.fact)
        await self.settle(provider)
        results = await asyncio.gather(*(provider.recall(self.query, ctx) for _ in range(10)))
        assert all(isinstance(r, list) for r in results)
        await provider.aclose()

    async def test_odd_queries_return_lists(self, provider: Any) -> None:
        ctx = self.ctx()
        await self.remember(provider, ctx, self.fact)
        await self.settle(provider)
        for query in ("?!", "   ", "teal " * 400, "ünïcode ✓ 日本語 teal", "'; DROP TABLE memories; --"):
            items = await provider.recall(query, ctx, limit=3)
            assert isinstance(items, list) and len(items) <= 3, query
        await provider.aclose()

    async def test_survives_reopening(self, host: Any, tmp_path: Path) -> None:
        """What a provider stored is still there for a new provider on the same storage
        (the next process, the next day)."""
        first = self.make_provider(host, tmp_path)
        await self.remember(first, self.ctx(), self.fact)
        await self.settle(first)
        await first.aclose()
        second = self.make_provider(host, tmp_path)
        text = await self._recall_text(second, self.ctx(session="session-3"), self.query)
        assert self.expected_word in text.lower()
        await second.aclose()

    async def test_lifecycle_calls(self, provider: Any) -> None:
        ctx = self.ctx()
        await provider.on_compress("summary of earlier messages", [Message(role="user", content="old")], ctx)
        await provider.on_session_end(ctx)
        await provider.aclose()
