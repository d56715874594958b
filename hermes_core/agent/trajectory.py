"""Trajectories: a conversation saved as ShareGPT-style JSONL, secrets redacted.

One JSON object per line: ``{"conversations": [{"from": ..., "value": ...}], ...}`` with
roles ``system``, ``human``, ``gpt`` and ``tool``. Tool calls are written into the ``gpt``
turn as ``<tool_call>{"name": ..., "arguments": {...}}</tool_call>`` and results as
``<tool_response>{...}</tool_response>`` (the Hermes function-calling convention), so the
files can be used for fine-tuning as they are.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..types import Message

_ROLE = {"system": "system", "user": "human", "assistant": "gpt", "tool": "tool"}


def to_sharegpt(messages: list[Message], redact: Callable[[str], str]) -> list[dict[str, str]]:
    turns: list[dict[str, str]] = []
    for message in messages:
        value = message.content or ""
        if message.role == "assistant" and message.tool_calls:
            calls = []
            for call in message.tool_calls:
                try:
                    arguments: Any = json.loads(call.arguments or "{}")
                except ValueError:
                    arguments = call.arguments
                calls.append(f"<tool_call>\n{json.dumps({'name': call.name, 'arguments': arguments}, ensure_ascii=False)}\n</tool_call>")
            value = "\n".join(([value] if value else []) + calls)
        elif message.role == "tool":
            payload = {"tool_call_id": message.tool_call_id, "name": message.name, "content": value}
            value = f"<tool_response>\n{json.dumps(payload, ensure_ascii=False)}\n</tool_response>"
        if message.role == "tool" and turns and turns[-1]["from"] == "tool":
            turns[-1]["value"] += "\n" + redact(value)  # parallel results share one tool turn
            continue
        turns.append({"from": _ROLE[message.role], "value": redact(value)})
    return turns


def write_trajectory(path: Path, messages: list[Message], *, redact: Callable[[str], str], model: str,
                     session_id: str, completed: bool) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "conversations": to_sharegpt(messages, redact),
        "model": model,
        "session_id": session_id,
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "completed": completed,
    }
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
