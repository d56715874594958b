"""Corpora for the secret-redaction tests, and the summary that prints the measured rates.

``corpus/secrets.jsonl`` holds random fake secrets in realistic contexts and
``corpus/lookalikes.jsonl`` strings that resemble secrets but are not (both made by
``corpus/make_secret_corpora.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "corpus"


def _jsonl(name: str) -> list[dict]:
    return [json.loads(line) for line in (CORPUS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def secrets() -> list[dict]:
    return _jsonl("secrets.jsonl")


@pytest.fixture(scope="session")
def lookalikes() -> list[dict]:
    return _jsonl("lookalikes.jsonl")


@pytest.fixture
def redactor():  # noqa: ANN201
    from hermes_plugin_secret_redaction.redactor import Redactor

    return Redactor()


@pytest.fixture
def record_rate(hermes_report):  # noqa: ANN001, ANN201
    """``record_rate(name, text)`` adds a line to the end-of-run summary (the test kit's
    ``hermes_report``, which also works under pytest-xdist)."""

    def record(name: str, text: str) -> None:
        hermes_report("hermes-plugin-secret-redaction: measured rates", f"{name}: {text}")

    return record
