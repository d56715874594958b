"""File helpers for state shared between hermes processes (the CLI, a gateway, cron).

``atomic_write_text`` replaces a file so readers see the old or the new content, never
half; ``file_lock`` serialises read-modify-write cycles between processes. Plugins that
keep state under ``$HERMES_HOME`` use these instead of writing their own.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def atomic_write_text(path: Path, text: str, *, keep_mode: bool = True) -> None:
    """Write ``text`` (UTF-8, line endings as given) to ``path`` through a temporary file
    in the same folder, flushed to disk before the rename, so a crash leaves the old file
    or the new one. The existing file's permissions are kept when ``keep_mode``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if keep_mode:
            with contextlib.suppress(FileNotFoundError):
                os.chmod(temp, path.stat().st_mode & 0o7777)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``path`` (created if missing) for the block.

    ``flock`` locks belong to an open file description, so the lock also keeps apart
    threads of one process that each take it. Where ``fcntl`` is missing (not POSIX) it
    does nothing.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
