"""How often each skill is used: ``$HERMES_HOME/skills/.usage.json``.

Counts per skill: ``loaded`` (into a conversation), ``succeeded`` and ``failed`` (the turn
that loaded it ended with or without failing tool calls), ``patched`` (changed by
``skill_manage``), plus when it was created, last used and last patched. Curation uses
them to archive skills nobody uses. Updates are read-modify-write under a lock and
written atomically, so concurrent hermes processes lose no counts and a crash leaves the
old file.
"""

from __future__ import annotations

import time
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from .fsutil import atomic_write_json, file_lock, read_json
from .locations import LOCK_FILE, USAGE_FILE

COUNTERS = ("loaded", "succeeded", "failed", "patched")


class SkillUsage(BaseModel):
    """One skill's counters and times (seconds since the epoch)."""

    model_config = ConfigDict(extra="ignore")

    loaded: int = 0
    succeeded: int = 0
    failed: int = 0
    patched: int = 0
    created_at: float | None = None
    last_used: float | None = None
    last_patched: float | None = None


class UsageStore:
    """The usage file of one ``$HERMES_HOME/skills`` folder."""

    def __init__(self, skills_dir: Path) -> None:
        self.path = skills_dir / USAGE_FILE
        self.lock_path = skills_dir / LOCK_FILE

    def read(self) -> dict[str, SkillUsage]:
        """Every skill's usage (a missing or corrupt file reads as empty)."""
        raw = read_json(self.path, {})
        skills = raw.get("skills", {}) if isinstance(raw, dict) else {}
        out: dict[str, SkillUsage] = {}
        for name, value in (skills.items() if isinstance(skills, dict) else []):
            try:
                out[str(name)] = SkillUsage.model_validate(value)
            except ValidationError:
                continue
        return out

    def get(self, name: str) -> SkillUsage:
        """One skill's usage (zeros when it was never counted)."""
        return self.read().get(name, SkillUsage())

    def record(self, name: str, event: str, *, now: float | None = None) -> SkillUsage:
        """Count one ``event`` (``loaded``, ``succeeded``, ``failed``, ``patched`` or
        ``created``) for skill ``name`` and return its new usage."""
        now = time.time() if now is None else now
        with file_lock(self.lock_path):
            data = self.read()
            usage = data.get(name, SkillUsage())
            if event == "created":
                usage.created_at = usage.created_at or now
            elif event in COUNTERS:
                setattr(usage, event, getattr(usage, event) + 1)
                if event == "patched":
                    usage.last_patched = now
                else:
                    usage.last_used = now
            else:
                raise ValueError(f"unknown usage event {event!r}")
            data[name] = usage
            atomic_write_json(self.path, {"version": 1, "skills": {k: v.model_dump() for k, v in sorted(data.items())}})
        return usage
