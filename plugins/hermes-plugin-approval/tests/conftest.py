"""Shared fixtures for hermes-plugin-approval's tests, and the corpus report.

The corpus tests put their numbers (detection rate, false-positive rate, the benign
commands that were flagged, scan latency) into ``approval_report``; the
``pytest_terminal_summary`` hook prints them at the end of every run, ``-q`` included, so
CI logs show them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def load_dangerous() -> list[tuple[str, str]]:
    """(expected verdict, command) pairs from the dangerous corpus."""
    entries = []
    for number, line in enumerate((HERE / "approval_corpus_dangerous.txt").read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        label, _, command = line.partition(" ")
        assert label in ("block", "ask"), f"approval_corpus_dangerous.txt:{number}: bad label {label!r}"
        entries.append((label, command.replace("⏎", "\n")))
    return entries


def load_benign() -> list[str]:
    """Commands from the benign corpus."""
    return [line.replace("⏎", "\n") for line in (HERE / "approval_corpus_benign.txt").read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


@pytest.fixture(scope="session")
def dangerous_corpus() -> list[tuple[str, str]]:
    return load_dangerous()


@pytest.fixture(scope="session")
def benign_corpus() -> list[str]:
    return load_benign()


class _Report(dict):
    """What a corpus test puts in is formatted at once and handed to the test kit's
    ``hermes_report``, which prints it at the end of the run (under xdist too)."""

    def __init__(self, emit) -> None:  # noqa: ANN001
        super().__init__()
        self._emit = emit

    def __setitem__(self, key: str, value: dict) -> None:
        super().__setitem__(key, value)
        for line in _report_lines(key, value):
            self._emit("hermes-plugin-approval: command scanner corpus", line)


@pytest.fixture
def approval_report(hermes_report) -> dict:  # noqa: ANN001
    """A dict the corpus tests fill; printed at the end of the run."""
    return _Report(hermes_report)


@pytest.fixture
def scan():  # noqa: ANN201 - returns a function
    """``scan(command)`` -> ScanResult, through a fresh scanner."""
    from hermes_core.types import ScanContext
    from hermes_plugin_approval.scanner import CommandScanner

    scanner = CommandScanner()
    return lambda command: scanner.scan(command, ScanContext(target="command", source="terminal"))


def _report_lines(key: str, value: dict) -> list[str]:
    lines: list[str] = []
    write = lines.append
    if key == "dangerous":
        d = value
        write(f"dangerous corpus: {d['total']} commands ({d['block']} hardline, {d['ask']} ask)")
        write(f"  detection rate (block or ask): {d['detected'] / d['total']:.2%} ({d['detected']}/{d['total']})")
        write(f"  hardline entries blocked:      {d['blocked'] / d['block']:.2%} ({d['blocked']}/{d['block']})")
        write(f"  verdict exactly as labelled:   {d['exact'] / d['total']:.2%} ({d['exact']}/{d['total']})")
        for label, command, got in d["missed"]:
            write(f"  MISSED ({label}, got {got}): {command!r}")
    elif key == "benign":
        b = value
        write(f"benign corpus: {b['total']} commands")
        write(f"  false-positive rate (ask or block): {b['flagged'] / b['total']:.2%} "
              f"({b['ask']} ask, {b['block']} block)")
        if b["examples"]:
            for command, verdict, rules in b["examples"]:
                write(f"  FLAGGED ({verdict}: {rules}): {command!r}")
        else:
            write("  flagged benign commands: none")
    elif key == "latency":
        lat = value
        write(f"scan latency over {lat['count']} corpus commands (best of 3 runs each): p50 {lat['p50'] * 1000:.3f} ms, "
              f"p95 {lat['p95'] * 1000:.3f} ms, p99 {lat['p99'] * 1000:.3f} ms, max {lat['max'] * 1000:.2f} ms")
    return lines
