"""The ``outbound`` scanner: text leaving hermes (logs, trajectories, gateway replies) is
returned with its secrets masked."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from hermes_core.types import Finding, ScanContext, ScanResult, Verdict

from ._environment import machine_secrets
from .redactor import Redaction, Redactor

NAME = "secret-redaction"


class SecretRedactionScanner:
    """Masks secrets in outbound text. The verdict is WARN when something was masked (the
    text itself may go out once rewritten), ALLOW otherwise.

    :param environ: extra variable mappings whose secret values to mask, on top of the
        process environment and ``$HERMES_HOME/.env`` (read when the scanner is built).
    """

    name = NAME

    def __init__(self, environ: Iterable[Mapping[str, str]] = (), *, redactor: Redactor | None = None) -> None:
        self.redactor = redactor or Redactor(machine_secrets(environ))

    def scan(self, text: str, ctx: ScanContext) -> ScanResult:
        """Mask the secrets in ``text`` (``text`` is set on the result when any were found)."""
        redaction = self.redactor.redact(text)
        if not redaction.changed:
            return ScanResult(verdict=Verdict.ALLOW, scanner=NAME)
        return ScanResult(verdict=Verdict.WARN, findings=_findings(redaction), text=redaction.text, scanner=NAME)


def _findings(redaction: Redaction) -> list[Finding]:
    # One finding per kind of secret; the excerpt shows the masks, never a secret.
    by_kind: dict[str, list[str]] = {}
    descriptions: dict[str, str] = {}
    for secret in redaction.secrets:
        by_kind.setdefault(secret.kind, []).append(secret.mask)
        descriptions.setdefault(secret.kind, secret.description)
    return [
        Finding(
            rule=f"secret.{kind}",
            message=f"masked {len(masks)} {descriptions[kind] if len(masks) == 1 else descriptions[kind] + '(s)'}",
            severity="high",
            verdict=Verdict.WARN,
            excerpt=", ".join(masks[:5])[:100],
        )
        for kind, masks in by_kind.items()
    ]
