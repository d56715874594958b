"""WAL checkpoints on a background thread.

SQLite normally checkpoints inside the commit that pushes the WAL past 1000 pages, and
the checkpoint fsyncs the database file: the unlucky append waits milliseconds. Here a
thread with its own connection copies the WAL back every ``checkpoint_interval`` seconds
instead (PASSIVE: it never blocks writers or readers), so appends stay fast and flat.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from .settings import SqliteSettings


class Checkpointer:
    """Starts on first use, stops with :meth:`stop` (which waits for the thread)."""

    def __init__(self, path: Path, settings: SqliteSettings) -> None:
        self.path = path
        self.interval = settings.checkpoint_interval
        self.busy_ms = int(settings.busy_timeout * 1000)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.checkpoints = 0

    def start(self) -> None:
        """Start the thread if checkpoints are enabled and it is not running."""
        with self._lock:
            if self.interval <= 0 or self._thread is not None or self._stop.is_set():
                return
            self._thread = threading.Thread(target=self._run, name="hermes-sessions-checkpoint", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while not self._stop.wait(self.interval):
                try:
                    if conn is None:
                        conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
                        conn.execute(f"PRAGMA busy_timeout = {self.busy_ms}")
                    busy, frames, done = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    if frames > 0:
                        self.checkpoints += 1
                except sqlite3.Error:
                    # Locked or gone for now: the writers' own autocheckpoint is the safety net.
                    continue
        finally:
            if conn is not None:
                conn.close()

    def stop(self) -> None:
        """Stop the thread and close its connection (idempotent)."""
        with self._lock:
            self._stop.set()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()
