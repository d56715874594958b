"""Typed records of the skills plugin: a skill root, a loaded skill, scan outcomes."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: Where a skill comes from, from most to least preferred when two share a name.
SOURCE_ORDER = ("home", "project", "plugin", "bundled")

#: Metadata keys hermes owns live under this prefix (``metadata: {hermes.tags: "a, b"}``),
#: so every skill hermes writes stays a valid agentskills.io skill.
HERMES_PREFIX = "hermes."


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SkillRoot(_Record):
    """A folder holding skill folders (``<root>/<name>/SKILL.md`` or
    ``<root>/<category>/<name>/SKILL.md``)."""

    path: Path
    source: str
    trusted: bool = True
    plugin: str | None = None

    @property
    def rank(self) -> int:
        """Precedence: lower wins when two roots hold a skill of the same name."""
        return SOURCE_ORDER.index(self.source) if self.source in SOURCE_ORDER else SOURCE_ORDER.index("plugin")


class Frontmatter(_Record):
    """A SKILL.md front matter as read leniently: what the index and tools need."""

    name: str | None = None
    description: str | None = None
    license: str | None = None
    compatibility: str | None = None
    allowed_tools: str | None = None
    metadata: dict[str, str] = Field(default_factory=dict)
    #: Keys outside the specification, kept so a rewrite can report them.
    extra_keys: list[str] = Field(default_factory=list)


class Skill(_Record):
    """One skill found on disk (its body is read on demand)."""

    name: str
    description: str
    path: Path
    source: str
    trusted: bool = True
    category: str | None = None
    license: str | None = None
    compatibility: str | None = None
    allowed_tools: str | None = None
    metadata: dict[str, str] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    plugin: str | None = None

    @property
    def skill_md(self) -> Path:
        """The skill's SKILL.md (``skill.md`` is accepted too)."""
        return self.path / "SKILL.md" if (self.path / "SKILL.md").exists() else self.path / "skill.md"

    def hermes(self, key: str, default: str = "") -> str:
        """A hermes metadata value (``metadata["hermes.<key>"]``)."""
        return self.metadata.get(HERMES_PREFIX + key, default)

    @property
    def tags(self) -> list[str]:
        """``metadata["hermes.tags"]`` as a list."""
        return split_list(self.hermes("tags"))

    @property
    def agent_made(self) -> bool:
        """Made by the agent (``hermes.origin: agent``) and kept in ``$HERMES_HOME/skills``."""
        return self.source == "home" and self.hermes("origin") == "agent"

    @property
    def writable(self) -> bool:
        """Only skills under ``$HERMES_HOME/skills`` are ever changed in place."""
        return self.source == "home"


class Problem(_Record):
    """A skill folder that could not be loaded, and why."""

    path: Path
    source: str
    message: str


class FileFinding(_Record):
    """One scanner finding, tied to the file it was found in."""

    file: str
    rule: str
    message: str
    severity: str = "medium"
    verdict: Literal["allow", "warn", "ask", "block"] = "warn"
    excerpt: str = ""

    def __str__(self) -> str:
        excerpt = f" ({self.excerpt})" if self.excerpt else ""
        return f"{self.file}: {self.message} [{self.rule}, {self.verdict}]{excerpt}"


class ScanReport(_Record):
    """The security scan of a skill's files: the worst verdict and every finding."""

    verdict: Literal["allow", "warn", "ask", "block"] = "allow"
    findings: list[FileFinding] = Field(default_factory=list)
    files: int = 0

    @property
    def serious(self) -> list[FileFinding]:
        """Findings that stop an untrusted write or install (ask or block)."""
        return [f for f in self.findings if f.verdict in ("ask", "block")]

    def reason(self, limit: int = 6) -> str:
        """The serious findings as one readable sentence."""
        items = self.serious or self.findings
        text = "; ".join(str(f) for f in items[:limit])
        if len(items) > limit:
            text += f"; and {len(items) - limit} more"
        return text


def split_list(value: str) -> list[str]:
    """``"a, b c"`` -> ``["a", "b", "c"]``: hermes list values are comma or space separated."""
    return [part for part in value.replace(",", " ").split() if part]
