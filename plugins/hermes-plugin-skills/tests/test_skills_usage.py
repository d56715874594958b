"""``.usage.json``: counts survive concurrent processes and corrupt files."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hermes_plugin_skills.usage import UsageStore

WORKER = """
import sys
from pathlib import Path
from hermes_plugin_skills.usage import UsageStore
store = UsageStore(Path(sys.argv[1]))
for _ in range(int(sys.argv[2])):
    store.record(sys.argv[3], "loaded")
    store.record("shared", "succeeded")
"""


def test_concurrent_processes_lose_no_counts(tmp_path):
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(tmp_path), "25", f"skill-{n}"]) for n in range(3)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0]
    usage = UsageStore(tmp_path).read()
    assert usage["shared"].succeeded == 75
    assert [usage[f"skill-{n}"].loaded for n in range(3)] == [25, 25, 25]


def test_corrupt_or_odd_files_read_as_empty_and_are_rewritten(tmp_path):
    store = UsageStore(tmp_path)
    store.path.write_text("{broken")
    assert store.read() == {}
    store.record("a", "patched")
    assert store.get("a").patched == 1 and store.get("a").last_patched
    store.path.write_text('{"skills": {"a": {"loaded": "many"}, "b": {"loaded": 2}}}')
    assert set(store.read()) == {"b"}


def test_unknown_events_are_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown usage event"):
        UsageStore(tmp_path).record("a", "exploded")
