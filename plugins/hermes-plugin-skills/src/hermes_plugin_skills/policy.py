"""The security scan of a skill's files and the trust policy that acts on it.

Every text file is scanned on its own with ``host.scan(text, "skill", source=...)`` (the
injection scanner, this plugin's guard and any other scanner for skills). What happens
next depends on where the skill comes from:

========== ==================================================================
bundled    installs; findings are shown as warnings
trusted    installs; findings are shown as warnings (``skills.trusted_sources``)
community  installs when nothing serious is found; ``ask``/``block`` findings need --force
agent      written only when nothing serious is found; otherwise refused with the reason
========== ==================================================================
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from hermes_core.types import Verdict

from .model import FileFinding, ScanReport

Trust = Literal["bundled", "trusted", "community", "agent"]
#: Files larger than this are not read for scanning; they are reported instead.
MAX_SCAN_BYTES = 2_000_000
_SKIP_DIRS = {".git", "__pycache__", "node_modules", ".venv"}


def scan_texts(host: Any, files: dict[str, str], *, label: str, session: Any = None) -> ScanReport:
    """Scan each ``{relative path: text}`` separately and merge the outcomes."""
    report = ScanReport(files=len(files))
    worst = Verdict.ALLOW
    for relative, text in files.items():
        result = host.scan(text, "skill", source=f"{label}/{relative}", session=session)
        for finding in result.findings:
            verdict = Verdict(finding.verdict)
            report.findings.append(FileFinding(file=relative, rule=finding.rule, message=finding.message,
                                               severity=finding.severity, verdict=verdict.value, excerpt=finding.excerpt))
        if Verdict(result.verdict).rank > worst.rank:
            worst = Verdict(result.verdict)
    report.verdict = worst.value
    return report


def read_folder_texts(folder: Path) -> tuple[dict[str, str], list[FileFinding]]:
    """Every text file under ``folder`` (relative path -> text), and notes about files
    that could not be scanned (binary files under ``scripts/``, oversized files)."""
    texts: dict[str, str] = {}
    notes: list[FileFinding] = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part in _SKIP_DIRS for part in relative.parts) or path.is_symlink() or not path.is_file():
            continue
        name = relative.as_posix()
        try:
            size = path.stat().st_size
            if size > MAX_SCAN_BYTES:
                notes.append(FileFinding(file=name, rule="unscanned-large-file", verdict="warn",
                                         message=f"not scanned: {size:,} bytes is over the {MAX_SCAN_BYTES:,}-byte limit"))
                continue
            data = path.read_bytes()
        except OSError as exc:
            notes.append(FileFinding(file=name, rule="unreadable-file", verdict="warn", message=f"not scanned: {exc}"))
            continue
        if b"\x00" in data[:8192]:
            if relative.parts and relative.parts[0] == "scripts":
                notes.append(FileFinding(file=name, rule="binary-script", verdict="ask", severity="high",
                                         message="a binary file under scripts/ cannot be reviewed"))
            continue
        texts[name] = data.decode("utf-8", errors="replace")
    return texts, notes


def scan_folder(host: Any, folder: Path, *, label: str, session: Any = None) -> ScanReport:
    """Scan every file of a skill folder."""
    texts, notes = read_folder_texts(folder)
    report = scan_texts(host, texts, label=label, session=session)
    report.findings.extend(notes)
    report.files += len(notes)
    for note in notes:
        if Verdict(note.verdict).rank > Verdict(report.verdict).rank:
            report.verdict = note.verdict
    return report


def decide(report: ScanReport, trust: Trust, *, force: bool = False) -> tuple[bool, str]:
    """``(allowed, explanation)`` for a skill with this scan report and origin."""
    serious = report.serious
    if not serious:
        return True, ""
    reason = report.reason()
    if trust in ("bundled", "trusted"):
        return True, f"installed from a {trust} source despite: {reason}"
    if trust == "community":
        if force:
            return True, f"installed with --force despite: {reason}"
        return False, f"the security scan found: {reason}. Review the files; install anyway with --force"
    return False, f"the security scan found: {reason}"
