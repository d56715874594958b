"""What the host side needs from ``/proc``: liveness, start times, namespace pids, and
running the protocol's signal scripts."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

# The signal scripts only need sh, grep and kill; give them a plain environment so no
# marker variable of ours is in their own /proc/<pid>/environ.
_SIDE_ENV = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C"}


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (field 3 onwards)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[-1].split()


def start_ticks(pid: int) -> int | None:
    """When ``pid`` started, in clock ticks since boot (None if it is gone)."""
    fields = _stat_fields(pid)
    return int(fields[19]) if fields and len(fields) > 19 else None


def is_alive(pid: int, started: int | None = None) -> bool:
    """Whether ``pid`` runs (a zombie does not), and is the process that started at
    ``started`` ticks (not a later one that reused the pid)."""
    fields = _stat_fields(pid)
    if not fields or fields[0] in ("Z", "X", "x"):
        return False
    return started is None or (len(fields) > 19 and int(fields[19]) == started)


def parent_of(pid: int) -> int | None:
    fields = _stat_fields(pid)
    return int(fields[1]) if fields and len(fields) > 1 else None


def descends_from(pid: int, ancestor: int) -> bool:
    seen = 0
    while pid > 1 and seen < 4096:
        if pid == ancestor:
            return True
        parent = parent_of(pid)
        if parent is None:
            return False
        pid, seen = parent, seen + 1
    return pid == ancestor


def host_pid(ns_pid: int, root: int) -> int | None:
    """The pid, as this machine sees it, of the descendant of ``root`` whose pid in its
    own (innermost) pid namespace is ``ns_pid``."""
    with os.scandir("/proc") as entries:
        pids = [int(entry.name) for entry in entries if entry.name.isdigit()]
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("NSpid:"):
                ids = line.split()[1:]
                if len(ids) > 1 and ids[-1] == str(ns_pid) and descends_from(pid, root):
                    return pid
                break
    return None


def run_signal_script(script: str, timeout: float = 15.0) -> list[int]:
    """Run one of :mod:`hermes_core.shell`'s signal scripts here; the pids it signalled."""
    try:
        done = subprocess.run(
            ["/bin/sh", "-c", script], env=_SIDE_ENV, capture_output=True, text=True, timeout=timeout,
            start_new_session=True,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [int(word) for word in done.stdout.split() if word.isdigit()]
