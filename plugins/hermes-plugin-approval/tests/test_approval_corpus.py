"""The scanner against its corpora: every dangerous command flagged (hardline ones
blocked), at most 1% of the everyday commands flagged, and fast. The numbers are printed
in the terminal summary (see conftest.py)."""

from __future__ import annotations

import statistics
import time

from hermes_core.types import Verdict


def test_corpora_are_big_enough(dangerous_corpus, benign_corpus) -> None:
    assert len(dangerous_corpus) >= 300
    assert sum(1 for label, _ in dangerous_corpus if label == "block") >= 100
    assert sum(1 for label, _ in dangerous_corpus if label == "ask") >= 100
    assert len(benign_corpus) >= 1000


def test_corpora_have_no_duplicates(dangerous_corpus, benign_corpus) -> None:
    commands = [command for _, command in dangerous_corpus]
    assert len(set(commands)) == len(commands), "duplicate entries in the dangerous corpus"
    assert len(set(benign_corpus)) == len(benign_corpus), "duplicate entries in the benign corpus"
    assert not set(commands) & set(benign_corpus), "a command is in both corpora"


def test_dangerous_corpus(dangerous_corpus, scan, approval_report) -> None:
    missed = []
    detected = blocked = exact = 0
    for label, command in dangerous_corpus:
        verdict = Verdict(scan(command).verdict)
        detected += verdict in (Verdict.ASK, Verdict.BLOCK)
        blocked += label == "block" and verdict == Verdict.BLOCK
        exact += verdict.value == label
        if verdict.value != label:
            missed.append((label, command, verdict.value))
    approval_report["dangerous"] = {
        "total": len(dangerous_corpus),
        "block": sum(1 for label, _ in dangerous_corpus if label == "block"),
        "ask": sum(1 for label, _ in dangerous_corpus if label == "ask"),
        "detected": detected, "blocked": blocked, "exact": exact, "missed": missed,
    }
    assert detected == len(dangerous_corpus), f"not flagged: {[m for m in missed if m[2] == 'allow']}"
    assert not missed, f"verdicts differing from their labels: {missed}"


def test_benign_corpus(benign_corpus, scan, approval_report) -> None:
    flagged = []
    for command in benign_corpus:
        result = scan(command)
        if Verdict(result.verdict) in (Verdict.ASK, Verdict.BLOCK):
            flagged.append((command, Verdict(result.verdict).value, sorted({f.rule for f in result.findings})))
    blocked = [f for f in flagged if f[1] == "block"]
    approval_report["benign"] = {
        "total": len(benign_corpus), "flagged": len(flagged), "block": len(blocked),
        "ask": len(flagged) - len(blocked), "examples": flagged,
    }
    assert not blocked, f"benign commands blocked: {blocked}"
    assert len(flagged) <= len(benign_corpus) // 100, f"more than 1% of benign commands flagged: {flagged}"


def test_scan_latency(dangerous_corpus, benign_corpus, scan, approval_report) -> None:
    commands = [command for _, command in dangerous_corpus] + benign_corpus
    scan("warm up")  # the first scan builds the parser tables and record schemas
    times = []
    for command in commands:
        best = float("inf")
        for _ in range(3):  # best of three: the machine running CI is shared
            start = time.perf_counter()
            scan(command)
            best = min(best, time.perf_counter() - start)
        times.append(best)
    times.sort()
    quantiles = statistics.quantiles(times, n=100)
    approval_report["latency"] = {"count": len(times), "p50": quantiles[49], "p95": quantiles[94],
                                  "p99": quantiles[98], "max": times[-1]}
    # generous bounds: CI machines are shared; the printed numbers are the measurement
    assert quantiles[49] < 0.001
    assert quantiles[94] < 0.005
