"""The ``session_search`` tool: search and read the user's past conversations.

Its arguments follow Hermes Agent's tool of the same name, and like it the calling shape
is inferred from what is given (there is no mode argument):

* ``query``: keyword search ranked by relevance: each hit with a snippet and the
  messages around it (``role_filter``, ``sort`` and ``limit`` refine it);
* ``session_id`` (optionally ``around_message_id``): a bounded window of one session's
  messages, to read a hit in full or page through a conversation;
* nothing: the most recent sessions with their titles, dates and first messages.

Everything is scoped to the user of the current session, and the current conversation
(with the sessions it was compressed from) is left out of search and listings. It works
with any session store: the sqlite store's extra methods are used when present, the
plain protocol otherwise.
"""

from __future__ import annotations

import json
import time
from typing import Any

from hermes_core.errors import ToolError
from hermes_core.types import Message

ROLES = ("user", "assistant", "tool")
SORTS = ("relevance", "newest", "oldest")
DEFAULT_LIMITS = {"search": 5, "recent": 10, "session": 20}
MAX_LIMITS = {"search": 20, "recent": 50, "session": 50}
#: Characters kept per message: hits and context, then messages read in a session window.
SNIPPET_CONTEXT_CHARS = 400
WINDOW_CHARS = 1500

DESCRIPTION = (
    "Search past conversations with this user. query: keyword search (all words must match; \"phrase\", "
    "prefix*, OR), best hits with snippets, message_id and nearby messages. session_id: read a session, "
    "around_message_id centres on a hit. No arguments: recent sessions."
)

PARAMETERS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "query": {
            "type": "string",
            "description": "keywords",
        },
        "session_id": {
            "type": "string",
            "description": "session to read",
        },
        "around_message_id": {
            "type": "integer",
            "description": "centre on this message",
        },
        "role_filter": {
            "type": "string",
            "description": "e.g. user,assistant",
        },
        "sort": {
            "type": "string",
            "enum": list(SORTS),
            "description": "search order",
        },
        "limit": {
            "type": "integer",
            "minimum": 1,
            "maximum": 50,
            "description": "results (hits 5, sessions 10, messages 20 by default)",
        },
    },
    "additionalProperties": False,
}


async def session_search(args: dict[str, Any], ctx: Any) -> str:
    """The tool handler: picks the shape from the arguments and returns JSON text."""
    store = ctx.host.session_store()
    if store is None:
        reason = ctx.host.session_store_error or "no session store is installed"
        raise ToolError(
            f"past sessions cannot be searched: {reason}. Install hermes-plugin-sessions, or set "
            "sessions.store to an installed store (hermes config set sessions.store sqlite)."
        )
    user_id = ctx.session.user_id
    roles = _roles(args.get("role_filter"))
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        raise ToolError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    query = (args.get("query") or "").strip()
    session_id = (args.get("session_id") or "").strip()
    if session_id:
        payload = await _read_session(store, user_id, session_id, args.get("around_message_id"),
                                      _limit(args, "session"), roles)
    elif query:
        excluded = await _lineage(store, ctx.session.id)
        payload = await _search(store, user_id, query, excluded, roles, sort, _limit(args, "search"))
    else:
        excluded = await _lineage(store, ctx.session.id)
        payload = await _recent(store, user_id, excluded, _limit(args, "recent"))
    return json.dumps(payload, ensure_ascii=False)


# -- the three shapes -------------------------------------------------------------------


async def _search(store: Any, user_id: str, query: str, excluded: list[str], roles: list[str], sort: str,
                  limit: int) -> dict[str, Any]:
    extended = hasattr(store, "recent_sessions")
    if extended:
        hits = await store.search(query, user_id, limit=limit, exclude=excluded, roles=roles, sort=sort,
                                  context=1, per_session=2)
    else:  # a store with only the protocol: filter here
        hits = await store.search(query, user_id, limit=limit + 10)
        hits = [h for h in hits if h.session_id not in excluded and (not roles or h.role in roles)][:limit]
    results = []
    for hit in hits:
        results.append({
            "session_id": hit.session_id,
            "title": hit.session_title,
            "when": _when(hit.created_at),
            "message_id": hit.message_id,
            "role": hit.role,
            "snippet": hit.snippet,
            "context": [
                {**_message(m, SNIPPET_CONTEXT_CHARS), **({"match": True} if _is_hit(m, hit) else {})}
                for m in hit.context
            ],
        })
    payload: dict[str, Any] = {"mode": "search", "query": query, "count": len(results), "results": results}
    if not results:
        payload["note"] = ("No matches in past sessions. Try fewer or different words, a prefix (deploy*), "
                           "or call with no arguments to see recent sessions.")
    else:
        payload["hint"] = "Read more of a session with session_id and around_message_id."
    return payload


async def _recent(store: Any, user_id: str, excluded: list[str], limit: int) -> dict[str, Any]:
    sessions = []
    if hasattr(store, "recent_sessions"):
        for summary in await store.recent_sessions(user_id, limit=limit, exclude=excluded):
            record = summary.record
            sessions.append(_session_entry(record, summary.preview, summary.last_active))
    else:
        records = await store.list_sessions(user_id, limit=limit + len(excluded))
        for record in [r for r in records if r.id not in excluded][:limit]:
            sessions.append(_session_entry(record, None, record.ended_at))
    payload: dict[str, Any] = {"mode": "recent", "count": len(sessions), "sessions": sessions}
    payload["hint"] = ("Read one with session_id, or search with query." if sessions
                       else "No earlier sessions are saved for this user.")
    return payload


async def _read_session(store: Any, user_id: str, session_id: str, around: Any, limit: int,
                        roles: list[str]) -> dict[str, Any]:
    record = await store.get_session(session_id)
    if record is None or record.user_id != user_id:
        raise ToolError(f"no saved session {session_id!r} for this user; search or list sessions to find one")
    if around is not None:
        try:
            around = int(around)
        except (TypeError, ValueError):
            raise ToolError(f"around_message_id must be a message id (a number), not {around!r}") from None
    if hasattr(store, "message_window"):
        try:
            window = await store.message_window(session_id, around=around, limit=limit)
        except LookupError as exc:
            raise ToolError(f"{exc}; use a message_id from a search result of this session") from None
        items = [(s.id, s.message) for s in window.messages]
        more_before, more_after = window.more_before, window.more_after
    else:  # protocol only: positions stand in for message ids
        messages = [m for m in await store.get_messages(session_id) if m.role != "system"]
        centre = around if around is not None else limit // 2
        first = max(0, min(centre - limit // 2, len(messages) - limit))
        items = list(enumerate(messages))[first : first + limit]
        more_before, more_after = first > 0, first + limit < len(messages)
    shown = [{"id": mid, **_message(m, WINDOW_CHARS)} for mid, m in items if not roles or m.role in roles]
    payload: dict[str, Any] = {
        "mode": "session",
        **_session_entry(record, None, None),
        "messages": shown,
        "more_before": more_before,
        "more_after": more_after,
    }
    if more_before or more_after:
        payload["hint"] = "Page with around_message_id set to the first or last id shown."
    return payload


# -- helpers ----------------------------------------------------------------------------


async def _lineage(store: Any, session_id: str) -> list[str]:
    if hasattr(store, "lineage"):
        return await store.lineage(session_id)
    return [session_id]


def _roles(value: Any) -> list[str]:
    if not value:
        return []
    roles = [part.strip().lower() for part in str(value).split(",") if part.strip()]
    bad = [r for r in roles if r not in ROLES]
    if bad:
        raise ToolError(f"role_filter takes {', '.join(ROLES)} (comma-separated), not {', '.join(bad)}")
    return roles


def _limit(args: dict[str, Any], mode: str) -> int:
    value = args.get("limit")
    if value is None:
        return DEFAULT_LIMITS[mode]
    return max(1, min(int(value), MAX_LIMITS[mode]))


def _when(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp))


def _clip(text: str | None, limit: int) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[:limit] + f" …[+{len(text) - limit} chars]"


def _message(message: Message, limit: int) -> dict[str, Any]:
    out: dict[str, Any] = {"role": message.role}
    if message.role == "tool" and message.name:
        out["tool"] = message.name
    if message.content:
        out["content"] = _clip(message.content, limit)
    if message.tool_calls:
        out["tool_calls"] = [{"name": c.name, "arguments": _clip(c.arguments, limit // 2)} for c in message.tool_calls]
    out["when"] = _when(message.created_at)
    return out


def _is_hit(message: Message, hit: Any) -> bool:
    return message.role == hit.role and hit.created_at is not None and abs(message.created_at - hit.created_at) < 1e-6


def _session_entry(record: Any, preview: str | None, last_active: float | None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "session_id": record.id,
        "title": record.title,
        "platform": record.platform,
        "started": _when(record.started_at),
    }
    if last_active is not None:
        entry["last_active"] = _when(last_active)
    entry["messages"] = record.message_count
    if preview:
        entry["preview"] = _clip(" ".join(preview.split()), 200)
    if record.parent_id:
        entry["continues"] = record.parent_id
    return entry
