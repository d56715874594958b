"""Index archived entries in the session store, so ``session_search`` finds them too.

Each user has one archive session (platform ``memory-archive``); every archived entry
becomes a message in it. ``ARCHIVE.jsonl`` stays the record of truth: this is an index,
and failing to update it never loses an entry.
"""

from __future__ import annotations

import time
from typing import Any

from hermes_core.types import Message, SessionRecord

from .archive import ArchiveRecord
from .layout import FILE_NAMES, safe_user_id

ARCHIVE_PLATFORM = "memory-archive"


def archive_session_id(user_id: str) -> str:
    """The id of ``user_id``'s archive session."""
    return f"memory-archive-{safe_user_id(user_id)}"


def archive_message(record: ArchiveRecord) -> Message:
    """The session message standing for one archived entry."""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(record.archived_at))
    text = f"[memory archive] {FILE_NAMES[record.target]} entry {record.reason} on {when}:\n{record.text}"
    if record.replaced_by:
        text += f"\n(replaced by: {record.replaced_by})"
    return Message(
        role="assistant",
        content=text,
        meta={"memory_archive": {"target": record.target, "reason": record.reason}},
        created_at=record.archived_at,
    )


async def index_archived(store: Any, user_id: str, records: list[ArchiveRecord]) -> None:
    """Append ``records`` to ``user_id``'s archive session, creating it on first use."""
    if not records:
        return
    session_id = archive_session_id(user_id)
    if await store.get_session(session_id) is None:
        record = SessionRecord(
            id=session_id,
            user_id=user_id,
            platform=ARCHIVE_PLATFORM,
            title="Memory archive: entries moved out of MEMORY.md and USER.md",
        )
        try:
            await store.create_session(record)
        except Exception:
            # Another process may have created it between the two calls.
            if await store.get_session(session_id) is None:
                raise
    await store.append_messages(session_id, [archive_message(r) for r in records])
