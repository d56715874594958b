"""Messages and sessions to and from table rows.

JSON columns are compact (no spaces, UTF-8 kept as is) and NULL when empty, so a plain
message costs nothing for the fields it does not use. Tool call arguments are kept
byte for byte as the model wrote them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from hermes_core.types import Message, SessionRecord, ToolCall, Usage

#: Column order of a message row as written by :func:`message_values` (after session_pk, seq).
MESSAGE_COLUMNS = ("role", "created_at", "tool_call_id", "name", "meta", "content", "tool_calls", "reasoning")
#: Columns read back to build a :class:`Message` (id first).
MESSAGE_SELECT = "id, " + ", ".join(MESSAGE_COLUMNS)

SESSION_COLUMNS = (
    "id", "user_id", "platform", "chat_id", "parent_id", "model", "title", "started_at", "ended_at",
    "end_reason", "prompt_tokens", "completion_tokens", "cached_tokens", "requests", "cost", "message_count",
)
SESSION_SELECT = ", ".join(SESSION_COLUMNS)

_COMPACT = {"separators": (",", ":"), "ensure_ascii": False}


def _text(value: str | None) -> str | None:
    """Text SQLite can store: lone surrogates (from undecodable bytes) become U+FFFD
    instead of making the whole append fail."""
    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value


def _dumps(value: Any) -> str:
    # default=str: an odd value in meta is saved as its text rather than losing the message.
    return _text(json.dumps(value, default=str, **_COMPACT))  # type: ignore[return-value]


def coerce_message(value: Message | Mapping[str, Any]) -> Message:
    """Accept a Message or a dict in its shape; raise ValueError saying what is wrong."""
    if isinstance(value, Message):
        return value
    if isinstance(value, Mapping):
        try:
            return Message.model_validate(dict(value))
        except Exception as exc:
            raise ValueError(f"not a valid message: {exc}") from None
    raise ValueError(f"expected a Message or a dict, got {type(value).__name__}")


def message_values(message: Message) -> tuple[Any, ...]:
    """The row values of ``message`` in :data:`MESSAGE_COLUMNS` order."""
    calls = None
    if message.tool_calls:
        calls = _dumps([{"id": c.id, "name": c.name, "arguments": c.arguments} for c in message.tool_calls])
    return (
        message.role,
        float(message.created_at),
        _text(message.tool_call_id),
        _text(message.name),
        _dumps(message.meta) if message.meta else None,
        _text(message.content),
        calls,
        _text(message.reasoning),
    )


def row_message(row: Sequence[Any], offset: int = 1) -> Message:
    """A :class:`Message` from a row laid out as :data:`MESSAGE_SELECT` (``offset`` skips the id)."""
    role, created_at, tool_call_id, name, meta, content, tool_calls, reasoning = row[offset : offset + 8]
    calls = [ToolCall(id=c["id"], name=c["name"], arguments=c["arguments"]) for c in json.loads(tool_calls)] if tool_calls else []
    return Message(
        role=role,
        content=content,
        tool_calls=calls,
        tool_call_id=tool_call_id,
        name=name,
        reasoning=reasoning,
        meta=json.loads(meta) if meta else {},
        created_at=created_at,
    )


def session_values(record: SessionRecord) -> tuple[Any, ...]:
    """Row values for a new session (``message_count`` starts at 0 and is kept by triggers)."""
    usage = record.usage
    return (
        _text(record.id), _text(record.user_id), _text(record.platform), _text(record.chat_id),
        _text(record.parent_id), _text(record.model), _text(record.title), float(record.started_at),
        record.ended_at, _text(record.end_reason), usage.prompt_tokens, usage.completion_tokens,
        usage.cached_tokens, usage.requests, usage.cost,
    )


def row_session(row: Sequence[Any] | sqlite3.Row, offset: int = 0) -> SessionRecord:
    """A :class:`SessionRecord` from a row laid out as :data:`SESSION_SELECT`."""
    (sid, user_id, platform, chat_id, parent_id, model, title, started_at, ended_at, end_reason,
     prompt, completion, cached, requests, cost, count) = row[offset : offset + 16]
    return SessionRecord(
        id=sid, user_id=user_id, platform=platform, chat_id=chat_id, parent_id=parent_id, model=model,
        title=title, started_at=started_at, ended_at=ended_at, end_reason=end_reason,
        usage=Usage(prompt_tokens=prompt, completion_tokens=completion, cached_tokens=cached,
                    requests=requests, cost=cost),
        message_count=count,
    )


def tools_text(tool_calls: str | None) -> str:
    """The indexed text of a tool_calls column, as the index's triggers build it:
    ``name arguments`` per call, JSON escapes for newlines and tabs turned into spaces."""
    if not tool_calls:
        return ""
    parts = []
    for call in json.loads(tool_calls):
        arguments = str(call.get("arguments", "")).replace("\\n", " ").replace("\\t", " ").replace("\\r", " ")
        parts.append(f"{call.get('name', '')} {arguments}")
    return "\n".join(parts)


#: Fields ``update_session`` accepts, and the columns they map to.
UPDATABLE = ("title", "ended_at", "end_reason", "model", "chat_id", "parent_id", "platform", "usage", "started_at")


def update_columns(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Column -> value for ``update_session(**fields)``; ValueError names unknown fields."""
    unknown = sorted(set(fields) - set(UPDATABLE))
    if unknown:
        raise ValueError(f"cannot update session field(s) {', '.join(unknown)}; allowed: {', '.join(UPDATABLE)}")
    columns: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "usage":
            usage = value if isinstance(value, Usage) else Usage.model_validate(value or {})
            columns.update(prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens,
                           cached_tokens=usage.cached_tokens, requests=usage.requests, cost=usage.cost)
        elif key in ("ended_at", "started_at"):
            columns[key] = None if value is None else float(value)
            if key == "started_at" and value is None:
                raise ValueError("started_at cannot be cleared")
        else:
            if value is not None and not isinstance(value, str):
                raise ValueError(f"session field {key} must be text, got {type(value).__name__}")
            columns[key] = _text(value)
    if "platform" in columns and columns["platform"] is None:
        raise ValueError("platform cannot be cleared")
    return columns
