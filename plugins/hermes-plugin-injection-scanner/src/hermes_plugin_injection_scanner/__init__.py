"""hermes scanner plugin: prompt injection, exfiltration and persistence in text that
enters the system prompt, memory or skills (and tool results, when configured).

This entry module imports only ``hermes_core``; the rules compile when the kernel first
asks for the scanner (``ScannerSpec.factory``), once per host.
"""

from __future__ import annotations

from hermes_core import ScannerSpec, hookimpl

#: What the scanner judges (``hermes_core.types.ScanTarget``).
TARGETS = frozenset({"context_file", "memory", "skill", "tool_result"})


def make_scanner():  # noqa: ANN201 - returns scanner.InjectionScanner, imported lazily
    """Build the scanner (the spec's factory)."""
    from .scanner import InjectionScanner

    return InjectionScanner()


@hookimpl
def hermes_scanners():
    """Register the injection scanner for context files, memory, skills and tool results."""
    yield ScannerSpec(
        name="injection-scanner",
        description="prompt injection, hidden unicode, exfiltration, secret reads and persistence",
        factory=make_scanner,
        targets=TARGETS,
        order=50,
    )
