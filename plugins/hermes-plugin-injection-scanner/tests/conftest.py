"""Corpora for the injection scanner's tests, and the summary that prints its rates.

The corpora are plain-text files in ``corpus/`` (see the comment at the top of each). This
file reads them, applies the obfuscating transforms the attack corpus asks for, and prints
the measured detection and false-positive rates at the end of every pytest run.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "corpus"
SKILLS_CORPUS = Path("/work/shared/corpus/agentskills/anthropics")
#: Where the corpus tests leave their measurements for the terminal summary.


@dataclass
class Doc:
    """One corpus record, ready to scan."""

    id: str
    target: str
    text: str
    meta: dict[str, str] = field(default_factory=dict)


def _records(path: Path) -> Iterator[tuple[str, dict[str, str], str]]:
    header: list[str] | None = None
    lines: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("=== "):
            if header is not None:
                yield header[0], dict(p.split("=", 1) for p in header[1:]), "\n".join(lines).strip("\n")
            header, lines = line[4:].split(), []
        elif header is not None:
            lines.append(line)
    if header is not None:
        yield header[0], dict(p.split("=", 1) for p in header[1:]), "\n".join(lines).strip("\n")


# ---------------------------------------------------------------------------------------
# Obfuscating transforms (each returns the payload as it appears in the document)
# ---------------------------------------------------------------------------------------

_HOMOGLYPHS = str.maketrans({"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "i": "і", "x": "х", "y": "у"})


def _split_words(text: str, mark: str) -> str:
    return re.sub(r"\b([A-Za-z]{2})([A-Za-z]{2,})", lambda m: m.group(1) + mark + m.group(2), text)


def _encode_wrapped(body: str, encode) -> str:  # noqa: ANN001 - a str -> str function
    wrapper, _, payload = body.partition("\n")
    return wrapper.replace("{ENC}", encode(payload.strip()))


def _vs_encode(text: str) -> str:
    return "🙂" + "".join(chr(0xFE00 + b) if b < 16 else chr(0xE0100 + b - 16) for b in text.encode())


TRANSFORMS = {
    "zwsp": lambda body: _split_words(body, "\u200b"),
    "wj": lambda body: _split_words(body, "\u2060"),
    "bidi": lambda body: _split_words(body, "\u202e") + "\u202c",
    "homoglyph": lambda body: body.translate(_HOMOGLYPHS),
    "fullwidth": lambda body: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in body),
    "mathbold": lambda body: "".join(
        chr(0x1D400 + ord(c) - 65) if "A" <= c <= "Z" else chr(0x1D41A + ord(c) - 97) if "a" <= c <= "z" else c
        for c in body
    ),
    "tags": lambda body: body.partition("\n")[0] + "".join(chr(0xE0000 + ord(c)) for c in body.partition("\n")[2]),
    "vs": lambda body: _vs_encode(body),
    "comment": lambda body: f"<!-- {body} -->",
    "hiddendiv": lambda body: f'<div style="display:none">{body}</div>',
    "base64": lambda body: _encode_wrapped(body, lambda p: base64.b64encode(p.encode()).decode()),
    "hex": lambda body: _encode_wrapped(body, lambda p: p.encode().hex()),
    "escaped": lambda body: _encode_wrapped(body, lambda p: "".join(f"\\x{b:02x}" for b in p.encode())),
    "urlenc": lambda body: _encode_wrapped(body, lambda p: "".join(f"%{b:02X}" for b in p.encode())),
}


def load_carriers() -> dict[str, Doc]:
    return {rid: Doc(rid, meta.get("target", "context_file"), text, meta)
            for rid, meta, text in _records(CORPUS / "carriers.txt")}


def load_injections() -> list[Doc]:
    """The attack corpus, transformed and embedded, as it will be scanned."""
    carriers = load_carriers()
    docs = []
    for rid, meta, body in _records(CORPUS / "injections.txt"):
        if "transform" in meta:
            body = TRANSFORMS[meta["transform"]](body)
        carrier = carriers.get(meta.get("carrier", ""))
        if carrier is not None:
            text = carrier.text.replace("{{PAYLOAD}}", body)
            target = meta.get("target", carrier.target)
        else:
            text, target = body, meta.get("target", "context_file")
        docs.append(Doc(rid, target, text, meta))
    return docs


def load_ordinary() -> list[Doc]:
    """Ordinary documents from every ``ordinary-*.txt`` file."""
    docs = []
    for path in sorted(CORPUS.glob("ordinary-*.txt")):
        for rid, meta, text in _records(path):
            docs.append(Doc(rid, meta.get("target", "context_file"), text, meta))
    return docs


def load_skill_files() -> list[Path]:
    """Every text file of the third-party skills corpus (empty if it is not here)."""
    if not SKILLS_CORPUS.is_dir():
        return []
    return sorted(p for p in SKILLS_CORPUS.rglob("*") if p.is_file() and p.suffix in {".md", ".txt", ".py", ".sh", ".js",
                                                                                      ".ts", ".json", ".yaml", ".yml"})


# ---------------------------------------------------------------------------------------
# Fixtures and the summary
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def scanner():  # noqa: ANN201
    from hermes_plugin_injection_scanner.scanner import InjectionScanner

    return InjectionScanner()


@pytest.fixture(scope="session")
def injections() -> list[Doc]:
    return load_injections()


@pytest.fixture(scope="session")
def ordinary() -> list[Doc]:
    return load_ordinary()


def load_holdout(name: str) -> list[Doc]:
    """A held-out corpus file (same format as injections.txt, no transforms)."""
    carriers = load_carriers()
    docs = []
    for rid, meta, body in _records(CORPUS / name):
        carrier = carriers.get(meta.get("carrier", ""))
        text = carrier.text.replace("{{PAYLOAD}}", body) if carrier else body
        docs.append(Doc(rid, meta.get("target", carrier.target if carrier else "context_file"), text, meta))
    return docs


@pytest.fixture(scope="session")
def corpora():  # noqa: ANN201
    """Loaders for the test modules (they cannot import conftest under importlib mode)."""
    import types

    return types.SimpleNamespace(holdout=load_holdout, skill_files=load_skill_files, skills_dir=SKILLS_CORPUS)


@pytest.fixture
def record_rate(hermes_report):  # noqa: ANN001, ANN201
    """``record_rate(name, text)`` adds a line to the end-of-run summary (the test kit's
    ``hermes_report``, which also works under pytest-xdist)."""

    def record(name: str, text: str) -> None:
        hermes_report("hermes-plugin-injection-scanner: measured rates", f"{name}: {text}")

    return record
