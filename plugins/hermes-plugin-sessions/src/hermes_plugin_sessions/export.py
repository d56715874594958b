"""Sessions as JSON Lines (for backups and ``hermes sessions import``) and ShareGPT.

* ``jsonl``: one line per session: ``{"session": {...}, "messages": [...]}`` with every
  field of the kernel's records, so an export imports back unchanged.
* ``sharegpt``: one line per session: ``{"id", "conversations": [{"from", "value"}]}``
  with ``system``, ``human``, ``gpt`` and ``tool`` turns; tool calls are written into the
  ``gpt`` turn as ``<tool_call>{"name", "arguments"}</tool_call>`` blocks and results as
  ``<tool_response>`` blocks, the layout function-calling datasets use.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from hermes_core.types import Message, SessionRecord

FORMATS = ("jsonl", "sharegpt")


def jsonl_line(record: SessionRecord, messages: Iterable[Message]) -> str:
    """One session as a JSON Lines record."""
    return json.dumps(
        {"session": record.model_dump(mode="json"), "messages": [m.model_dump(mode="json") for m in messages]},
        ensure_ascii=False, separators=(",", ":"),
    )


def sharegpt_line(record: SessionRecord, messages: Iterable[Message]) -> str:
    """One session as a ShareGPT conversation."""
    turns: list[dict[str, str]] = []
    for message in messages:
        if message.role == "system":
            turns.append({"from": "system", "value": message.content or ""})
        elif message.role == "user":
            turns.append({"from": "human", "value": message.content or ""})
        elif message.role == "assistant":
            parts = [message.content] if message.content else []
            for call in message.tool_calls:
                try:
                    arguments: Any = json.loads(call.arguments or "{}")
                except ValueError:
                    arguments = call.arguments
                payload = json.dumps({"name": call.name, "arguments": arguments}, ensure_ascii=False)
                parts.append(f"<tool_call>\n{payload}\n</tool_call>")
            turns.append({"from": "gpt", "value": "\n".join(parts)})
        else:
            payload = json.dumps({"tool_call_id": message.tool_call_id, "name": message.name,
                                  "content": message.content or ""}, ensure_ascii=False)
            turns.append({"from": "tool", "value": f"<tool_response>\n{payload}\n</tool_response>"})
    return json.dumps({"id": record.id, "title": record.title, "conversations": turns}, ensure_ascii=False)


def render(fmt: str, record: SessionRecord, messages: Iterable[Message]) -> str:
    """One line of ``fmt`` for a session."""
    if fmt == "jsonl":
        return jsonl_line(record, messages)
    if fmt == "sharegpt":
        return sharegpt_line(record, messages)
    raise ValueError(f"unknown export format {fmt!r}; use {', '.join(FORMATS)}")


def read_jsonl(lines: Iterable[str], source: str = "input") -> Iterator[tuple[SessionRecord, list[Message]]]:
    """Sessions from lines written by :func:`jsonl_line`; ValueError names the bad line."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            record = SessionRecord.model_validate(data["session"])
            messages = [Message.model_validate(m) for m in data.get("messages", [])]
        except (ValueError, KeyError, TypeError) as exc:
            reason = str(exc).splitlines()[0]
            raise ValueError(f"{source} line {number}: not a session exported as jsonl ({reason})") from None
        yield record, messages
