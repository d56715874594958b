"""Typed records the sqlite store returns beyond the kernel's own (SessionRecord,
StoredMessage, SearchHit)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from hermes_core.types import SessionRecord, StoredMessage


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SessionSummary(_Record):
    """A session with what a listing shows: its first user message and last activity."""

    record: SessionRecord
    preview: str | None = None
    last_active: float | None = None


class MessageWindow(_Record):
    """A bounded run of one session's messages, with whether more exist on each side."""

    record: SessionRecord
    messages: list[StoredMessage] = Field(default_factory=list)
    more_before: bool = False
    more_after: bool = False


class ImportReport(_Record):
    """What a bulk import did."""

    sessions: int = 0
    messages: int = 0
    skipped: list[str] = Field(default_factory=list, description="ids of sessions that already existed")
    seconds: float = 0.0


class StoreStats(_Record):
    """Sizes and counts of a store. ``fts_bytes`` is None where SQLite lacks ``dbstat``."""

    path: str
    sessions: int
    messages: int
    users: int
    db_bytes: int
    wal_bytes: int
    free_bytes: int
    fts_bytes: int | None = None
    table_bytes: dict[str, int] = Field(default_factory=dict)

    @property
    def fts_share(self) -> float | None:
        """The full-text index's share of the database file."""
        if self.fts_bytes is None or not self.db_bytes:
            return None
        return self.fts_bytes / self.db_bytes
