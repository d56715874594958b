"""Running the apptainer (or singularity) command line: instances and execs.

Instances are named ``hermes-<pid>-<random>`` after the hermes process that started them,
so instances left by a hermes that crashed are recognised (their PID no longer runs) and
stopped the next time a backend starts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

from hermes_core import HermesError

from .config import SingularityOptions

_OWNED = re.compile(r"^hermes-(\d+)-[0-9a-f]{8}$")


class SingularityError(HermesError):
    """The apptainer program is missing, or one of its commands failed."""


def find_executable(options: SingularityOptions) -> str:
    """The configured program, else ``apptainer``, else ``singularity`` from PATH."""
    names = [options.executable] if options.executable else ["apptainer", "singularity"]
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    wanted = options.executable or "apptainer (or singularity)"
    raise SingularityError(
        f"{wanted} is not installed or not on PATH: install Apptainer (https://apptainer.org) "
        f"or set terminal.singularity.executable to the program's path"
    )


def new_instance_name() -> str:
    """A fresh instance name that records this process as the owner."""
    return f"hermes-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def start_flags(options: SingularityOptions, cwd: Path | None) -> list[str]:
    """The ``instance start`` flags for ``options`` (``cwd``: the session's folder)."""
    flags: list[str] = []
    for enabled, flag in ((options.contain, "--contain"), (options.cleanenv, "--cleanenv"),
                          (options.no_home, "--no-home"), (options.pid_namespace, "--pid"),
                          (options.writable_tmpfs, "--writable-tmpfs")):
        if enabled:
            flags.append(flag)
    if options.network_none:
        flags += ["--net", "--network", "none"]
    for spec in options.bind:
        flags += ["--bind", spec]
    if options.mount_cwd:
        if cwd is None:
            raise SingularityError("terminal.singularity.mount_cwd is on but the session has no working folder")
        flags += ["--bind", f"{Path(cwd).resolve()}:{options.mount_target}"]
    return flags + list(options.extra_args)


def run_cli(executable: str, args: list[str], *, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run one apptainer command; a failure raises with its own message."""
    try:
        done = subprocess.run([executable, *args], capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        raise SingularityError(f"`{Path(executable).name} {' '.join(args[:2])}` took more than {timeout:g}s") from exc
    except OSError as exc:
        raise SingularityError(f"cannot run {executable}: {exc}") from exc
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip() or f"exit status {done.returncode}"
        raise SingularityError(f"`{Path(executable).name} {' '.join(args[:2])}` failed: {message}")
    return done


def list_instances(executable: str) -> list[dict]:
    """Running instances as ``instance list --json`` reports them."""
    done = run_cli(executable, ["instance", "list", "--json"], timeout=30)
    try:
        data = json.loads(done.stdout or "{}")
    except json.JSONDecodeError as exc:
        raise SingularityError(f"unexpected `instance list --json` output: {done.stdout[:200]!r}") from exc
    instances = data.get("instances") if isinstance(data, dict) else None
    return [item for item in instances or [] if isinstance(item, dict)]


def stop_instance(executable: str, name: str) -> None:
    """Stop an instance; one that is already gone is fine."""
    try:
        run_cli(executable, ["instance", "stop", name], timeout=60)
    except SingularityError as exc:
        if "no instance found" not in str(exc).lower():
            raise


def stop_leftover_instances(executable: str) -> list[str]:
    """Stop instances named for hermes processes that no longer run; returns their names."""
    stopped = []
    for item in list_instances(executable):
        name = str(item.get("instance", ""))
        match = _OWNED.match(name)
        if match and not _alive(int(match.group(1))):
            stop_instance(executable, name)
            stopped.append(name)
    return stopped


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
