"""The bubblewrap command line, and a quick probe that bubblewrap works here."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path


def bwrap_args(
    bwrap: str,
    command: Sequence[str],
    *,
    writable: Iterable[str],
    hidden: Iterable[str],
    readable: Iterable[str] = (),
    chdir: str,
    home: str,
    network: bool = False,
) -> list[str]:
    """``bwrap`` running ``command`` with a read-only view of the host's root, a private
    ``/dev``, ``/proc`` and ``/tmp``, ``hidden`` paths masked, ``readable`` folders bound
    read-only and ``writable`` ones read-write at their own paths (so they stay visible
    even under the private ``/tmp``), its own pid namespace and session, no network unless
    ``network``, and death when hermes dies."""
    args = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
            "--tmpfs", "/var/tmp", "--tmpfs", "/run"]
    for path in hidden:
        if os.path.isdir(path):
            args += ["--tmpfs", path]
        elif os.path.lexists(path):
            args += ["--ro-bind", "/dev/null", path]
    # after the masks: a writable folder inside a hidden one (the work folder under
    # $HERMES_HOME) is bound again on top
    for path in readable:
        args += ["--ro-bind", path, path]
    for path in writable:
        args += ["--bind", path, path]
    args += ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
             "--die-with-parent", "--new-session", "--setenv", "HOME", home, "--unsetenv", "TMPDIR",
             "--chdir", chdir]
    if not network:
        args.append("--unshare-net")
    return [*args, "--", *command]


def probe(bwrap: str = "bwrap", timeout: float = 10.0) -> str | None:
    """None when bubblewrap can make a sandbox here; otherwise why not and what to do."""
    path = shutil.which(bwrap)
    if path is None:
        return f"bubblewrap ('{bwrap}') is not installed: apt-get install bubblewrap"
    command = bwrap_args(path, ["/bin/sh", "-c", "exit 0"], writable=[], hidden=[], chdir="/", home="/")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap did not run: {exc}"
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        hint = (" (unprivileged user namespaces may be disabled: "
                "sysctl kernel.unprivileged_userns_clone=1, or install bwrap setuid)")
        return f"bubblewrap cannot create a sandbox here: {detail[-1] if detail else done.returncode}{hint}"
    return None


def existing(paths: Iterable[str]) -> list[str]:
    """The paths that exist, ``~`` expanded, made absolute, without duplicates."""
    seen: dict[str, None] = {}
    for raw in paths:
        path = str(Path(os.path.expanduser(raw)).absolute())
        if os.path.lexists(path):
            seen.setdefault(path)
    return list(seen)
