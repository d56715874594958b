"""Honcho ids for hermes users and sessions.

Honcho accepts only letters, digits, ``_`` and ``-`` in ids; hermes user ids carry the
platform (``telegram:12345``). Ids that already fit are kept (so Honcho's dashboard shows
them as they are); others are cleaned and given a hash of the original, so two users can
never end up on one peer. Kept ids never start with ``h-``, the mark of a hashed one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection

_ALLOWED = re.compile(r"^[a-zA-Z0-9_-]{1,400}$")
_UNSAFE = re.compile(r"[^a-zA-Z0-9_-]+")


def honcho_id(value: str, *, reserved: Collection[str] = ()) -> str:
    """A Honcho-safe id for ``value``, distinct for distinct values and never one of
    ``reserved`` (the assistant's own peer id, say)."""
    if _ALLOWED.match(value) and not value.startswith("h-") and value not in reserved:
        return value
    cleaned = _UNSAFE.sub("_", value).strip("_")[:80] or "id"
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]
    return f"h-{cleaned}-{digest}"
