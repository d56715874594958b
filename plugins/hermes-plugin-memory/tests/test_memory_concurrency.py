"""Acceptance: two processes adding 500 entries each at the same time lose none.

Each writer is a separate Python process going through the plugin's locked write path.
They start together (both wait for a go file) and add distinct entries; afterwards every
entry must be in MEMORY.md or, when the budget pushed it out, in the archive.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from hermes_plugin_memory.archive import read_records
from hermes_plugin_memory.entries import parse
from hermes_plugin_memory.layout import user_files

PER_WRITER = 500

WRITER = """
import sys, time
from pathlib import Path
from hermes_plugin_memory.config import BuiltinMemorySettings
from hermes_plugin_memory.operations import MemoryOperation
from hermes_plugin_memory.store import MemoryStore

home, name, count, limit, when_full, go = sys.argv[1:7]
store = MemoryStore(Path(home), BuiltinMemorySettings(memory_char_limit=int(limit), when_full=when_full))
while not Path(go).exists():
    time.sleep(0.001)
for n in range(int(count)):
    outcome = store.apply("local", MemoryOperation(action="add", target="memory", content=f"{name}-entry-{n:04d}"))
    if not outcome.ok:
        sys.exit(f"{name}-entry-{n:04d}: {outcome.kind}: {outcome.message}")
"""


@pytest.mark.parametrize(
    ("limit", "when_full"),
    [
        # Roomy enough for all 1000 entries: every one must stay in the file.
        (20_000, "refuse"),
        # Far too small: most entries are pushed out, and must all be in the archive.
        (2_200, "archive_oldest"),
    ],
)
def test_two_processes_lose_nothing(tmp_path: Path, limit: int, when_full: str) -> None:
    home = tmp_path / "home"
    go = tmp_path / "go"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(home), name, str(PER_WRITER), str(limit), when_full, str(go)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for name in ("alpha", "beta")
    ]
    time.sleep(0.3)  # both interpreters up and waiting
    started = time.perf_counter()
    go.touch()
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    elapsed = time.perf_counter() - started

    files = user_files(home, "local")
    kept = parse(files.file("memory").read_text(encoding="utf-8"))
    archived = [r.text for r in read_records(files.archive)]
    expected = {f"{name}-entry-{n:04d}" for name in ("alpha", "beta") for n in range(PER_WRITER)}
    assert len(kept) == len(set(kept)), "an entry is in the file twice"
    assert set(kept) | set(archived) == expected
    assert len(kept) + len(archived) == len(expected)
    assert len("\n§\n".join(kept)) <= limit
    if when_full == "refuse":
        assert not archived
    else:
        assert len(archived) > 800
    # Each writer's entries land in its own order (a lost update would break this).
    for name in ("alpha", "beta"):
        mine = [e for e in archived + kept if e.startswith(name)]
        assert mine == sorted(mine)
    print(f"\n{2 * PER_WRITER} adds from 2 processes ({when_full}, limit {limit}): {elapsed:.2f}s, "
          f"{len(kept)} kept, {len(archived)} archived")
