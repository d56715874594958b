"""The memory fan-out: several memory providers at once, none able to stall a turn.

One :class:`MemoryFanout` per host holds the active providers (``memory.providers`` in
config). Before a turn it asks every provider for recall in parallel, each with a timeout
and behind a circuit breaker (a provider failing ``breaker_failures`` times in a row is
skipped for ``breaker_cooldown`` seconds), merges what comes back under a token budget and
hands it to the loop for the user turn. After a turn it gives the turn to every provider
in the background. It tells providers when sessions end and when conversations are
compressed. Everything carries a :class:`~hermes_core.types.MemoryContext` naming the user.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..types import MemoryContext, MemoryItem, Message, PromptSection, TurnRecord

if TYPE_CHECKING:
    from ..context import SessionInfo
    from ..host import Host

log = logging.getLogger("hermes.memory")


@dataclass
class _Breaker:
    failures: int = 0
    open_until: float = 0.0

    def allows(self, now: float) -> bool:
        return now >= self.open_until

    def success(self) -> None:
        self.failures = 0
        self.open_until = 0.0

    def failure(self, now: float, threshold: int, cooldown: float) -> bool:
        """Record a failure; True if this one opened the breaker."""
        self.failures += 1
        if self.failures >= threshold:
            self.open_until = now + cooldown
            self.failures = 0
            return True
        return False


def memory_context(session: SessionInfo) -> MemoryContext:
    return MemoryContext(user_id=session.user_id, session_id=session.id, platform=session.platform, origin=session.origin)


def _estimate_tokens(text: str) -> int:
    return (len(text) + 3) // 4


class MemoryFanout:
    """All active memory providers of one host."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self._providers: dict[str, Any] | None = None
        self._breakers: dict[str, _Breaker] = {}
        self._background: set[asyncio.Task[None]] = set()

    # -- providers ----------------------------------------------------------------------

    @property
    def providers(self) -> dict[str, Any]:
        if self._providers is None:
            self._providers = {}
            specs = self.host.memory_providers()
            for name in self.host.config.memory.providers:
                spec = specs.get(name)
                if spec is None:
                    continue  # hermes doctor reports configured-but-missing providers
                if not self.host.availability(spec).available:
                    continue
                try:
                    self._providers[name] = spec.factory(self.host.section_options("memory", name), self.host.home)
                except Exception as exc:
                    self.host._record(spec.plugin or name, "runtime", "hook-error",
                                      f"memory provider '{name}' failed to start: {type(exc).__name__}: {exc}")
        return self._providers

    def writes_allowed(self, origin: str) -> bool:
        """Policy for memory writes by origin: subagents and scheduled jobs need opting in."""
        cfg = self.host.config.memory
        if origin == "subagent":
            return cfg.allow_subagent_writes
        if origin == "cron":
            return cfg.allow_cron_writes
        return True

    async def _guarded(self, name: str, coro: Any, timeout: float | None) -> Any:
        """Await a provider call within the breaker and timeout; None on any failure."""
        cfg = self.host.config.memory
        breaker = self._breakers.setdefault(name, _Breaker())
        now = time.monotonic()
        if not breaker.allows(now):
            coro.close()
            return None
        try:
            result = await (asyncio.wait_for(coro, timeout) if timeout else coro)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            reason = "timed out" if isinstance(exc, TimeoutError) else f"{type(exc).__name__}: {exc}"
            opened = breaker.failure(time.monotonic(), cfg.breaker_failures, cfg.breaker_cooldown)
            log.warning("memory provider %s %s%s", name, reason, " (breaker open)" if opened else "")
            return None
        breaker.success()
        return result

    # -- session start: frozen snapshot -------------------------------------------------

    async def snapshot_sections(self, session: SessionInfo) -> list[PromptSection]:
        ctx = memory_context(session)
        names = list(self.providers)
        results = await asyncio.gather(
            *(self._guarded(n, self.providers[n].snapshot(ctx), self.host.config.memory.recall_timeout * 2) for n in names)
        )
        sections = []
        for name, text in zip(names, results):
            if isinstance(text, str) and text.strip():
                safe = self.host.guard_text(text, "memory", source=f"memory:{name}", session=session)
                sections.append(PromptSection(name=f"memory:{name}", text=safe, order=50, source=name))
        return sections

    # -- before a turn: recall ----------------------------------------------------------

    async def recall(self, session: SessionInfo, query: str) -> str | None:
        cfg = self.host.config.memory
        if not self.providers or cfg.recall_budget_tokens <= 0 or not query.strip():
            return None
        ctx = memory_context(session)
        names = list(self.providers)
        results = await asyncio.gather(
            *(self._guarded(n, self.providers[n].recall(query, ctx), cfg.recall_timeout) for n in names)
        )
        items: list[tuple[float, int, MemoryItem]] = []
        for order, (name, found) in enumerate(zip(names, results)):
            for rank, item in enumerate(found or []):
                if not isinstance(item, MemoryItem) or not item.text.strip():
                    continue
                item = item if item.source else item.model_copy(update={"source": name})
                score = item.score if item.score is not None else 1.0 / (rank + 1)
                items.append((-score, order, item))
        items.sort(key=lambda entry: (entry[0], entry[1]))
        budget = cfg.recall_budget_tokens
        seen: set[str] = set()
        lines = []
        for _, _, item in items:
            key = " ".join(item.text.lower().split())
            if key in seen:
                continue
            cost = _estimate_tokens(item.text) + 4
            if cost > budget:
                continue
            budget -= cost
            seen.add(key)
            lines.append(f"- {item.text.strip()} [{item.source}]")
        if not lines:
            return None
        block = "\n".join(lines)
        return self.host.guard_text(block, "memory", source="memory recall", session=session)

    # -- after a turn -------------------------------------------------------------------

    def after_turn(self, session: SessionInfo, turn: TurnRecord) -> None:
        if not self.providers or not self.writes_allowed(session.origin):
            return
        ctx = memory_context(session)
        for name, provider in self.providers.items():
            task = asyncio.ensure_future(self._guarded(name, provider.on_turn(turn, ctx), None))
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait for background hand-offs (at session end and shutdown)."""
        if self._background:
            await asyncio.wait(set(self._background), timeout=timeout)

    async def session_end(self, session: SessionInfo) -> None:
        await self.drain()
        ctx = memory_context(session)
        await asyncio.gather(*(self._guarded(n, p.on_session_end(ctx), 10.0) for n, p in self.providers.items()))

    async def compressed(self, session: SessionInfo, summary: str, dropped: Sequence[Message]) -> None:
        ctx = memory_context(session)
        await asyncio.gather(
            *(self._guarded(n, p.on_compress(summary, list(dropped), ctx), 10.0) for n, p in self.providers.items())
        )

    async def aclose(self) -> None:
        await self.drain()
        for name, provider in (self._providers or {}).items():
            await self._guarded(name, provider.aclose(), 10.0)
        self._providers = None
