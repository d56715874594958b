"""The shape of a detection rule, and the helpers the rule tables are written with."""

from __future__ import annotations

from dataclasses import dataclass

from hermes_core.types import Verdict

BLOCK = Verdict.BLOCK
WARN = Verdict.WARN

#: What a single space in a pattern stands for: any run of whitespace, markdown emphasis
#: or block-quote marks, so ``ignore **all** previous`` and wrapped lines still match.
GAP = r"[\s*_>]+"


@dataclass(frozen=True, slots=True)
class Rule:
    """One pattern, with what a match means.

    Patterns are matched against the folded view (lower case, look-alikes made ASCII) unless
    ``cased``. A space in ``pattern`` means :data:`GAP`; write ``\\s`` where a single
    whitespace character is meant. A rule only runs near one of its ``triggers``
    (lower-case literals every match contains), which keeps ordinary text fast.
    """

    id: str
    category: str
    message: str
    pattern: str
    triggers: tuple[str, ...]
    verdict: Verdict = WARN
    severity: str = "medium"
    #: Verdict when the target is ``skill`` (None: same as ``verdict``).
    skill_verdict: Verdict | None = None
    #: Targets the rule applies to (None: every target).
    targets: frozenset[str] | None = None
    #: A match quoted as an example ("phrases such as 'ignore previous instructions'")
    #: is talked about, not asked for: the verdict drops to WARN.
    mention: bool = False
    #: A negation just before the match ("never ignore your rules") drops it to WARN.
    negatable: bool = False
    #: Match against the case-preserving text instead of the folded view.
    cased: bool = False
    #: Name of a refinement in :mod:`._context` that may change or drop a match's verdict.
    check: str | None = None
    #: Match against the view with single line breaks read as spaces (for sentences that
    #: wrap across lines); blank lines still end a match.
    flat: bool = False
    #: How far before a trigger a match may start, and after it end (characters).
    before: int = 120
    after: int = 320

    def verdict_for(self, target: str) -> Verdict:
        if target == "skill" and self.skill_verdict is not None:
            return self.skill_verdict
        return self.verdict

    def applies_to(self, target: str) -> bool:
        return self.targets is None or target in self.targets


def expand_gaps(pattern: str) -> str:
    """Replace each literal space outside character classes with :data:`GAP`."""
    out: list[str] = []
    in_class = False
    escaped = False
    for i, ch in enumerate(pattern):
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif in_class:
            out.append(ch)
            # "]" right after "[" or "[^" is a literal member, not the end of the class
            if ch == "]" and not (pattern[i - 1] == "[" or pattern[i - 2 : i] == "[^"):
                in_class = False
        elif ch == "[":
            out.append(ch)
            in_class = True
        elif ch == " ":
            out.append(GAP)
        else:
            out.append(ch)
    return "".join(out)


def strip_leading_boundaries(pattern: str) -> tuple[str, bool]:
    """Drop ``\\b`` at the start of each top-level alternative.

    A leading ``\\b`` stops Python's regex engine from skipping ahead to the literal a
    pattern starts with, which makes it several times slower. The scanner checks the
    boundary itself on each match instead. Returns the pattern and whether any was dropped.
    """
    out: list[str] = []
    depth = 0
    in_class = False
    dropped = False
    i = 0
    branch_start = True
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            if branch_start and depth == 0 and not in_class and pattern[i + 1 : i + 2] == "b":
                dropped = True
                i += 2
                continue
            out.append(pattern[i : i + 2])
            i += 2
            branch_start = False
            continue
        if in_class:
            if ch == "]" and not (pattern[i - 1] == "[" or pattern[i - 2 : i] == "[^"):
                in_class = False
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        out.append(ch)
        branch_start = depth == 0 and ch == "|" and not in_class
        i += 1
    return "".join(out), dropped


def alt(*words: str) -> str:
    """A non-capturing alternation."""
    return "(?:" + "|".join(words) + ")"
