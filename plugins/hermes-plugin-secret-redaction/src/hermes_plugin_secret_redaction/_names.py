"""Which names hold secrets, and which values are real secrets rather than placeholders.

Shared by the ``KEY=value`` detector and the environment-variable collector, so a name
that is masked in a ``.env`` file is also the one whose live value is masked anywhere.
"""

from __future__ import annotations

import re

#: A word inside a name that marks it as holding a secret.
SECRET_WORD = (
    r"api[_-]?key|apikey|secret|token|passw(?:or)?d|passwd|pwd|passphrase|private[_-]?key|access[_-]?key|"
    r"auth[_-]?key|credentials?|cookie|session[_-]?(?:key|token|secret)|client[_-]?secret|signing[_-]?key|"
    r"encryption[_-]?key|master[_-]?key|bearer|dsn|connection[_-]?string|conn[_-]?str|webhook[_-]?url|"
    r"license[_-]?key|app[_-]?key|account[_-]?key|shared[_-]?key|sas[_-]?token|pat|pass|auth"
)
_SECRET_NAME_RE = re.compile(r"(?:^|[^a-z0-9])(?:" + SECRET_WORD + r")s?(?=$|[^a-z])")
_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
# Names that contain a secret word but describe something else: counts and limits of LLM
# tokens, file paths, URLs, identifiers, types, flags.
_NOT_SECRET_NAME_RE = re.compile(
    r"(?:^|[_.\-\s])(?:max|min|num|count|total|limit|limits|len|length|size|type|types|path|paths|file|files|dir|"
    r"url|uri|endpoint|host|name|names|id|ids|format|prefix|suffix|header|field|env|var|mode|enabled|enable|disable|"
    r"disabled|expiry|expires|expiration|ttl|timeout|usage|used|budget|cost|policy|rotation|version|kind|class|"
    r"encoding|algorithm|alg|provider|source|hint|label|description|help|index|offset|ratio|rate|window|estimate|"
    r"estimated|tokenizer|tokenize|tokenized|per|input|output|remaining|lifetime|location|store|"
    r"storage|manager|helper|command|cmd|required|optional|present|valid|validation|strength|hash|hashed|method|"
    r"scheme|strategy|backend|plugin|flow|domain|server|user|username|email|login|realm|level|"
    r"salt|label|placeholder|example|sample|template|pattern|regex)(?:$|[_.\-\s])|"
    r"^(?:max|num|n)[_-]?tokens?|tokens?[_-]?(?:count|used|limit|usage|per|in|out)",
)
_PASSWORD_RE = re.compile(r"passw(?:or)?d|passwd|pwd|passphrase", re.I)
_PLACEHOLDER_RE = re.compile(
    r"^(?:\$\{\{.*\}\}|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|%[A-Za-z_][A-Za-z0-9_]*%|<[^<>]*>|\{\{.*\}\}|\{[^{}]*\}|\*+|x{3,}|"
    r"X{3,}|\.{3,}|.*….*|-+|_+|changeme|change[-_ ]?me|replace[-_ ]?me|todo|tbd|fixme|your[-_ ].*|your[A-Z_].*|"
    r"my[-_ ].*|example.*|sample.*|dummy.*|fake.*|test|testing|placeholder|redacted|\[redacted\]|\[hidden\]|masked|"
    r"none|null|nil|true|false|yes|no|on|off|undefined|empty|secret|password|passwd|token|api[_-]?key|key|"
    r"%\(.+\)s|os\.environ.*|os\.getenv.*|process\.env.*|getenv\(.*|env\(.*|env\..*|secrets\..*|vault:.*|"
    r"ref\+.*|!.*|\(.*\)|\[.*\])$",
    re.I,
)
_PATH_LIKE_RE = re.compile(r"^(?:/|~/|\./|\.\./|[A-Za-z]:\\)|\.(?:pem|key|crt|cer|json|txt|p12|pfx|ya?ml|env|conf|ini|toml)$",
                           re.I)


def is_secret_name(name: str) -> bool:
    """Whether a variable, key or header name looks like it holds a secret."""
    if not name or len(name) > 80:
        return False
    name = _CAMEL_RE.sub("_", name.strip("\"'")).lower()  # apiKey -> api_key
    return _SECRET_NAME_RE.search(name) is not None and _NOT_SECRET_NAME_RE.search(name) is None


def is_password_name(name: str) -> bool:
    return _PASSWORD_RE.search(name) is not None


def is_placeholder(value: str) -> bool:
    """``${VAR}``, ``<your key>``, ``xxxx``, ``changeme``, ``None``, ... are not secrets."""
    value = value.strip()
    if not value:
        return True
    if _PLACEHOLDER_RE.match(value):
        return True
    return len(set(value.lower())) <= 3  # "xxxxxxxx", "00000000", "abababab"


def looks_secret(value: str, *, password: bool = False) -> bool:
    """Whether ``value`` is plausibly a real secret for a secret-looking name.

    Passwords can be anything that is not a placeholder (at least 4 characters). Keys and
    tokens are random strings: at least 8 characters, with a digit or mixed case, and not
    a file path or a plain word.
    """
    value = value.strip()
    if is_placeholder(value) or len(value) > 1024:
        return False
    if password:
        return len(value) >= 4
    if len(value) < 8 or _PATH_LIKE_RE.search(value):
        return False
    if value.isdigit() and len(value) < 16:
        return False
    if len(value) >= 16 and len(set(value)) < 8:  # "ghp_XXXXXXXX...": a placeholder with a prefix
        return False
    has_digit = any(c.isdigit() for c in value)
    mixed = any(c.islower() for c in value) and any(c.isupper() for c in value)
    return has_digit or mixed or len(value) >= 24
