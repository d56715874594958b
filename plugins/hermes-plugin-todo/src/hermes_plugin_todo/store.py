"""The task list: typed items, replace and merge writes checked before anything changes,
and the JSON the model reads back."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from hermes_core import ToolError

Status = Literal["pending", "in_progress", "completed", "cancelled"]
STATUSES: tuple[Status, ...] = ("pending", "in_progress", "completed", "cancelled")

#: A plan, not a backlog: beyond these the list stops helping the model.
MAX_ITEMS = 100
MAX_CONTENT = 1000

_MARKERS = {"pending": "[ ]", "in_progress": "[>]", "completed": "[x]", "cancelled": "[-]"}


class TodoItem(BaseModel):
    """One task."""

    model_config = ConfigDict(extra="forbid")

    id: str
    content: str
    status: Status = "pending"


class TodoList:
    """The list kept in a session's state dict (under ``items``)."""

    def __init__(self, state: dict[str, Any]) -> None:
        self._state = state
        state.setdefault("items", [])

    @classmethod
    def of(cls, state: dict[str, Any]) -> TodoList:
        return cls(state)

    @property
    def items(self) -> list[TodoItem]:
        return self._state["items"]

    def write(self, todos: list[Any], *, merge: bool) -> None:
        """Replace the list (``merge=False``) or update items by id and append new ones.
        Every item is checked first: on any error nothing changes."""
        if not isinstance(todos, list):
            raise ToolError("todos must be a list of {id, content, status} objects")
        updates = _last_per_id([_checked(index, raw) for index, raw in enumerate(todos)])
        current = {item.id: item for item in self.items} if merge else {}
        result = list(self.items) if merge else []
        for index, fields in updates:
            existing = current.get(fields["id"])
            if existing is not None:
                changed = existing.model_copy(update={k: v for k, v in fields.items() if k != "id"})
                result[result.index(existing)] = changed
                current[changed.id] = changed
                continue
            if not fields.get("content"):
                why = "a new item" if merge else "every item when merge is false"
                raise ToolError(f"todos[{index}] (id {fields['id']!r}): content is required for {why}")
            item = TodoItem(**fields)
            result.append(item)
            current[item.id] = item
        if len(result) > MAX_ITEMS:
            raise ToolError(f"the list would hold {len(result)} items; keep it to {MAX_ITEMS} "
                            "(group small steps, drop finished ones with merge=false)")
        self._state["items"] = result

    def counts(self) -> dict[str, int]:
        counts = {"total": len(self.items)}
        counts.update({status: sum(1 for item in self.items if item.status == status) for status in STATUSES})
        return counts

    def render(self) -> str:
        """The whole list with counts, as JSON."""
        return json.dumps({"todos": [item.model_dump() for item in self.items], "summary": self.counts()},
                          ensure_ascii=False)

    def reminder(self) -> str | None:
        """The open items as text for the conversation, or None when nothing is open."""
        open_items = [item for item in self.items if item.status in ("pending", "in_progress")]
        if not open_items:
            return None
        lines = [f"- {_MARKERS[item.status]} {item.id}. {item.content} ({item.status})" for item in open_items]
        return "[Your task list, kept through context compression]\n" + "\n".join(lines)


def _checked(index: int, raw: Any) -> tuple[int, dict[str, Any]]:
    if not isinstance(raw, dict):
        raise ToolError(f"todos[{index}] must be an object with id, content and status")
    item_id = str(raw.get("id", "")).strip()
    if not item_id:
        raise ToolError(f"todos[{index}]: id is missing or empty")
    fields: dict[str, Any] = {"id": item_id}
    if raw.get("content") is not None:
        content = str(raw["content"]).strip()
        if len(content) > MAX_CONTENT:
            raise ToolError(f"todos[{index}] (id {item_id!r}): content is {len(content):,} characters; "
                            f"keep it under {MAX_CONTENT} (a short task description)")
        if content:
            fields["content"] = content
    if raw.get("status") is not None:
        status = str(raw["status"]).strip().lower()
        if status not in STATUSES:
            raise ToolError(f"todos[{index}] (id {item_id!r}): status must be one of {', '.join(STATUSES)}")
        fields["status"] = status
    return index, fields


def _last_per_id(updates: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    """One update per id: a later entry for the same id wins, in the later one's place."""
    last = {fields["id"]: position for position, (_index, fields) in enumerate(updates)}
    return [update for position, update in enumerate(updates) if last[update[1]["id"]] == position]
