"""The ``memory`` tool's description and argument schema (Hermes Agent's argument names).

Kept apart from the handler so registering the tool imports nothing else.
"""

from __future__ import annotations

from typing import Any

DESCRIPTION = (
    "Save durable facts to your persistent memory; it is shown to you at the start of every "
    "future session. target 'user': who the user is (name, role, preferences, communication "
    "style, habits). target 'memory': your own notes (environment facts, project conventions, "
    "tool quirks, lessons learned). action 'add' stores content as a new entry; 'replace' "
    "swaps the entry containing old_text for content (the complete new entry); 'remove' "
    "deletes the entry containing old_text (it stays searchable in the archive). old_text is "
    "a short piece unique to one entry. Each file has a character budget: when it is full, "
    "merge or remove entries before adding. Keep what will matter later, not task progress."
)

PARAMETERS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "action": {"type": "string", "enum": ["add", "replace", "remove"], "description": "what to do"},
        "target": {
            "type": "string",
            "enum": ["memory", "user"],
            "description": "'memory': your notes (MEMORY.md); 'user': the user's profile (USER.md)",
        },
        "content": {"type": "string", "description": "the entry's full text (add, replace)"},
        "old_text": {"type": "string", "description": "a short piece unique to the entry to change (replace, remove)"},
    },
    "required": ["action", "target"],
    "additionalProperties": False,
}
