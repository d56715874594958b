"""Small file-system helpers: atomic writes and an advisory lock between processes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hermes_core.files import atomic_write_text, file_lock

__all__ = ["atomic_write_json", "atomic_write_text", "file_lock", "is_within", "read_json"]


def atomic_write_json(path: Path, data: Any) -> None:
    """Write ``data`` as indented JSON, atomically."""
    atomic_write_text(path, json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def read_json(path: Path, default: Any) -> Any:
    """A JSON file's value, or ``default`` when it is missing or unreadable (a corrupt
    state file must never stop hermes; it is rebuilt on the next write)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def is_within(child: Path, parent: Path) -> bool:
    """True if ``child`` resolves to ``parent`` or a path inside it (symlinks followed)."""
    try:
        child_resolved = child.resolve()
        parent_resolved = parent.resolve()
    except OSError:
        return False
    return child_resolved == parent_resolved or parent_resolved in child_resolved.parents
