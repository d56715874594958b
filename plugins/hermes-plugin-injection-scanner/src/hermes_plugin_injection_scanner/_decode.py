"""Encoded blobs (base64, hex, escape sequences, URL-encoding, character-code lists)
decoded back to text, so hidden instructions and commands can be scanned like any other.

Only decodings that come out as readable text are kept: a PNG in a data URI, a git SHA
or a SHA-256 digest decode to noise and are dropped cheaply.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import re
from dataclasses import dataclass
from urllib.parse import unquote

# One pass finds every run that could be base64, base64url or hex; each run is then
# classified by the characters it uses.
_BLOB_RE = re.compile(r"[A-Za-z0-9+/_-]{24,}={0,2}")
_BLOB_EDGE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-")
_HEX_CHARS = frozenset("0123456789abcdefABCDEF")
# Each starts with a literal so the regex engine can skip ahead quickly.
_ESCAPED_RES = (
    re.compile(r"\\x[0-9A-Fa-f]{2}(?:\\x[0-9A-Fa-f]{2}){5,}"),
    re.compile(r"\\u00[0-9A-Fa-f]{2}(?:\\u00[0-9A-Fa-f]{2}){5,}"),
    re.compile(r"\\[0-3][0-7]{2}(?:\\[0-3][0-7]{2}){5,}"),
)
_URLENC_RE = re.compile(r"%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2}){7,}")
_CHARCODES_RE = re.compile(r"(?:fromCharCode|chr|bytes|bytearray|\[char\[\]\])\s*\(?\s*\[?\s*((?:\d{2,3}\s*,\s*){5,}\d{2,3})")
_MAX_BLOBS = 200
_MAX_BLOB_CHARS = 200_000
_PROBE_CHARS = 4096


@dataclass
class Decoded:
    """One encoded blob: where it is, how it was encoded and what it says."""

    encoding: str
    start: int
    end: int
    text: str


def readable(data: bytes) -> str | None:
    """``data`` as text if it is mostly printable UTF-8 with some letters, else None."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text:
        return None
    printable = sum(1 for c in text if c.isprintable() or c in "\n\r\t")
    letters = sum(1 for c in text if c.isalpha())
    if printable / len(text) < 0.9 or letters < max(4, len(text) // 5):
        return None
    return text


def _b64(blob: str, altchars: bytes | None = None) -> str | None:
    blob = blob.rstrip("=")
    probe = blob[: _PROBE_CHARS - _PROBE_CHARS % 4]
    try:
        head = base64.b64decode(probe + "=" * (-len(probe) % 4), altchars=altchars)
    except (binascii.Error, ValueError):
        return None
    if readable(head[:3000]) is None and readable(head) is None:
        return None
    full = blob[:_MAX_BLOB_CHARS]
    try:
        data = base64.b64decode(full + "=" * (-len(full) % 4), altchars=altchars)
    except (binascii.Error, ValueError):
        return None
    return readable(data)


def _unescape(raw: str) -> str | None:
    """``\\x41\\x42``, ``\\u0041\\u0042`` or ``\\101\\102`` as text."""
    try:
        if raw[1] == "x":
            data = bytes(int(raw[i + 2 : i + 4], 16) for i in range(0, len(raw), 4))
        elif raw[1] == "u":
            data = bytes(int(raw[i + 4 : i + 6], 16) for i in range(0, len(raw), 6))
        else:
            data = bytes(int(raw[i + 1 : i + 4], 8) for i in range(0, len(raw), 4))
    except ValueError:
        return None
    return readable(data)


def find_encoded(text: str) -> list[Decoded]:
    """Every encoded blob in ``text`` that decodes to readable text."""
    found: list[Decoded] = []
    seen: set[tuple[int, int]] = set()

    def add(encoding: str, m: re.Match[str], decoded: str | None) -> None:
        if decoded and m.span() not in seen and len(found) < _MAX_BLOBS:
            seen.add(m.span())
            found.append(Decoded(encoding, m.start(), m.end(), decoded))

    for m in _BLOB_RE.finditer(text):
        if len(found) >= _MAX_BLOBS:
            break
        blob = m.group(0)
        if m.start() > 0 and text[m.start() - 1] in _BLOB_EDGE:
            continue
        core = blob.rstrip("=")
        if len(core) >= 32 and len(core) % 2 == 0 and set(core) <= _HEX_CHARS:
            try:
                add("hex", m, readable(bytes.fromhex(core[:_MAX_BLOB_CHARS])))
            except ValueError:
                pass
            continue
        # Identifiers, paths and words glued together are not base64: real payloads mix
        # upper case, lower case and digits.
        if core.isalpha() or core.islower() or core.isupper() or "//" in core:
            continue
        if "-" in core or "_" in core:
            if "+" not in core and "/" not in core and len(core) >= 32:
                add("base64url", m, _b64(core, altchars=b"-_"))
        elif len(core) >= 24:
            add("base64", m, _b64(core))
    escapes = [rx.finditer(text) for rx in _ESCAPED_RES] if "\\" in text else []
    for m in itertools.chain.from_iterable(escapes):
        add("escaped", m, _unescape(m.group(0)))
    if "%" in text:
        for m in _URLENC_RE.finditer(text):
            add("url-encoded", m, readable(unquote(m.group(0)).encode("utf-8", "replace")))
    if "fromCharCode" in text or "chr(" in text or "bytes(" in text or "[char[]]" in text:
        for m in _CHARCODES_RE.finditer(text):
            try:
                data = bytes(int(n) for n in re.split(r"\s*,\s*", m.group(1)) if int(n) < 256)
            except ValueError:
                continue
            add("char-codes", m, readable(data))
    return found
