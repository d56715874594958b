"""Conformance suite for scanners.

Subclass :class:`ScannerConformance`, implement ``make_scanner()`` and list the
``targets`` it serves; give samples in ``flagged`` (must not come back ``allow``) and
``clean`` (must come back ``allow`` or ``warn``). The suite also checks robustness: empty
and huge input, odd unicode, and that rewrites are strings.
"""

from __future__ import annotations

import time
from typing import Any

from hermes_core.types import ScanContext, ScanResult, Verdict


class ScannerConformance:
    targets: tuple[str, ...] = ()
    flagged: tuple[str, ...] = ()
    clean: tuple[str, ...] = ()
    #: Seconds a 1 MB input may take.
    max_seconds_per_megabyte: float = 2.0

    def make_scanner(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def scan(self, text: str, target: str | None = None) -> ScanResult:
        target = target or (self.targets[0] if self.targets else "context_file")
        result = self.make_scanner().scan(text, ScanContext(target=target, source="conformance"))
        assert isinstance(result, ScanResult), f"scan returned {type(result).__name__}"
        if result.text is not None:
            assert isinstance(result.text, str)
        return result

    def test_declares_targets(self) -> None:
        assert self.targets, "set `targets` to what the scanner serves"

    def test_flags_what_it_should(self) -> None:
        missed = [s for s in self.flagged if Verdict(self.scan(s).verdict) == Verdict.ALLOW]
        assert not missed, f"not flagged: {missed}"

    def test_passes_clean_text(self) -> None:
        wrong = [s for s in self.clean if Verdict(self.scan(s).verdict).rank >= Verdict.ASK.rank]
        assert not wrong, f"flagged clean text: {wrong}"

    def test_empty_and_whitespace(self) -> None:
        for text in ("", " ", "\n\n"):
            assert Verdict(self.scan(text).verdict) in (Verdict.ALLOW, Verdict.WARN)

    def test_odd_unicode_does_not_crash(self) -> None:
        for text in ("\ud7ff\ue000\U0010ffff", "e\u0301\u200d\ufeff", "\x00\x01\x7f", "😀" * 1000):
            self.scan(text)

    def test_large_input_is_fast(self) -> None:
        text = ("A perfectly ordinary line of a long document, number 12345.\n" * 17000)[:1_000_000]
        start = time.perf_counter()
        self.scan(text)
        assert time.perf_counter() - start < self.max_seconds_per_megabyte

    def test_every_target(self) -> None:
        for target in self.targets:
            self.scan("hello world", target)
