"""Find secrets in text and mask them.

Three detectors feed one list of spans: the vendor patterns (:mod:`._patterns`),
``KEY=value`` assignments whose key names a secret (``.env``, shell, YAML, JSON, TOML,
HTTP headers, command-line flags) and the exact values of this machine's secret
environment variables. Overlapping spans are resolved by priority, then the text is
rebuilt once. A masked secret keeps its vendor prefix and, when long enough, its last four
characters (``sk-proj-…a1b2``), so people can tell which key it was without learning it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ._names import SECRET_WORD, is_password_name, is_placeholder, is_secret_name, looks_secret
from ._patterns import PATTERNS, SecretPattern

ELLIPSIS = "…"
_SUFFIX = 4
#: A secret must be at least this long to keep its last characters in the mask.
_MIN_FOR_SUFFIX = 16

# An assignment: the name around a secret word, a separator, then a quoted or bare value.
_KEYWORD_RE = re.compile(SECRET_WORD, re.I)
_NAME_CHAR = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
# After the name: "=", ":", ":=" or "=>" (with the name's closing quote, escaped or not),
# then a value in quotes (escaped quotes too, as in JSON inside JSON) or a bare word.
_ASSIGN_SEP = r"""[\\"']*[ \t]*(?::=|=>|=|:)[ \t]*"""
_VALUE = r"""(?:(?P<q>\\?["'])(?P<quoted>(?:(?!(?P=q)).){1,1024}?)(?P=q)|(?P<bare>[^\s"'\\,;{}\[\]<>()`]{1,1024}))"""
_VALUE_RE = re.compile(_ASSIGN_SEP + _VALUE)
# "--password value" and 'Token "value"': a space is the separator.
_SPACED_VALUE_RE = re.compile(r"[ \t]+" + _VALUE)


@dataclass(frozen=True)
class Redacted:
    """One masked secret: what kind, where, and how it was shown."""

    kind: str
    description: str
    start: int
    end: int
    mask: str


@dataclass
class Redaction:
    """The outcome of :meth:`Redactor.redact`."""

    text: str
    secrets: list[Redacted] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.secrets)


@dataclass
class _Span:
    start: int
    end: int
    kind: str
    description: str
    priority: int
    keep: int
    suffix: bool


class Redactor:
    """Masks secrets. Build once (it compiles its patterns and collects the machine's
    secret values); ``redact`` is thread-safe.

    :param values: exact secret values to mask wherever they appear (the scanner passes
        the values of secret-named environment variables).
    """

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._patterns: list[tuple[SecretPattern, re.Pattern[str]]] = [
            (p, re.compile(p.pattern, re.I if p.case_insensitive else 0)) for p in PATTERNS
        ]
        self._values: set[str] = set()
        self._values_re: re.Pattern[str] | None = None
        self.add_values(values)

    @property
    def values(self) -> frozenset[str]:
        """The exact values this redactor masks."""
        return frozenset(self._values)

    def add_values(self, values: Iterable[str]) -> None:
        """Also mask these exact values (longest first, so a value never hides a longer one)."""
        new = {v for v in values if v and len(v) >= 8} - self._values
        if not new:
            return
        self._values |= new
        ordered = sorted(self._values, key=len, reverse=True)
        self._values_re = re.compile("|".join(re.escape(v) for v in ordered))

    # -----------------------------------------------------------------------------------

    def redact(self, text: str) -> Redaction:
        """``text`` with every secret found replaced by its mask."""
        if not text:
            return Redaction(text)
        spans = self._pattern_spans(text) + self._assignment_spans(text) + self._value_spans(text)
        if not spans:
            return Redaction(text)
        chosen = _resolve(spans)
        out: list[str] = []
        secrets: list[Redacted] = []
        last = 0
        for span in chosen:
            secret = text[span.start:span.end]
            mask = mask_secret(secret, keep=span.keep, suffix=span.suffix)
            out.append(text[last:span.start])
            out.append(mask)
            secrets.append(Redacted(span.kind, span.description, span.start, span.end, mask))
            last = span.end
        out.append(text[last:])
        return Redaction("".join(out), secrets)

    def _pattern_spans(self, text: str) -> list[_Span]:
        spans: list[_Span] = []
        lowered: str | None = None
        for pattern, regex in self._patterns:
            if pattern.triggers:
                if pattern.case_insensitive:
                    if lowered is None:
                        lowered = text.lower()
                    if not any(t.lower() in lowered for t in pattern.triggers):
                        continue
                elif not any(t in text for t in pattern.triggers):
                    continue
            for m in regex.finditer(text):
                group = m.lastindex or 0 if pattern.group == -1 else pattern.group
                start, end = m.span(group)
                if start < 0 or end - start < 3:
                    continue
                secret = text[start:end]
                if text[end : end + 1] == ELLIPSIS or _looks_placeholder(secret, pattern.keep, short_ok=not pattern.suffix):
                    continue  # already masked ("sk_live_…0UIC"), or a placeholder
                spans.append(_Span(start, end, pattern.id, pattern.description, pattern.priority, pattern.keep, pattern.suffix))
        return spans

    def _assignment_spans(self, text: str) -> list[_Span]:
        spans: list[_Span] = []
        n = len(text)
        seen_names: set[int] = set()
        for m in _KEYWORD_RE.finditer(text):
            # Widen to the whole name: OPENAI_API_KEY, db.password, x-api-key, "apiKey".
            start, end = m.start(), m.end()
            while start > 0 and text[start - 1] in _NAME_CHAR:
                start -= 1
            while end < n and text[end] in _NAME_CHAR:
                end += 1
            if start in seen_names:
                continue
            seen_names.add(start)
            raw_name = text[start:end]
            name = raw_name.strip(".-")
            if not is_secret_name(name):
                continue
            v = _VALUE_RE.match(text, end)
            if v is None and raw_name.startswith("-"):  # a command-line flag: --password value
                v = _SPACED_VALUE_RE.match(text, end)
            if v is None:
                continue
            group = "quoted" if v.group("quoted") is not None else "bare"
            value = v.group(group)
            password = is_password_name(name)
            if not looks_secret(value, password=password):
                continue
            vstart, vend = v.span(group)
            spans.append(_Span(vstart, vend, "assignment", f"value of {name}", 40, 0, not password))
        return spans

    def _value_spans(self, text: str) -> list[_Span]:
        if self._values_re is None:
            return []
        return [
            _Span(m.start(), m.end(), "environment", "value of a secret environment variable", 30, 0, True)
            for m in self._values_re.finditer(text)
        ]


def _resolve(spans: list[_Span]) -> list[_Span]:
    """Non-overlapping spans, preferring higher priority, then longer, then earlier."""
    spans.sort(key=lambda s: (-s.priority, -(s.end - s.start), s.start))
    taken: list[tuple[int, int]] = []
    chosen: list[_Span] = []
    for span in spans:
        if any(span.start < e and s < span.end for s, e in taken):
            continue
        taken.append((span.start, span.end))
        chosen.append(span)
    chosen.sort(key=lambda s: s.start)
    return chosen


def _looks_placeholder(secret: str, keep: int, *, short_ok: bool = False) -> bool:
    # "ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "sk-...", "${PASSWORD}": documentation,
    # not keys. Passwords (short_ok) may be short, so only placeholders are skipped.
    if ELLIPSIS in secret:
        return True
    if short_ok:
        return is_placeholder(secret)
    return len(set(secret[keep:].lower())) <= 4


def mask_secret(secret: str, *, keep: int = 0, suffix: bool = True) -> str:
    """``sk-proj-…a1b2``: the kept prefix, an ellipsis, and the last four characters of a
    long secret (none for short ones and passwords)."""
    if "\n" in secret:  # a PEM body: keep the BEGIN and END lines readable
        return "\n" + ELLIPSIS + "redacted" + ELLIPSIS + "\n"
    if "\\n" in secret:  # the same, JSON-escaped (a tool result inside a trajectory)
        return "\\n" + ELLIPSIS + "redacted" + ELLIPSIS + "\\n"
    prefix = secret[:keep]
    body = secret[keep:]
    if suffix and len(body) >= _MIN_FOR_SUFFIX:
        return f"{prefix}{ELLIPSIS}{body[-_SUFFIX:]}"
    return f"{prefix}{ELLIPSIS}" if prefix else f"{ELLIPSIS}"
