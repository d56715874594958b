"""hermes command approval: the ``dangerous-commands`` scanner for the ``command`` target.

Every command a tool with a ``command_arg`` is about to run (the ``terminal`` tool's
``command``) is parsed as a shell would parse it, unwrapped (``sudo``, ``bash -c``,
``eval``, ``xargs``, ``find -exec``, pipes into shells, interpreter one-liners...) and
judged: hardline commands (wiping ``/`` or home, formatting disks, fork bombs, shutdown)
come back ``block`` and the kernel refuses them even with approvals off; dangerous ones
come back ``ask`` and go to the approval gate.

This entry module imports only ``hermes_core``; the parser (bashlex) and the analyzer
load on the first scan.
"""

from __future__ import annotations

from hermes_core import ScannerSpec, hookimpl

__all__ = ["hermes_scanners"]


def _factory():  # noqa: ANN202 - returns a scanner.CommandScanner
    from .scanner import CommandScanner

    return CommandScanner()


@hookimpl
def hermes_scanners():  # noqa: ANN201
    """The ``dangerous-commands`` scanner."""
    yield ScannerSpec(
        name="dangerous-commands",
        description="blocks or asks before dangerous shell commands (parsed like a shell, wrappers unwrapped)",
        factory=_factory,
        targets=frozenset({"command"}),
        order=50,
    )
