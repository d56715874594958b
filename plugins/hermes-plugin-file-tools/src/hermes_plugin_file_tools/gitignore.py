"""``.gitignore`` rules, as git reads them.

* blank lines and ``#`` comments are skipped; ``\\#`` and ``\\!`` are literal;
  trailing spaces are dropped unless escaped;
* ``!pattern`` re-includes what an earlier rule excluded;
* ``pattern/`` matches directories only;
* a pattern with a ``/`` at its start or in its middle is anchored to the folder of its
  ``.gitignore``; without one it matches a name at any depth below that folder;
* the last matching rule wins, and rules in deeper ``.gitignore`` files beat shallower ones.

A file inside an ignored directory cannot be re-included: the walker never enters
ignored directories, which gives git's behaviour for free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .globs import translate


@dataclass(frozen=True)
class Rule:
    """One compiled line of an ignore file."""

    pattern: str
    regex: re.Pattern[str]
    negated: bool
    dir_only: bool


def parse(text: str) -> list[Rule]:
    """The rules in the text of an ignore file, in order."""
    rules = []
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if not line or line.startswith("#"):
            continue
        while line.endswith(" ") and not line.endswith("\\ "):
            line = line[:-1]
        if not line:
            continue
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        line = line.lstrip("/") if line.startswith("/") else line
        prefix = "^" if anchored else "^(?:.*/)?"
        rules.append(Rule(raw, re.compile(prefix + translate(line) + "$"), negated, dir_only))
    return rules


@dataclass(frozen=True)
class IgnoreFile:
    """The rules of one ignore file and the folder (relative to the walk's base) they
    apply below, as a ``/``-terminated prefix (``""`` for the base itself)."""

    base: str
    rules: tuple[Rule, ...]

    def verdict(self, rel: str, is_dir: bool) -> bool | None:
        """True (ignored), False (re-included) or None (no rule matches) for ``rel``."""
        if not rel.startswith(self.base):
            return None
        local = rel[len(self.base):]
        for rule in reversed(self.rules):
            if rule.dir_only and not is_dir:
                continue
            if rule.regex.match(local):
                return not rule.negated
        return None


class IgnoreChain:
    """The ignore files in force for one folder: its own and its ancestors'. Immutable:
    entering a folder makes a new chain sharing the parent's files."""

    def __init__(self, files: tuple[IgnoreFile, ...] = ()) -> None:
        self.files = files

    def with_file(self, base: str, rules: list[Rule]) -> IgnoreChain:
        return IgnoreChain(self.files + (IgnoreFile(base, tuple(rules)),)) if rules else self

    def with_folder(self, folder: Path, base: str, name: str = ".gitignore") -> IgnoreChain:
        """This chain plus ``folder/name`` if that file exists and can be read."""
        try:
            text = (folder / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return self
        return self.with_file(base, parse(text))

    def ignored(self, rel: str, is_dir: bool) -> bool:
        """Whether ``rel`` (``/``-separated, relative to the walk's base) is ignored."""
        for ignore_file in reversed(self.files):
            verdict = ignore_file.verdict(rel, is_dir)
            if verdict is not None:
                return verdict
        return False
