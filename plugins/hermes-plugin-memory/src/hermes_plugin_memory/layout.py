"""Where one user's memory lives under ``$HERMES_HOME/memories``.

The local user (``local``, the CLI's user) keeps Hermes Agent's layout exactly:
``memories/MEMORY.md`` and ``memories/USER.md``. Every other user (gateway users such as
``telegram:12345``) gets ``memories/users/<safe-user-id>/`` with the same files, so one
user's notes can never be read into another user's session.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Target = Literal["memory", "user"]

LOCAL_USER = "local"
FILE_NAMES: dict[str, str] = {"memory": "MEMORY.md", "user": "USER.md"}
ARCHIVE_NAME = "ARCHIVE.jsonl"
LOCK_NAME = ".memory.lock"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_user_id(user_id: str) -> str:
    """A folder name for ``user_id``: readable, and unique even when characters had to go.

    Ids that are already safe are kept as they are; others get their unsafe characters
    replaced and a short hash of the original appended, so ``a:b`` and ``a/b`` stay apart.
    """
    cleaned = _UNSAFE.sub("_", user_id).strip("._")[:80]
    if cleaned == user_id and cleaned not in ("", ".", ".."):
        return cleaned
    digest = hashlib.sha256(user_id.encode("utf-8")).hexdigest()[:10]
    return f"{cleaned or 'user'}-{digest}"


@dataclass(frozen=True)
class UserFiles:
    """The paths of one user's memory files."""

    folder: Path

    def file(self, target: str) -> Path:
        return self.folder / FILE_NAMES[target]

    @property
    def archive(self) -> Path:
        return self.folder / ARCHIVE_NAME

    @property
    def lock(self) -> Path:
        return self.folder / LOCK_NAME


def user_files(home: Path, user_id: str) -> UserFiles:
    """The memory files of ``user_id`` under ``home`` (nothing is created)."""
    root = Path(home) / "memories"
    if user_id == LOCAL_USER:
        return UserFiles(root)
    return UserFiles(root / "users" / safe_user_id(user_id))
