"""Detection and wrong-redaction rates on the corpora, printed at the end of the run."""

from __future__ import annotations

import time


def leaked(output: str, secret: str) -> bool:
    """The secret, or any 12-character piece of it, is still in the output."""
    if secret in output:
        return True
    width = 12
    return len(secret) >= width and any(secret[i : i + width] in output for i in range(len(secret) - width + 1))


def test_masks_the_secret_corpus(redactor, secrets, record_rate) -> None:  # noqa: ANN001
    assert len(secrets) >= 100
    missed = [(s["id"], s["text"][:80]) for s in secrets if leaked(redactor.redact(s["text"]).text, s["secret"])]
    caught = len(secrets) - len(missed)
    kinds = len({s["kind"] for s in secrets})
    record_rate("secrets masked", f"{caught}/{len(secrets)} = {100 * caught / len(secrets):.1f}% ({kinds} kinds)")
    assert caught / len(secrets) >= 0.95, missed


def test_leaves_look_alikes_alone(redactor, lookalikes, record_rate) -> None:  # noqa: ANN001
    assert len(lookalikes) >= 200
    wrong = [(r["id"], r["text"][:60], redactor.redact(r["text"]).text[:60]) for r in lookalikes
             if redactor.redact(r["text"]).changed]
    record_rate("look-alikes wrongly redacted", f"{len(wrong)}/{len(lookalikes)} = {100 * len(wrong) / len(lookalikes):.1f}%")
    assert len(wrong) / len(lookalikes) <= 0.02, wrong


def test_reports_the_held_out_secrets(redactor, record_rate) -> None:  # noqa: ANN001
    # Hand-written after the rules were tuned, in formats the generator does not make;
    # the README keeps the first measurement (before these cases improved the rules).
    import json
    from pathlib import Path

    path = Path(__file__).parent / "corpus" / "secrets-holdout.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    caught = sum(1 for r in records if not leaked(redactor.redact(r["text"]).text, r["secret"]))
    record_rate("held-out secrets masked", f"{caught}/{len(records)} = {100 * caught / len(records):.1f}%")


def test_throughput(redactor, secrets, lookalikes, record_rate) -> None:  # noqa: ANN001
    # Ordinary text with a sprinkling of secrets, CPU time (the machine is shared).
    prose = (
        "The deploy finished at 10:12 and the health check passed. Logs are in /var/log/app; the\n"
        "request id was 5f0c2a1e and the build used commit 9f3c2d1. Next: update the changelog.\n"
    )
    chunk = prose * 40 + "\n".join(r["text"] for r in lookalikes[:20]) + "\n" + secrets[0]["text"] + "\n"
    text = (chunk * (1_000_000 // len(chunk) + 1))[:1_000_000]
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        redactor.redact(text)
        best = min(best, time.process_time() - start)
    rate = 1.0 / best
    record_rate("throughput, 1 MB of log-like text", f"{rate:.1f} MB/s (CPU time)")
    assert rate >= 2.0
