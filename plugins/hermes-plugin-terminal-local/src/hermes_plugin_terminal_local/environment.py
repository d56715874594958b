"""The shell's environment: this process's, minus what looks like a secret."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping

from hermes_core.shell import ENV_JOB, ENV_SHELL_ID


def _matches(name: str, patterns: Iterable[str]) -> bool:
    upper = name.upper()
    return any(fnmatch.fnmatchcase(upper, pattern.upper()) for pattern in patterns)


def is_secret_name(name: str, secret_patterns: Iterable[str], passthrough: Iterable[str] = ()) -> bool:
    """Whether ``name`` is kept out of the shell (a secret not explicitly passed through)."""
    return _matches(name, secret_patterns) and not _matches(name, passthrough)


def child_environment(
    base: Mapping[str, str],
    *,
    secret_patterns: Iterable[str],
    passthrough: Iterable[str] = (),
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """``base`` without secrets, with ``extra`` on top.

    The protocol's own markers are dropped too: a hermes running inside a hermes shell must
    not hand the outer session's job tokens to its shells.
    """
    patterns = list(secret_patterns)
    allowed = list(passthrough)
    env = {
        name: value
        for name, value in base.items()
        if name not in (ENV_JOB, ENV_SHELL_ID) and not is_secret_name(name, patterns, allowed)
    }
    env.update(extra or {})
    return env
