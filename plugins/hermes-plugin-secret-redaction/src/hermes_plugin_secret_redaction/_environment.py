"""The live secrets of this machine: values of secret-named environment variables.

They come from the process environment and from ``$HERMES_HOME/.env`` (where hermes keeps
API keys), read when a redactor is built. Masking their exact values catches secrets that
have no recognisable shape (a self-hosted endpoint's key, a database password).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from ._names import is_password_name, is_secret_name, looks_secret

_MIN_LENGTH = 8


def read_dotenv(path: Path) -> dict[str, str]:
    """``KEY=value`` lines of a ``.env`` file (quotes stripped, comments and errors ignored)."""
    values: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return values
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[name.strip()] = value
    return values


def hermes_dotenv(environ: Mapping[str, str]) -> Path:
    """``$HERMES_HOME/.env`` (default ``~/.hermes/.env``)."""
    home = environ.get("HERMES_HOME")
    return (Path(home).expanduser() if home else Path.home() / ".hermes") / ".env"


def secret_values(variables: Mapping[str, str]) -> set[str]:
    """Values of the secret-named variables among ``variables`` worth masking."""
    found = set()
    for name, value in variables.items():
        if not is_secret_name(name) or len(value) < _MIN_LENGTH:
            continue
        if looks_secret(value, password=is_password_name(name)):
            found.add(value)
    return found


def machine_secrets(extra: Iterable[Mapping[str, str]] = ()) -> set[str]:
    """Secret values from ``os.environ``, ``$HERMES_HOME/.env`` and any ``extra`` mappings."""
    values = secret_values(os.environ)
    values |= secret_values(read_dotenv(hermes_dotenv(os.environ)))
    for mapping in extra:
        values |= secret_values(mapping)
    return values
