"""A fake ``apptainer`` program on PATH (Apptainer cannot be installed here)."""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

FAKE = Path(__file__).with_name("singularity_fake_apptainer.py")


@dataclass
class FakeApptainer:
    """Where the fake lives, an image file for it, and what it was asked to do."""

    bin: Path
    image: Path

    def calls(self) -> list[list[str]]:
        path = self.bin / "calls.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def instances(self) -> list[str]:
        return sorted(p.stem for p in (self.bin / "instances").glob("*.json"))

    def keeper_pids(self) -> list[int]:
        return [json.loads(p.read_text())["pid"] for p in (self.bin / "instances").glob("*.json")]


@pytest.fixture
def fake_apptainer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApptainer]:
    """``apptainer`` on PATH: the fake, run by this Python."""
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir()
    program = bin_dir / "apptainer"
    program.write_text(f"#!{sys.executable}\n" + FAKE.read_text())
    program.chmod(0o755)
    image = tmp_path / "image.sif"
    image.write_bytes(b"SIF fake image")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    fake = FakeApptainer(bin=bin_dir, image=image)
    yield fake
    for pid in fake.keeper_pids():  # instances a failing test did not stop
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
