"""Large tool results go to a file; the model gets a preview and the path."""

from __future__ import annotations

import re
from pathlib import Path

_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def spill_text(home: Path, session_id: str, label: str, text: str, *, preview_chars: int = 2000) -> str:
    """Write ``text`` under ``$HERMES_HOME/tool-results/<session>/`` and return a preview.

    The preview keeps the head and the tail (errors are usually at the end) and says how
    to read the rest with ``read_file``.
    """
    folder = home / "tool-results" / _SAFE.sub("_", session_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_SAFE.sub('_', label)[:80] or 'result'}.txt"
    path.write_text(text, encoding="utf-8", errors="replace")
    lines = text.count("\n") + 1
    head = text[: preview_chars * 2 // 3]
    tail = text[-(preview_chars // 3):]
    return (
        f"{head}\n\n[... output truncated: {len(text):,} characters, {lines:,} lines in all. "
        f"The full output is saved at {path}; read parts of it with read_file (offset/limit) "
        f"or search it with search_files ...]\n\n{tail}"
    )
