"""Background processes: what is known about each, and reading and feeding them through
the files :func:`hermes_core.shell.background_command` sets up."""

from __future__ import annotations

import errno
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hermes_core.shell import BackgroundFiles

from .procs import is_alive


@dataclass
class BackgroundProcess:
    """One background process of a session. ``pid`` is as this machine sees it."""

    id: str
    command: str
    pid: int
    token: str
    files: BackgroundFiles
    started_ticks: int | None
    cwd: str | None
    started_at: float = field(default_factory=time.time)
    killed: bool = False
    exit_code: int | None = None
    ended_at: float | None = None

    def refresh(self) -> bool:
        """Update what is known; True while it runs."""
        if self.ended_at is not None:
            return False
        exit_file = Path(self.files.exit)
        if exit_file.exists():
            try:
                self.exit_code = int(exit_file.read_text().strip())
            except ValueError:
                self.exit_code = None
        elif is_alive(self.pid, self.started_ticks):
            return True
        self.ended_at = time.time()
        return False

    def status(self) -> dict[str, Any]:
        running = self.refresh()
        state = "running" if running else "killed" if self.killed else "exited"
        end = self.ended_at or time.time()
        try:
            log_size = os.path.getsize(self.files.log)
        except OSError:
            log_size = 0
        return {
            "id": self.id,
            "command": self.command,
            "pid": self.pid,
            "running": running,
            "status": state,
            "exit_code": None if running else self.exit_code,
            "started_at": self.started_at,
            "duration": round(end - self.started_at, 3),
            "cwd": self.cwd,
            "log_size": log_size,
        }

    def read_log(self, offset: int = 0, limit: int | None = None) -> str:
        """Characters ``offset`` to ``offset + limit`` of the output so far."""
        try:
            data = Path(self.files.log).read_bytes()
        except FileNotFoundError:
            return ""
        text = data.decode("utf-8", "replace")
        offset = max(0, int(offset))
        return text[offset:] if limit is None else text[offset:offset + max(0, int(limit))]

    def write(self, data: str, timeout: float = 5.0) -> None:
        """Write to the process's stdin; raises if it is not running or not reading."""
        if not self.refresh():
            raise RuntimeError(f"background process {self.id} is not running ({self.status()['status']})")
        payload = data.encode("utf-8", "surrogateescape")
        try:
            # Non-blocking, so a process that is gone cannot hang us: ENXIO means nobody
            # holds the FIFO open for reading any more.
            fd = os.open(self.files.stdin, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            raise RuntimeError(f"background process {self.id} does not accept input: {exc.strerror}") from None
        deadline = time.monotonic() + timeout
        view = memoryview(payload)
        try:
            while view:
                try:
                    view = view[os.write(fd, view):]
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(
                            f"background process {self.id} is not reading its input "
                            f"({len(view)} of {len(payload)} bytes not written)"
                        ) from None
                    time.sleep(0.02)
                except OSError as exc:
                    if exc.errno == errno.EPIPE:
                        raise RuntimeError(f"background process {self.id} closed its input") from None
                    raise
        finally:
            os.close(fd)
