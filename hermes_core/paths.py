"""Where hermes keeps its state: ``$HERMES_HOME`` (default ``~/.hermes``) and its layout."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def resolve_home(env: Mapping[str, str] | None = None) -> Path:
    """``$HERMES_HOME`` if set, else ``~/.hermes``. Nothing is created."""
    env = os.environ if env is None else env
    value = env.get("HERMES_HOME")
    if value:
        return Path(value).expanduser()
    return Path.home() / ".hermes"


class HomeLayout:
    """Named paths inside ``$HERMES_HOME``, kept in one place."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def config_file(self) -> Path:
        return self.root / "config.yaml"

    @property
    def env_file(self) -> Path:
        return self.root / ".env"

    @property
    def soul_file(self) -> Path:
        return self.root / "SOUL.md"

    @property
    def plugins_dir(self) -> Path:
        return self.root / "plugins"

    @property
    def skills_dir(self) -> Path:
        return self.root / "skills"

    @property
    def memories_dir(self) -> Path:
        return self.root / "memories"

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    @property
    def cache_dir(self) -> Path:
        return self.root / "cache"

    @property
    def tool_results_dir(self) -> Path:
        return self.root / "tool-results"

    @property
    def trajectories_dir(self) -> Path:
        return self.root / "trajectories"

    @property
    def history_file(self) -> Path:
        return self.root / ".chat_history"

    def plugin_data_dir(self, plugin: str) -> Path:
        """A folder a plugin may keep its own state in (created on demand by the caller)."""
        return self.root / "data" / plugin
