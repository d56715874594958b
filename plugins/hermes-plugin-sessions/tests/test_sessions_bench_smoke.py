"""The benchmark (bench/sessions/run.py) runs end to end in its quick mode."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench" / "sessions" / "run.py"


@pytest.mark.slow
@pytest.mark.skipif(not BENCH.exists(), reason="the benchmark lives in the hermes repository")
def test_quick_benchmark_runs(tmp_path):
    results = tmp_path / "sessions.json"
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--queries", "30", "--results", str(results), "--workdir", str(tmp_path / "w")],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for line in ("live ingest", "bulk ingest", "size live-built", "search        p50"):
        assert line in done.stdout
    run = json.loads(results.read_text(encoding="utf-8"))["runs"]["20k"]
    assert run["live"]["messages"] == 20_000 and run["bulk"]["messages"] == 20_000
    assert run["search"]["errors"] == 0 and run["search"]["with_hits"] > 0
    assert 0 < run["size_live"]["fts_share"] < 1
