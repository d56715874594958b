"""The injection scanner: runs the rule tables over a text and decides a verdict.

How a scan goes:

1. invisible characters are stripped (the rewritten text is returned) and what they
   smuggle (tag characters, variation-selector runs) is decoded;
2. every rule whose target matches runs near its trigger words, on the folded view;
3. each match is read in context: quoted as an example or negated (downgraded to WARN),
   rule-specific refinements (conditionals, code blocks, untrusted hosts);
4. encoded blobs (base64, hex, escapes) are decoded and scanned the same way;
5. escalation: a match made only by removing invisible characters, a match spelled with
   look-alike letters, a match inside hidden HTML, or weak signals of different kinds
   together (concealment plus anything, an override plus an action, ...) become BLOCK.

The verdict is the most severe finding's. Findings are one per rule, with the rule's
stable id and message and a short excerpt of the first match.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

from hermes_core.types import Finding, ScanContext, ScanResult, Verdict

from . import _decode, _unicode
from ._context import BENIGN_NOTES, CHECKS, is_mention, is_negated
from ._regions import Spans, code_spans, hidden_regions
from ._rule import Rule, expand_gaps, strip_leading_boundaries
from ._rules_action import ACTION_RULES
from ._rules_speech import SPEECH_RULES
from ._triggers import Trigger, TriggerScan, TriggerTable, make_trigger

#: Every rule the scanner runs, in reporting order.
RULES: tuple[Rule, ...] = tuple(SPEECH_RULES + ACTION_RULES)
#: Targets the scanner serves.
TARGETS = frozenset({"context_file", "memory", "skill", "tool_result"})

#: Categories whose matches are instructions (as opposed to invisible characters).
_INSTRUCTION_CATEGORIES = frozenset({"override", "role", "conceal", "address", "exfil", "secret", "persist", "danger"})
#: Categories that are harmful when hidden from a human reader.
_HIDDEN_HARM = _INSTRUCTION_CATEGORIES - {"address"}
_SPEECH = frozenset({"override", "role", "address"})
_ACTION = frozenset({"exfil", "secret", "persist", "danger", "conceal"})
_MAX_DEPTH = 2
_IMPERATIVE_RE = re.compile(
    r"\b(?:you must|you should|you will|you are|please|do not|don'?t|always|never|ignore|instead|make sure|"
    r"remember to|assistant|ai model|language model|when summari[sz]ing|summari[sz]ers?|in your summary|claim that|"
    r"state that|say that|tell the user)\b"
)
# Hidden text that *talks to* an AI (a vocative, a modal aimed at it, "if you are an AI",
# "when summarizing"), not hidden text that merely names one (a hidden "AI Assistant" menu).
_AI_ADDRESS_RE = re.compile(
    r"\b(?:ai|a\.i\.|llm|assistant|model|language model|chatbot|bot|agent|claude|chatgpt|gpt|copilot|gemini|hermes)s?"
    r"\s*[:,](?!\S)|\b(?:ai|llm|assistant|model|agent|bot|summari[sz]er)s?\s+(?:must|should|will|needs? to|is (?:required|"
    r"instructed|asked) to)\b|\bif you(?:'re| are) an? (?:ai|llm|language model|assistant|bot|agent|model)\b|"
    r"\bwhen (?:you(?:'re| are)? )?summari[sz]|\bin your summary\b|\b(?:to|for) (?:any|the|all) (?:ai|llm|assistant|model|"
    r"agent|summari[sz]er)s?\b"
)
_CODEISH_RE = re.compile(
    r"https?://|/bin/|\bimport\s|\bcurl\b|\bwget\b|\bsh\s+-c|\beval\b|\bexec\b|powershell|\brm\s+-|\bchmod\b|\bssh\b|"
    r"\btoken\b|\bpassword\b|\bsubprocess\b|\bsocket\b"
)
_SOFT_BREAK_RE = re.compile(r"(?<=\S)[ \t]*\n(?=[ \t]*\S)")
_ZW_AS_SPACE_RE = re.compile("[\u200b\u2060\ufeff\u180e]")
_SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


@dataclass
class _Compiled:
    rule: Rule
    pattern: str
    triggers: tuple[Trigger, ...]
    #: The pattern started with ``\b`` (checked on each match, see strip_leading_boundaries).
    word_start: bool
    _regex: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        # Compiled on first use: a scan only wakes rules whose triggers occur, and
        # compiling all ~200 patterns up front would cost every hermes start ~100 ms.
        if self._regex is None:
            self._regex = re.compile(self.pattern, re.M)
        return self._regex


@dataclass
class Hit:
    """One match of one rule."""

    rule: Rule
    start: int
    end: int
    verdict: Verdict
    #: Why a match was judged harmless ("quoted as an example", "negated"); such matches
    #: stay WARN and never take part in escalation.
    note: str = ""


class _Scan:
    """One text being scanned: its folded view, trigger positions and lazily computed regions."""

    def __init__(self, body: str, view: str, table: TriggerTable) -> None:
        self.body = body
        self.view = view
        self.triggers = TriggerScan(view, table)
        self._flat: str | None = None
        self.windows: dict[tuple[tuple[str, ...], int, int], list[tuple[int, int]]] = {}
        self._code: Spans | None = None

    @property
    def flat(self) -> str:
        """The view with single line breaks as spaces (same length; blank lines kept)."""
        if self._flat is None:
            self._flat = _SOFT_BREAK_RE.sub(lambda m: " " * len(m.group()), self.view) if "\n" in self.view else self.view
        return self._flat

    @property
    def code(self) -> Spans:
        if self._code is None:
            self._code = code_spans(self.view)
        return self._code


class InjectionScanner:
    """Finds prompt injection, exfiltration and persistence in text entering the prompt,
    memory or skills. Build one per host (compiling the rules takes a few milliseconds);
    ``scan`` is thread-safe."""

    name = "injection-scanner"

    def __init__(self, *, disabled_rules: frozenset[str] | set[str] = frozenset()) -> None:
        self._fold_table = _unicode.build_fold_table()
        self._rules: list[_Compiled] = []
        for rule in RULES:
            if rule.id in disabled_rules:
                continue
            pattern, word_start = strip_leading_boundaries(
                expand_gaps(_unicode.fold_pattern(rule.pattern, self._fold_table))
            )
            triggers = tuple(make_trigger(t) for t in dict.fromkeys(_unicode.fold(t, self._fold_table) for t in rule.triggers))
            self._rules.append(_Compiled(rule, pattern, triggers, word_start))
        self._trigger_table = TriggerTable.build([t for c in self._rules for t in c.triggers])
        # Which rules each trigger can wake up, so a scan only visits rules whose triggers
        # occur (a short document wakes a handful of the ~200 rules).
        self._by_anchor: dict[str, list[int]] = {}
        self._by_literal: dict[str, list[int]] = {}
        for i, compiled in enumerate(self._rules):
            for trigger in compiled.triggers:
                table = self._by_anchor if trigger.anchor else self._by_literal
                key = trigger.anchor or trigger.text
                if i not in table.setdefault(key, []):
                    table[key].append(i)

    # -----------------------------------------------------------------------------------
    # Public
    # -----------------------------------------------------------------------------------

    def scan(self, text: str, ctx: ScanContext) -> ScanResult:
        """Judge ``text`` for ``ctx.target``; strip invisible characters (``text`` is set
        on the result when they were removed)."""
        target = ctx.target
        stripped = _unicode.strip_invisible(text)
        body = stripped.text
        scan = _Scan(body, self._fold(body), self._trigger_table)
        hits = self._match(scan, target)
        extra: list[Finding] = []

        if stripped.changed:
            extra.extend(self._invisible_findings(stripped, text, hits, target))
        self._escalate_disguised(scan, hits, extra)
        self._escalate_hidden(scan, hits, extra)
        extra.extend(self._encoded_findings(body, target, depth=0))
        self._escalate_combinations(hits, extra)

        findings = self._findings(scan, hits) + extra
        verdict = max((Verdict(f.verdict) for f in findings), key=lambda v: v.rank, default=Verdict.ALLOW)
        findings.sort(key=lambda f: (-Verdict(f.verdict).rank, -_SEVERITY_RANK.get(f.severity, 1)))
        return ScanResult(
            verdict=verdict,
            findings=findings,
            text=body if stripped.changed else None,
            scanner=self.name,
        )

    def _fold(self, text: str) -> str:
        return _unicode.fold(text, self._fold_table)

    # -----------------------------------------------------------------------------------
    # Matching
    # -----------------------------------------------------------------------------------

    def _windows(self, scan: _Scan, compiled: _Compiled) -> list[tuple[int, int]]:
        rule = compiled.rule
        key = (tuple(t.text for t in compiled.triggers), rule.before, rule.after)
        cached = scan.windows.get(key)
        if cached is not None:
            return cached
        lists = [scan.triggers.positions(t) for t in compiled.triggers if scan.triggers.present(t)]
        if not lists:
            scan.windows[key] = []
            return []
        positions = sorted(itertools.chain.from_iterable(lists)) if len(lists) > 1 else lists[0]
        merged: list[tuple[int, int]] = []
        before, after = rule.before, rule.after
        cur_start = cur_end = -1
        for i in positions:
            start = i - before
            if start <= cur_end:
                cur_end = i + after
            else:
                if cur_end >= 0:
                    merged.append((max(0, cur_start), cur_end))
                cur_start, cur_end = start, i + after
        if cur_end >= 0:
            merged.append((max(0, cur_start), cur_end))
        scan.windows[key] = merged
        return merged

    def _candidates(self, scan: _Scan) -> list[_Compiled]:
        wanted: set[int] = set()
        for anchor in scan.triggers.present_anchors():
            wanted.update(self._by_anchor.get(anchor, ()))
        for literal, rules in self._by_literal.items():
            if not wanted.issuperset(rules) and scan.triggers.contains(literal):
                wanted.update(rules)
        return [self._rules[i] for i in sorted(wanted)]

    def _match(self, scan: _Scan, target: str) -> list[Hit]:
        hits: list[Hit] = []
        view = scan.view
        for compiled in self._candidates(scan):
            rule = compiled.rule
            if not rule.applies_to(target):
                continue
            windows = self._windows(scan, compiled)
            if not windows:
                continue
            haystack = scan.body if rule.cased else scan.flat if rule.flat else view
            search = compiled.regex.search
            for start, end in windows:
                pos = start
                while True:
                    m = search(haystack, pos, end)
                    if m is None:
                        break
                    s, e = m.span()
                    pos = s + 1 if e == s else e
                    if compiled.word_start and s > 0 and _is_word(haystack[s - 1]) and _is_word(haystack[s]):
                        pos = s + 1  # not at a word boundary: look again one character on
                        continue
                    if e == s:
                        continue
                    hit = self._judge(scan, rule, s, e, target)
                    if hit is not None:
                        hits.append(hit)
        return hits

    def _judge(self, scan: _Scan, rule: Rule, start: int, end: int, target: str) -> Hit | None:
        verdict: Verdict | None = rule.verdict_for(target)
        note = ""
        if rule.check is not None:
            checked = CHECKS[rule.check](scan.view, start, end, target, verdict, scan.code)
            if checked is None:
                return None
            if checked.rank < verdict.rank and rule.check in BENIGN_NOTES:
                note = BENIGN_NOTES[rule.check]
            verdict = checked
        if verdict == Verdict.BLOCK:
            if rule.mention and is_mention(scan.view, start, scan.code):
                verdict, note = Verdict.WARN, "quoted as an example"
            elif rule.negatable and is_negated(scan.view, start):
                verdict, note = Verdict.WARN, "negated"
        return Hit(rule, start, end, verdict, note)

    # -----------------------------------------------------------------------------------
    # Escalation
    # -----------------------------------------------------------------------------------

    def _invisible_findings(self, stripped: _unicode.Stripped, raw: str, hits: list[Hit], target: str) -> list[Finding]:
        findings: list[Finding] = []
        messages = {
            "zero-width": ("unicode.zero-width", "contains invisible zero-width characters (removed)"),
            "bidi": ("unicode.bidi-control", "contains bidirectional control characters that reorder text (removed)"),
            "tag": ("unicode.tag-characters", "contains invisible Unicode tag characters (removed)"),
            "variation": ("unicode.variation-selectors", "contains runs of invisible variation selectors (removed)"),
        }
        for kind, codepoints in stripped.removed.items():
            rule, message = messages[kind]
            findings.append(Finding(rule=rule, message=message, severity="low", verdict=Verdict.WARN,
                                    excerpt=_unicode.describe_codepoints(codepoints)))
        for hidden in stripped.hidden:
            sub = self._match(_Scan(hidden, self._fold(hidden), self._trigger_table), target)
            words = re.findall(r"[^\W\d_]{2,}", hidden)
            if sub or len(words) >= 2:
                findings.append(Finding(
                    rule="unicode.hidden-text",
                    message="hides text in invisible Unicode characters that only a model reads",
                    severity="critical", verdict=Verdict.BLOCK, excerpt=_excerpt_text(hidden),
                ))
                break
        if "zero-width" in stripped.removed or "bidi" in stripped.removed:
            # Matches that only appear once invisible characters are removed were hidden
            # from a human reader (and from naive filters) on purpose. Zero-width spaces
            # may stand between words instead of spaces, so they are also read as spaces.
            raw_counts = Counter(h.rule.id for h in self._match(_Scan(raw, self._fold(raw), self._trigger_table), target))
            counts = Counter(h.rule.id for h in hits)
            spaced = _ZW_AS_SPACE_RE.sub(" ", raw)
            if spaced != raw:
                spaced_hits = self._match(_Scan(spaced, self._fold(spaced), self._trigger_table), target)
                for rid, n in Counter(h.rule.id for h in spaced_hits).items():
                    counts[rid] = max(counts.get(rid, 0), n)
            hidden_rules = {rid for rid, n in counts.items() if n > raw_counts.get(rid, 0)}
            if hidden_rules:
                for hit in hits:
                    if hit.rule.id in hidden_rules and hit.rule.category in _INSTRUCTION_CATEGORIES:
                        hit.verdict = Verdict.BLOCK
                findings.append(Finding(
                    rule="unicode.hidden-instructions",
                    message="splits instructions with invisible characters to hide them",
                    severity="critical", verdict=Verdict.BLOCK,
                    excerpt=", ".join(sorted(hidden_rules)),
                ))
        return findings

    def _escalate_disguised(self, scan: _Scan, hits: list[Hit], extra: list[Finding]) -> None:
        if scan.body.isascii():
            return
        disguised = [h for h in hits if h.rule.category in _INSTRUCTION_CATEGORIES and not h.note
                     and _unicode.disguised(scan.body[h.start:h.end])]
        for hit in disguised:
            hit.verdict = Verdict.BLOCK
        if disguised:
            extra.append(Finding(
                rule="unicode.lookalike-letters",
                message="spells instructions with look-alike letters to disguise them",
                severity="critical", verdict=Verdict.BLOCK, excerpt=_excerpt(scan.body, disguised[0].start, disguised[0].end),
            ))

    def _escalate_hidden(self, scan: _Scan, hits: list[Hit], extra: list[Finding]) -> None:
        if "<" not in scan.view and "]:" not in scan.view:
            return
        regions = hidden_regions(scan.view)
        if not regions:
            return
        hidden_hits = []
        for hit in hits:
            if hit.rule.category not in _HIDDEN_HARM or hit.note:
                continue
            for region in regions:
                if region.start <= hit.start < region.end:
                    hidden_hits.append(hit)
                    break
        for hit in hidden_hits:
            hit.verdict = Verdict.BLOCK
        if hidden_hits:
            extra.append(Finding(
                rule="html.hidden-instructions",
                message="hides instructions in an HTML comment or an invisible element",
                severity="critical", verdict=Verdict.BLOCK,
                excerpt=_excerpt(scan.body, hidden_hits[0].start, hidden_hits[0].end),
            ))
        for region in regions:
            if region.kind != "element":
                continue
            inner = scan.view[region.inner_start:region.inner_end]
            if len(inner.split()) >= 5 and _IMPERATIVE_RE.search(inner):
                # Invisible text that gives instructions *to an AI* is the textbook injection;
                # invisible text that talks to "you" is often just a hidden dialog.
                to_ai = _AI_ADDRESS_RE.search(inner) is not None
                extra.append(Finding(
                    rule="html.hidden-instructions-to-ai" if to_ai else "html.hidden-text",
                    message="hides instructions addressed to an AI in invisible HTML" if to_ai
                    else "contains invisible HTML text that addresses the reader with instructions",
                    severity="critical" if to_ai else "medium",
                    verdict=Verdict.BLOCK if to_ai else Verdict.WARN,
                    excerpt=_excerpt(scan.body, region.inner_start, region.inner_end),
                ))
                break

    def _encoded_findings(self, body: str, target: str, depth: int) -> list[Finding]:
        if depth >= _MAX_DEPTH or body.isspace():
            return []
        findings: list[Finding] = []
        for blob in _decode.find_encoded(body):
            decoded = blob.text
            clean = _unicode.strip_invisible(decoded).text
            sub_scan = _Scan(clean, self._fold(clean), self._trigger_table)
            sub_hits = self._match(sub_scan, target)
            nested = self._encoded_findings(sub_scan.body, target, depth + 1)
            worst = max((h.verdict for h in sub_hits), key=lambda v: v.rank, default=None)
            for finding in nested:
                if worst is None or Verdict(finding.verdict).rank > worst.rank:
                    worst = Verdict(finding.verdict)
            if worst is not None:
                rules = sorted({h.rule.id for h in sub_hits} | {f.rule for f in nested})
                findings.append(Finding(
                    rule="obfuscation.encoded-payload",
                    message=f"hides instructions or commands in {blob.encoding}-encoded text",
                    severity="critical" if worst == Verdict.BLOCK else "medium",
                    verdict=Verdict.BLOCK if worst == Verdict.BLOCK else Verdict.WARN,
                    excerpt=_excerpt_text(decoded) + " [" + ", ".join(rules)[:80] + "]",
                ))
            elif target == "skill" and len(blob.text) >= 24 and _CODEISH_RE.search(blob.text.lower()):
                findings.append(Finding(
                    rule="obfuscation.encoded-script",
                    message=f"contains a {blob.encoding}-encoded script or command",
                    severity="medium", verdict=Verdict.WARN, excerpt=_excerpt_text(decoded),
                ))
        return findings

    def _escalate_combinations(self, hits: list[Hit], extra: list[Finding]) -> None:
        weak = [h for h in hits if h.verdict == Verdict.WARN and h.rule.category in _INSTRUCTION_CATEGORIES and not h.note]
        kinds = {h.rule.category for h in weak}
        reasons: set[str] = set()
        if "conceal" in kinds and len(kinds) >= 2:
            reasons |= kinds
        if kinds & _SPEECH and kinds & _ACTION:
            reasons |= (kinds & _SPEECH) | (kinds & _ACTION)
        if "override" in kinds and kinds & {"address", "role"}:
            reasons |= {"override"} | (kinds & {"address", "role"})
        if "exfil" in kinds and "secret" in kinds:
            reasons |= {"exfil", "secret"}
        if not reasons:
            return
        for hit in weak:
            if hit.rule.category in reasons:
                hit.verdict = Verdict.BLOCK
        extra.append(Finding(
            rule="combo.several-signals",
            message="combines several signs of prompt injection (" + ", ".join(sorted(reasons)) + ")",
            severity="high", verdict=Verdict.BLOCK,
        ))

    # -----------------------------------------------------------------------------------
    # Reporting
    # -----------------------------------------------------------------------------------

    def _findings(self, scan: _Scan, hits: list[Hit]) -> list[Finding]:
        by_rule: dict[str, Hit] = {}
        for hit in hits:
            best = by_rule.get(hit.rule.id)
            if best is None or hit.verdict.rank > best.verdict.rank:
                by_rule[hit.rule.id] = hit
        findings = []
        for hit in by_rule.values():
            blocked = hit.verdict == Verdict.BLOCK
            severity = hit.rule.severity if blocked and hit.rule.verdict == Verdict.BLOCK else ("high" if blocked else "low" if hit.note else "medium")
            message = hit.rule.message + (f" ({hit.note})" if hit.note else "")
            findings.append(Finding(rule=hit.rule.id, message=message, severity=severity, verdict=hit.verdict,
                                    excerpt=_excerpt(scan.body, hit.start, hit.end)))
        return findings


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _excerpt_text(text: str, limit: int = 100) -> str:
    flat = " ".join(text.split())
    flat = "".join(c if c.isprintable() else f"<U+{ord(c):04X}>" for c in flat)
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _excerpt(body: str, start: int, end: int, limit: int = 100) -> str:
    """A short, single-line excerpt around a match."""
    if end - start >= limit:
        return _excerpt_text(body[start:end], limit)
    pad = (limit - (end - start)) // 4
    return _excerpt_text(body[max(0, start - pad) : end + pad], limit)
