"""The ``sessions.sqlite`` config section."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: The database file's name under ``$HERMES_HOME`` (the name Hermes Agent users know).
DEFAULT_FILE = "state.db"


class SqliteSettings(BaseModel):
    """``sessions.sqlite`` in config.yaml."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    path: str | None = Field(
        None, description="the database file (default $HERMES_HOME/state.db; a relative path is under $HERMES_HOME)"
    )
    busy_timeout: float = Field(
        10.0, gt=0, le=600, description="seconds to wait for another process's write to finish before giving up"
    )
    synchronous: Literal["normal", "full"] = Field(
        "normal",
        description="normal: a commit survives a crash of hermes; full: also a power cut (an fsync per message, slower)",
    )
    cache_mb: int = Field(64, ge=1, le=4096, description="page cache per connection, in MiB")
    mmap_mb: int = Field(256, ge=0, le=65536, description="memory-mapped I/O window, in MiB (0 turns it off)")
    checkpoint_interval: float = Field(
        0.5, ge=0, le=3600,
        description="seconds between WAL checkpoints made by a background thread (0: SQLite checkpoints on commit)",
    )
    search_candidates: int = Field(
        1000, ge=10, le=10_000_000,
        description="how many of the newest matches of a query are ranked by relevance (bounds search time)",
    )

    def database_path(self, hermes_home: Path) -> Path:
        """Where the database lives for ``hermes_home``."""
        if not self.path:
            return Path(hermes_home) / DEFAULT_FILE
        path = Path(self.path).expanduser()
        return path if path.is_absolute() else Path(hermes_home) / path
