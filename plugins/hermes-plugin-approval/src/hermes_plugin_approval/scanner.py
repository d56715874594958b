"""The ``dangerous-commands`` scanner: judges a shell command before it runs."""

from __future__ import annotations

from hermes_core.types import ScanContext, ScanResult, Verdict

from ._analyzer import Analyzer
from ._context import Findings
from ._records import initial_state

SCANNER_NAME = "dangerous-commands"


class CommandScanner:
    """Parses a command as a shell would, unwraps what runs inside it and reports what it
    would do: ``block`` for the hardline rules, ``ask`` for the dangerous ones (see
    :mod:`hermes_plugin_approval.rules`).

    Stateless between calls: each scan starts from a fresh shell state, so it is safe to
    share one instance between threads.
    """

    def scan(self, text: str, ctx: ScanContext) -> ScanResult:
        """Judge ``text`` (one command line or a script)."""
        if not text or not text.strip():
            return ScanResult(verdict=Verdict.ALLOW, scanner=SCANNER_NAME)
        findings = Findings()
        try:
            Analyzer(findings).run_text(text, initial_state())
        except RecursionError:
            findings.add("obfuscated-command", "is nested too deeply to be read", text)
        except Exception as exc:  # noqa: BLE001 - a bug here must not let a command through unseen
            findings.add("obfuscated-command", f"could not be analyzed ({type(exc).__name__}: {exc}); "
                                               f"approve it only if you know what it does", text)
        return ScanResult(verdict=findings.verdict(), findings=findings.items, scanner=SCANNER_NAME)
