"""Helpers shared by the benchmarks: timing child processes, results files, tables.

Benchmarks print numbers and compare them with the previous run saved under
``bench/results/<name>.json`` (which they then update). They are not tests: run them
by hand (``.venv/bin/python bench/<name>/run.py``) on a quiet machine.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
VENV_BIN = Path(sys.executable).parent


def run_with_rusage(argv: Sequence[str], env: Mapping[str, str], cwd: Path | None = None) -> tuple[float, float, int, bytes, bytes]:
    """(wall seconds, peak RSS MB, exit code, stdout, stderr) using wait4 for the child's rusage."""
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), env=dict(env), cwd=str(cwd) if cwd else None,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return wall, usage.ru_maxrss / 1024, proc.returncode, out.read(), err.read()


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def machine() -> dict[str, object]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


def load_previous(name: str) -> dict:
    path = RESULTS / f"{name}.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def save(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    return path


def compare(current: float, previous: float | None, unit: str = "ms", lower_is_better: bool = True) -> str:
    if previous is None or previous != previous:  # None or NaN
        return ""
    if previous == 0:
        return ""
    change = (current - previous) / previous * 100
    better = change < 0 if lower_is_better else change > 0
    arrow = "better" if better else "worse"
    if abs(change) < 3:
        return f"(prev {previous:.1f}{unit}, same)"
    return f"(prev {previous:.1f}{unit}, {change:+.0f}% {arrow})"


def ensure_bytecode() -> None:
    """Compile the workspace so start-up is measured as users see it (this machine sets
    PYTHONDONTWRITEBYTECODE, which would otherwise recompile every module every run)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", str(REPO / "hermes_core"),
                    *[str(p) for p in REPO.glob("plugins/*/src")], *[str(p) for p in REPO.glob("contrib/*/src")]],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def builtins_venv() -> Path:
    """A virtual env with hermes-core and the built-in plugins only (plugins/*, not
    contrib/*), as a user who installs hermes gets it. Kept in .venv-bench and refreshed
    when a pyproject.toml changes. Returns its bin folder."""
    import hashlib

    venv = REPO / ".venv-bench"
    packages = [REPO, *sorted(p.parent for p in REPO.glob("plugins/*/pyproject.toml"))]
    stamp = hashlib.sha1(b"".join((p / "pyproject.toml").read_bytes() for p in packages)).hexdigest()
    stamp_file = venv / ".bench-stamp"
    uv = VENV_BIN / "uv"
    if not (venv / "bin" / "python").exists():
        subprocess.run([str(uv), "venv", "-q", "--python", sys.executable, str(venv)], check=True)
    if not stamp_file.exists() or stamp_file.read_text() != stamp:
        args = [str(uv), "pip", "install", "-q", "--no-sources", "--compile-bytecode", "--python", str(venv / "bin" / "python")]
        for package in packages:
            args += ["-e", str(package)]
        subprocess.run(args, check=True)
        stamp_file.write_text(stamp)
    return venv / "bin"
