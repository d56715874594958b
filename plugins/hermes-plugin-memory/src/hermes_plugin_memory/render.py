"""The memory snapshot as it goes into the system prompt, with a usage header per file."""

from __future__ import annotations

from .config import BuiltinMemorySettings
from .entries import render, used_chars
from .operations import usage_label

_RULE = "═" * 46
_TITLES = {
    "memory": "MEMORY.md: your own notes (environment facts, conventions, lessons)",
    "user": "USER.md: the user's profile (who they are, preferences, style)",
}


def render_snapshot(entries: dict[str, list[str]], settings: BuiltinMemorySettings) -> str | None:
    """Both files with their usage, or None when neither holds anything."""
    if not any(entries.values()):
        return None
    blocks = [
        "# Persistent memory\n"
        "Saved in earlier sessions and frozen for this one: changes you make with the `memory` tool "
        "are saved at once and appear here from the next session on."
    ]
    for target, title in _TITLES.items():
        items = entries.get(target, [])
        limit = settings.limit(target)
        header = f"{_RULE}\n{title} [{usage_label(used_chars(items), limit)}]\n{_RULE}"
        blocks.append(f"{header}\n{render(items) if items else '(empty)'}")
    return "\n\n".join(blocks)
