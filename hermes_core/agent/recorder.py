"""Saving a conversation as it happens, through the configured session store.

Each message is appended the moment it joins the conversation, so a crash loses at most
the message in flight. A failing store never breaks the conversation: the first failure
is reported once and saving stops for the session.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..types import Message, SessionRecord, Usage
from .events import AgentEvent, Notice

if TYPE_CHECKING:
    from ..context import SessionInfo

log = logging.getLogger("hermes.sessions")


class SessionRecorder:
    def __init__(self, store: Any, emit: Callable[[AgentEvent], None]) -> None:
        self.store = store
        self.emit = emit
        self.failed = store is None

    async def _safely(self, what: str, coro: Any) -> Any:
        if self.failed:
            coro.close()
            return None
        try:
            return await coro
        except Exception as exc:
            self.failed = True
            log.warning("session store failed to %s: %s", what, exc)
            self.emit(Notice(f"could not save the session ({what}: {type(exc).__name__}: {exc}); continuing without saving", "warning"))
            return None

    async def start(self, session: SessionInfo) -> None:
        record = SessionRecord(
            id=session.id,
            user_id=session.user_id,
            platform=session.platform,
            chat_id=session.chat_id,
            parent_id=session.parent_id,
            model=f"{session.provider}:{session.model}",
            title=session.title,
            started_at=session.started_at,
        )
        await self._safely("create the session", self.store.create_session(record) if self.store else _none())

    async def append(self, session_id: str, messages: list[Message]) -> None:
        if messages and self.store is not None:
            await self._safely("append messages", self.store.append_messages(session_id, messages))

    async def update(self, session_id: str, **fields: Any) -> None:
        if self.store is not None:
            await self._safely("update the session", self.store.update_session(session_id, **fields))

    async def finish(self, session_id: str, reason: str, usage: Usage, ended_at: float) -> None:
        await self.update(session_id, ended_at=ended_at, end_reason=reason, usage=usage)


async def _none() -> None:
    return None
