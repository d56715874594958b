"""Invisible and bidirectional characters, and the folded view the rules match against.

Two jobs, both length-aware:

* :func:`strip_invisible` removes characters a reader cannot see (zero-width characters,
  bidi controls, Unicode tag characters, runs of variation selectors) and decodes the
  text some of them smuggle (tag characters spell ASCII; variation selectors encode
  bytes). Legitimate uses are left alone: emoji ZWJ sequences, ZWNJ/ZWJ inside scripts
  that need them, LRM/RLM in right-to-left text, subdivision-flag tag sequences, single
  emoji variation selectors, a leading BOM.
* :func:`fold` gives a lower-cased view of the same length where look-alike letters
  (fullwidth, mathematical alphanumerics, Cyrillic and Greek homoglyphs, small capitals),
  typographic quotes, dashes and odd spaces become their ASCII twins, so one set of
  patterns catches ``ＩＧＮＯＲＥ``, ``𝐢𝐠𝐧𝐨𝐫𝐞`` and ``іgnоrе``. Same length matters:
  a match in the view is an excerpt at the same offsets in the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Always invisible and never needed in prose or code (zero-width space, word joiner,
# invisible math operators, Mongolian vowel separator, Hangul fillers, deprecated
# format characters, musical formatting, soft hyphen, combining grapheme joiner).
_ALWAYS_INVISIBLE = frozenset(
    [0x200B, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x180E, 0x115F, 0x1160, 0x3164, 0xFFA0,
     0x17B4, 0x17B5, 0x00AD, 0x034F, 0xFEFF]
    + list(range(0x206A, 0x2070))
    + list(range(0x1D173, 0x1D17B))
)
_JOINERS = frozenset([0x200C, 0x200D])  # ZWNJ, ZWJ: legitimate in emoji and many scripts
_BIDI_MARKS = frozenset([0x200E, 0x200F, 0x061C])  # LRM, RLM, ALM: legitimate in RTL text
_BIDI_EMBED = frozenset([0x202A, 0x202B, 0x202C, 0x2066, 0x2067, 0x2068, 0x2069])
_BIDI_OVERRIDE = frozenset([0x202D, 0x202E])  # never needed; the "Trojan Source" pair
_TAG_FIRST, _TAG_LAST = 0xE0000, 0xE007F
_VS_FIRST, _VS_LAST = 0xFE00, 0xFE0F
_VSS_FIRST, _VSS_LAST = 0xE0100, 0xE01EF
_BLACK_FLAG = 0x1F3F4  # starts emoji subdivision flags (England, Scotland, Wales)

#: Any character :func:`strip_invisible` may have to look at.
SUSPECT_RE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0"
    "\U000e0000-\U000e007f\U000e0100-\U000e01ef\U0001d173-\U0001d17a]"
)
_RTL_RE = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


@dataclass
class Stripped:
    """What :func:`strip_invisible` found and removed."""

    text: str
    #: Code points removed, by kind (``zero-width``, ``bidi``, ``tag``, ``variation``).
    removed: dict[str, list[int]] = field(default_factory=dict)
    #: Text smuggled in tag characters or variation-selector runs, decoded.
    hidden: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.removed.values())


def _is_pictographic(ch: str) -> bool:
    cp = ord(ch)
    return cp >= 0x1F000 or 0x2190 <= cp <= 0x2BFF or cp in (0xFE0F, 0x20E3, 0x00A9, 0x00AE)


def _is_complex_script_letter(ch: str) -> bool:
    # ZWNJ/ZWJ shape Arabic, Persian, Indic and other scripts; Latin, Greek and Cyrillic
    # (the scripts used to spell the patterns we look for) never need them.
    return ord(ch) >= 0x0590 and ch.isalpha() and not (0x1D400 <= ord(ch) <= 0x1D7FF)


def _is_subdivision_flag(prev: str, run: str) -> bool:
    # 🏴 + tag letters/digits + CANCEL TAG is an emoji subdivision flag (England, Wales).
    return (
        prev != "" and ord(prev) == _BLACK_FLAG and len(run) >= 2 and ord(run[-1]) == 0xE007F
        and all(0xE0061 <= ord(c) <= 0xE007A or 0xE0030 <= ord(c) <= 0xE0039 for c in run[:-1])
    )


def strip_invisible(text: str) -> Stripped:
    """Remove invisible characters that carry no legitimate meaning where they stand."""
    if text.isascii() or SUSPECT_RE.search(text) is None:
        return Stripped(text)
    has_rtl = _RTL_RE.search(text) is not None
    out: list[str] = []
    removed: dict[str, list[int]] = {}
    hidden: list[str] = []
    copied = 0  # text[:copied] is already in ``out``
    consumed = 0  # runs (tags, selectors) already judged up to here
    n = len(text)
    for match in SUSPECT_RE.finditer(text):
        i = match.start()
        if i < consumed:
            continue
        cp = ord(text[i])
        prev = text[i - 1] if i > 0 else ""
        nxt = text[i + 1] if i + 1 < n else ""
        end = i + 1
        if cp in _ALWAYS_INVISIBLE:
            if cp == 0xFEFF and i == 0:
                continue  # a byte-order mark at the start is just an encoding artefact
            kind = "zero-width"
        elif cp in _JOINERS:
            if (prev and (_is_pictographic(prev) or _is_complex_script_letter(prev))) or (
                nxt and (_is_pictographic(nxt) or _is_complex_script_letter(nxt))
            ):
                continue
            kind = "zero-width"
        elif cp in _BIDI_MARKS or cp in _BIDI_EMBED:
            if has_rtl:
                continue
            kind = "bidi"
        elif cp in _BIDI_OVERRIDE:
            kind = "bidi"
        elif _TAG_FIRST <= cp <= _TAG_LAST:
            while end < n and _TAG_FIRST <= ord(text[end]) <= _TAG_LAST:
                end += 1
            consumed = end
            run = text[i:end]
            if _is_subdivision_flag(prev, run):
                continue
            decoded = "".join(chr(ord(c) - _TAG_FIRST) for c in run if 0xE0020 <= ord(c) <= 0xE007E)
            if decoded.strip():
                hidden.append(decoded)
            kind = "tag"
        else:  # variation selectors
            while end < n and (_VS_FIRST <= ord(text[end]) <= _VS_LAST or _VSS_FIRST <= ord(text[end]) <= _VSS_LAST):
                end += 1
            consumed = end
            if end - i == 1:
                continue  # one selector picks an emoji or ideograph presentation
            data = bytes(
                (ord(c) - _VS_FIRST) if ord(c) <= _VS_LAST else (ord(c) - _VSS_FIRST + 16) for c in text[i:end]
            )
            decoded = data.decode("utf-8", errors="replace")
            if decoded.strip():
                hidden.append(decoded)
            kind = "variation"
        out.append(text[copied:i])
        removed.setdefault(kind, []).extend(ord(c) for c in text[i:end])
        copied = end
    if not removed:
        return Stripped(text)
    out.append(text[copied:])
    return Stripped("".join(out), removed, hidden)


# ---------------------------------------------------------------------------------------
# The folded view
# ---------------------------------------------------------------------------------------

# Look-alikes that NFKC leaves alone: Cyrillic, Greek and Armenian letters that render
# like Latin ones, Latin small capitals and a few specials. Lower-case only: the view is
# lower-cased first.
_CONFUSABLES = {
    "а": "a", "е": "e", "ё": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
    "ї": "i", "ј": "j", "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "к": "k", "ӏ": "l",
    "α": "a", "ο": "o", "ι": "i", "κ": "k", "ν": "v", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    "ε": "e", "ѵ": "v", "օ": "o", "ո": "n", "ս": "u", "հ": "h", "ɡ": "g", "ı": "i", "ℓ": "l",
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h", "ɪ": "i",
    "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ǫ": "q", "ʀ": "r",
    "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z",
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "‟": '"',
    "″": '"', "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
    "\u00a0": " ", "\u202f": " ", "\u205f": " ", "\u3000": " ", "\u1680": " ",
}
# Blocks whose NFKC form is a single ASCII character: fullwidth forms, mathematical
# alphanumerics, circled, parenthesised and squared letters, en/em spaces.
_NFKC_RANGES = (
    (0xFF01, 0xFF5E), (0x1D400, 0x1D7FF), (0x24B6, 0x24E9), (0x249C, 0x24B5),
    (0x1F130, 0x1F149), (0x2000, 0x200A), (0x2070, 0x209C), (0x2100, 0x214F),
)
# Letters in enclosed forms NFKC does not decompose (negative squared, regional indicators).
_LETTER_RANGES = ((0x1F170, 0x1F189), (0x1F1E6, 0x1F1FF))


def build_fold_table() -> dict[int, str]:
    """The translation table behind :func:`fold` (built once per scanner)."""
    table: dict[int, str] = {ord("\u0130"): "i"}  # the one character whose lower() grows
    for first, last in _NFKC_RANGES:
        for cp in range(first, last + 1):
            folded = unicodedata.normalize("NFKC", chr(cp)).lower()
            if len(folded) == 1 and folded.isascii() and folded != chr(cp):
                table[cp] = folded
    for first, last in _LETTER_RANGES:
        for offset, cp in enumerate(range(first, last + 1)):
            table[cp] = chr(ord("a") + offset)
    for src, dst in _CONFUSABLES.items():
        table[ord(src)] = dst
    return table


_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")


def fold(text: str, table: dict[int, str]) -> str:
    """A lower-cased view of ``text`` of the same length, look-alikes made ASCII."""
    if text.isascii():
        return text.lower()
    if "\u0130" in text:  # the one character whose lower() is longer than itself
        text = text.replace("\u0130", "i")
    # translate() with a dict is slow per character; prose has short non-ASCII runs
    # (quotes, dashes, accents), so translating only those is many times faster.
    return _NON_ASCII_RE.sub(lambda m: m.group().translate(table), text.lower())


def fold_pattern(pattern: str, table: dict[int, str]) -> str:
    """Fold the non-ASCII letters of a regex so it matches the folded view (non-English
    patterns contain Cyrillic letters that the view turns into Latin look-alikes)."""
    if pattern.isascii():
        return pattern
    return "".join(table.get(ord(c), c) for c in pattern)


_LOOKALIKE_RE = re.compile(
    "[\uff01-\uff5e\U0001d400-\U0001d7ff\u24b6-\u24e9\u249c-\u24b5\U0001f130-\U0001f149"
    "\U0001f170-\U0001f189\u1d00-\u1d22\ua730\ua731\u0261\u026a\u0280\u028f\u0299\u029c\u029f\u0274\u0262"
    "]"
)
_MIXED_SCRIPT_RE = re.compile(
    "[A-Za-z][\u0370-\u03ff\u0400-\u04ff\u0530-\u058f]|[\u0370-\u03ff\u0400-\u04ff\u0530-\u058f][A-Za-z]"
)


def disguised(span: str) -> bool:
    """Whether a matched span uses look-alike letters (mixed scripts inside a word, or
    fullwidth/mathematical letters): a sign the wording was disguised on purpose."""
    if span.isascii():
        return False
    return _LOOKALIKE_RE.search(span) is not None or _MIXED_SCRIPT_RE.search(span) is not None


def describe_codepoints(codepoints: list[int], limit: int = 4) -> str:
    """``U+200B ×3, U+202E`` for an excerpt."""
    counts: dict[int, int] = {}
    for cp in codepoints:
        counts[cp] = counts.get(cp, 0) + 1
    parts = [f"U+{cp:04X}" + (f" x{n}" if n > 1 else "") for cp, n in list(counts.items())[:limit]]
    if len(counts) > limit:
        parts.append("...")
    return ", ".join(parts)
