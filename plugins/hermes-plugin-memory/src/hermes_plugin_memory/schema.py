"""The ``memory`` tool's description and argument schema (Hermes Agent's argument names).

Kept apart from the handler so registering the tool imports nothing else.
"""

from __future__ import annotations

from typing import Any

DESCRIPTION = (
    "Persistent memory, shown to you in every future session. target user: who the user is "
    "(preferences, style, habits); memory: your notes (environment, conventions, lessons). "
    "add content; replace or remove the entry containing old_text. When a file is full, "
    "merge or remove entries first. Durable facts only, not task progress."
)

PARAMETERS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "action": {"type": "string", "enum": ["add", "replace", "remove"]},
        "target": {"type": "string", "enum": ["memory", "user"]},
        "content": {"type": "string", "description": "the entry's full text"},
        "old_text": {"type": "string", "description": "text unique to the entry to change"},
    },
    "required": ["action", "target"],
    "additionalProperties": False,
}
