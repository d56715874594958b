"""Reading and changing one user's memory files, safely with several processes at once.

Every change is a read-modify-write under the user's lock file: read the file, plan the
operation (:mod:`.operations`), append what was pushed out to the archive, then replace
the file atomically. The archive is written first, so a crash in between leaves an entry
in both places, never in neither. Readers take no lock: files are only ever replaced
whole, so a reader sees the old or the new version.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from .archive import ArchiveRecord
from .config import BuiltinMemorySettings
from .entries import parse, render, used_chars
from .layout import FILE_NAMES, UserFiles, user_files
from hermes_core.files import atomic_write_text, file_lock

from .locking import append_lines, read_text
from .operations import MemoryOperation, Refusal, plan, usage_label


class WriteOutcome(BaseModel):
    """What a write did (or why it did nothing), for the tool to report."""

    ok: bool
    kind: Literal["saved", "unchanged", "invalid", "duplicate", "full", "too_long", "not_found", "ambiguous"]
    action: str
    target: str
    message: str
    used: int
    limit: int
    entry_count: int
    current_entries: list[str] | None = None
    archived: list[ArchiveRecord] = Field(default_factory=list)

    @property
    def usage(self) -> str:
        return usage_label(self.used, self.limit)

    def to_result(self) -> dict[str, object]:
        """The JSON object the ``memory`` tool returns."""
        out: dict[str, object] = {
            "success": self.ok,
            "target": self.target,
            "action": self.action,
            "message": self.message,
            "usage": self.usage,
            "entries": self.entry_count,
        }
        if self.archived:
            out["archived"] = [record.text for record in self.archived]
        if self.current_entries is not None:
            out["current_entries"] = self.current_entries
        return out


class MemoryStore:
    """The built-in memory files of every user under one ``$HERMES_HOME``."""

    def __init__(self, home: Path, settings: BuiltinMemorySettings | None = None) -> None:
        self.home = Path(home)
        self.settings = settings or BuiltinMemorySettings()

    def files(self, user_id: str) -> UserFiles:
        return user_files(self.home, user_id)

    def read(self, user_id: str) -> dict[str, list[str]]:
        """The entries of both files, by target (``memory``, ``user``)."""
        files = self.files(user_id)
        return {target: parse(read_text(files.file(target))) for target in FILE_NAMES}

    def apply(self, user_id: str, op: MemoryOperation, *, session_id: str | None = None) -> WriteOutcome:
        """Carry out ``op`` for ``user_id`` under the lock; never raises for a refusal."""
        files = self.files(user_id)
        path = files.file(op.target)
        limit = self.settings.limit(op.target)
        with file_lock(files.lock):
            entries = parse(read_text(path))
            try:
                result = plan(op, entries, limit=limit, when_full=self.settings.when_full)
            except Refusal as refusal:
                return WriteOutcome(
                    ok=False, kind=refusal.kind, action=op.action, target=op.target, message=refusal.message,
                    used=used_chars(entries), limit=limit, entry_count=len(entries),
                    current_entries=list(entries) if refusal.show_entries else None,
                )
            if not result.changed:
                return WriteOutcome(ok=True, kind="unchanged", action=op.action, target=op.target,
                                    message=result.message, used=used_chars(entries), limit=limit,
                                    entry_count=len(entries))
            now = time.time()
            archived = [
                ArchiveRecord(text=p.text, target=op.target, reason=p.reason, replaced_by=p.replaced_by,
                              archived_at=now, session_id=session_id)
                for p in result.pushed_out
            ]
            append_lines(files.archive, [record.model_dump_json(exclude_none=True) for record in archived])
            atomic_write_text(path, render(result.entries))
        return WriteOutcome(
            ok=True, kind="saved", action=op.action, target=op.target, message=result.message,
            used=used_chars(result.entries), limit=limit, entry_count=len(result.entries), archived=archived,
        )
