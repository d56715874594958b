"""hermes scanner plugin: masks API keys, tokens, passwords and private keys in text that
leaves hermes (logs, trajectories, gateway replies), and in the ``hermes`` logs.

This entry module imports only ``hermes_core``. The patterns compile and the machine's
secret environment values are read when the kernel first asks for the scanner; the log
filter is attached when a session starts.
"""

from __future__ import annotations

from typing import Any

from hermes_core import ScannerSpec, hookimpl

#: What the scanner judges (``hermes_core.types.ScanTarget``).
TARGETS = frozenset({"outbound"})


def make_scanner():  # noqa: ANN201 - returns scanner.SecretRedactionScanner, imported lazily
    """Build the scanner (the spec's factory)."""
    from .scanner import SecretRedactionScanner

    return SecretRedactionScanner()


@hookimpl
def hermes_scanners():
    """Register the secret-redaction scanner for outbound text."""
    yield ScannerSpec(
        name="secret-redaction",
        description="masks API keys, tokens, passwords and private keys in logs, trajectories and replies",
        factory=make_scanner,
        targets=TARGETS,
        order=10,
    )


@hookimpl
def hermes_session_start(session: Any) -> None:
    """Keep secrets out of the ``hermes`` logs from the first session on.

    The host's environment includes ``$HERMES_HOME/.env``, so its keys are masked in logs
    even when they never reached the process environment.
    """
    from ._environment import secret_values
    from .logfilter import install_log_redaction
    from .redactor import Redactor

    install_log_redaction(Redactor(secret_values(getattr(session.host, "env", {}))))
