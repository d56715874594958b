"""Deciding what a response is and turning its bytes into text for the model."""

from __future__ import annotations

import codecs
import json
import re

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_APPLICATION_TYPES = frozenset({
    "application/xml", "application/javascript", "application/x-javascript", "application/ecmascript",
    "application/x-yaml", "application/yaml", "application/toml", "application/x-sh", "application/sql",
    "application/graphql", "application/x-www-form-urlencoded", "application/csv", "application/x-ndjson",
})
UNKNOWN_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/unknown"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF-", b"PK\x03\x04", b"\x1f\x8b", b"\x7fELF",
                 b"RIFF", b"OggS", b"\x00\x00\x00", b"wOFF", b"wOF2")


def media_type(content_type: str | None) -> str:
    """``text/html; charset=utf-8`` -> ``text/html``."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def kind_of(content_type: str | None, head: bytes | None = None) -> str:
    """``html``, ``json``, ``text`` or ``binary``, from the declared type and, when the
    type says nothing useful, from the first bytes."""
    mime = media_type(content_type)
    if mime in HTML_TYPES:
        return "html"
    if mime == "application/json" or mime.endswith("+json"):
        return "json"
    if mime.startswith("text/") or mime in TEXT_APPLICATION_TYPES or mime.endswith("+xml"):
        return "text"
    if mime not in UNKNOWN_TYPES:
        return "binary"
    if head is None:
        return "unknown"
    if head.startswith(_BINARY_MAGIC) or b"\x00" in head[:4096]:
        return "binary"
    start = head.lstrip()[:200].lower()
    if start.startswith((b"<!doctype html", b"<html")) or b"<html" in start:
        return "html"
    if start.startswith((b"{", b"[")):
        return "json"
    return "text"


def decode(body: bytes, content_type: str | None, kind: str) -> str:
    """The body as text: a byte-order mark, else the declared charset, else (for HTML)
    a ``<meta charset>``, else UTF-8; undecodable bytes become U+FFFD."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):].decode(codec, "replace")
    charset = None
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.IGNORECASE)
    if match:
        charset = match.group(1)
    elif kind == "html":
        meta = _META_CHARSET.search(body[:4096])
        charset = meta.group(1).decode("ascii", "ignore") if meta else None
    try:
        codec = codecs.lookup(charset or "utf-8").name
    except LookupError:
        codec = "utf-8"
    return body.decode(codec, "replace")


def pretty_json(text: str) -> tuple[str, str | None]:
    """Indented JSON, or the text as it came with the reason it could not be parsed."""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False), None
    except ValueError as exc:
        return text, f"not valid JSON ({exc}), shown as it came"


def cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a line break when one is near."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    newline = head.rfind("\n")
    return head[:newline] if newline > limit * 0.8 else head
