"""Detection and false-positive rates on the corpora, printed at the end of the run."""

from __future__ import annotations

import time

import pytest
from hermes_core.types import ScanContext, Verdict


def _verdicts(scanner, docs):  # noqa: ANN001, ANN202
    out = []
    for doc in docs:
        result = scanner.scan(doc.text, ScanContext(target=doc.target, source=doc.id))
        out.append((doc, result.verdict, [f"{f.rule}:{f.verdict.value}" for f in result.findings]))
    return out


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / whole:.1f}%"


def test_detects_the_attack_corpus(scanner, injections, record_rate) -> None:  # noqa: ANN001
    assert len(injections) >= 200
    results = _verdicts(scanner, injections)
    missed = [(d.id, v.value, f) for d, v, f in results if v != Verdict.BLOCK]
    flagged = sum(1 for _, v, _ in results if v != Verdict.ALLOW)
    detected = len(results) - len(missed)
    record_rate("injection detection (BLOCK)", _pct(detected, len(results)))
    record_rate("injection flagged (WARN or BLOCK)", _pct(flagged, len(results)))
    assert detected / len(results) >= 0.95, f"missed: {missed}"


def test_ordinary_documents_pass(scanner, ordinary, record_rate) -> None:  # noqa: ANN001
    assert len(ordinary) >= 200
    results = _verdicts(scanner, ordinary)
    blocked = [(d.id, f) for d, v, f in results if v == Verdict.BLOCK]
    warned = sum(1 for _, v, _ in results if v == Verdict.WARN)
    record_rate("ordinary documents false positives (BLOCK)", _pct(len(blocked), len(results)))
    record_rate("ordinary documents with a warning (pass)", _pct(warned, len(results)))
    assert len(blocked) / len(results) <= 0.02, f"blocked: {blocked}"


def test_reports_held_out_sets(scanner, corpora, record_rate) -> None:  # noqa: ANN001
    # Held-out sets estimate generalisation; see the comments at the top of each file for
    # what was measured before they were used (the README keeps those first numbers).
    for name in ("injections-holdout.txt", "holdout2-injections.txt"):
        results = _verdicts(scanner, corpora.holdout(name))
        blocked = sum(1 for _, v, _ in results if v == Verdict.BLOCK)
        record_rate(f"held-out attacks {name} (BLOCK)", _pct(blocked, len(results)))
    results = _verdicts(scanner, corpora.holdout("holdout2-ordinary.txt"))
    blocked = [d.id for d, v, _ in results if v == Verdict.BLOCK]
    record_rate("held-out ordinary documents (BLOCK)", _pct(len(blocked), len(results)))
    assert not blocked


@pytest.mark.parametrize("target", ["skill", "context_file"])
def test_third_party_skills_are_not_blocked(scanner, corpora, target, record_rate) -> None:  # noqa: ANN001
    files = corpora.skill_files()
    if not files:
        pytest.skip(f"{corpora.skills_dir} is not available")
    blocked, warned = [], 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        result = scanner.scan(text, ScanContext(target=target, source=str(path)))
        if result.verdict == Verdict.BLOCK:
            blocked.append((str(path), [f.rule for f in result.findings if f.verdict == Verdict.BLOCK]))
        elif result.verdict == Verdict.WARN:
            warned += 1
    record_rate(f"third-party skills as {target!r}", f"{len(files)} files, {len(blocked)} blocked, {warned} warned")
    assert not blocked


def _cpu_rate(scanner, texts: list[str], target: str) -> float:  # noqa: ANN001
    size = sum(len(t) for t in texts)
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        for text in texts:
            scanner.scan(text, ScanContext(target=target))
        best = min(best, time.process_time() - start)
    return size / 1e6 / max(best, 1e-9)


def test_throughput_on_ordinary_text(scanner, corpora, ordinary, record_rate) -> None:  # noqa: ANN001
    # CPU time, not wall time: the test suite shares the machine with other work.
    ours = "\n\n".join(d.text for d in ordinary)
    dense = (ours * (1_000_000 // len(ours) + 1))[:1_000_000]
    rate_dense = _cpu_rate(scanner, [dense], "context_file")
    rate_docs = _cpu_rate(scanner, [d.text for d in ordinary] * 2, "context_file")
    record_rate("throughput, 1 MB of the ordinary corpus (dense in trigger words)", f"{rate_dense:.1f} MB/s (CPU time)")
    record_rate("throughput, ordinary corpus document by document (~240 B each)", f"{rate_docs:.1f} MB/s (CPU time)")
    files = corpora.skill_files()
    if files:
        real = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)
        rate_real = _cpu_rate(scanner, [real], "skill")
        record_rate(f"throughput, third-party skills as one {len(real) / 1e6:.1f} MB document", f"{rate_real:.1f} MB/s (CPU time)")
        assert rate_real >= 2.0
    assert rate_dense >= 1.5
