"""Reading a match in its surroundings: is it negated, quoted as an example, conditional,
inside code? And the rule-specific refinements named by ``Rule.check``.

Each function takes the folded view and the match's span; refinements return the verdict
to use, or None to drop the match.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from hermes_core.types import Verdict

from ._regions import Spans
from ._rules_action import SECRET_MENTION, SINK_HOSTS, STRONG_OBJ

_SENTENCE_END_RE = re.compile(r"[.!?](?=\s)|\n\s*\n|\n[ \t]*(?:[-*+]|\d+\.)\s")
_NEGATION_RE = re.compile(
    r"(?:\bnot|\bnever|n't|\bcannot|\brefuse to|\brefuses to|\bavoid|\bnor|\bprevent \w+ from|"
    r"\bstop \w+ from|\bwarn(?:s|ing)? (?:you |users )?(?:against|about)|\bbeware of|\bdetect(?:s|ing)?|\bblock(?:s|ing)?|"
    r"\bflag(?:s|ging)?|\breject(?:s|ing)?|\brefus(?:e|es|ing))\b(?:[ \t]+[^\s.!?]+){0,2}[ \t]*$"
)
_HESITATE_RE = re.compile(r"hesitate|forget|fail|wait|need|afraid|worry|shy|mind|just|simply|only|stop\b")
_QUOTE_BEFORE_RE = re.compile(r"[`\"'«‹(\[]\s*$")
_OPEN_SINGLE_RE = re.compile(r"(?:^|[\s(\[:=,])'[^']*$")
_MENTION_CUE_RE = re.compile((
    r"\b(?:such as|like|e\.?g\.?|i\.e\.|for example|for instance|examples?|phrases?|strings?|patterns?|payloads?|"
    r"attempts?|attacks?|injections?|detects?|detecting|flags?|flagging|blocks?|blocking|catch(?:es)?|recogni[sz]e[sd]?|"
    r"classic|known|typical|common|jailbreaks?|prompts? like|text (?:like|such as)|keywords?|signatures?|rules? "
    r"(?:for|against|match)|matches|matching|quoted?|corpus|says?|said|saying|wrote|writes|"
    r"containing|contains?|heuristics?|red flags?|warning signs?|look(?:s|ing)? for|watch (?:out )?for|beware|never run|"
    r"don'?t run|do not run|attackers?|malicious|adversar\w*|would run|might (?:run|write|try|include|say)|avoid|"
    r"tells? you to|telling you to|asks? you to|asking you to|instructs? you to|"
    r"wants? you to|payloads?)\b"
    r"|\w*(?:scan|check|detect|classif|flag|match|test|assert|is_injection)\w*\s*\("
).replace(" ", r"\s+"))
_CONDITION_AFTER_RE = re.compile(
    r"^\s*,?\s*(?:if|when|unless|in case|for (?:windows|mac|macos|linux|older|newer)|on (?:windows|mac|macos|linux))\b"
)
_CONDITION_BEFORE_RE = re.compile(r"\b(?:if|when|unless|once|in case|since)\b[^.!?\n]{0,80},\s*$")
_VENDOR_API_RE = re.compile(
    r"https?://(?:api|auth|oauth|oauth2|login|accounts|id|sso|identity|token)[\w-]*\.|https?://[^\s/]+/[^\s]*"
    r"(?:oauth|token|auth|login|/v\d+/)"
)
_STRONG_OBJ_RE = re.compile(STRONG_OBJ)
_QUERY_VAR_RE = re.compile(r"\$\{?([a-z0-9_]+)")
_HOST_RE = re.compile(r"https?://([^/\s?#]+)")
_VENDORS = ("openai", "anthropic", "github", "gitlab", "aws", "stripe", "slack", "google", "openrouter", "huggingface",
            "telegram", "discord", "azure", "twilio", "sendgrid", "mistral", "cohere", "groq", "notion", "linear")
_CONDITION_AI_RE = re.compile(r"\bif you(?:'re| are)\s+(?:an?\s+)?(?:ai|llm|language model|assistant|bot|agent|model)\b")
_PUBLIC_IP_RE = re.compile(
    r"https?://(?!(?:10|127)\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|0\.0\.0\.0)(?:\d{1,3}\.){3}\d{1,3}\b"
)
_PLAIN_HTTP_RE = re.compile(r"\bhttp://(?!localhost\b|127\.|0\.0\.0\.0|\[::1\]|10\.|192\.168\.)")
_UNTRUSTED_HOST_RE = re.compile(
    SINK_HOSTS + r"|\b(?:bit\.ly|tinyurl\.com|t\.co|is\.gd|goo\.gl|rb\.gy|cutt\.ly|paste\.ee|hastebin\.com|ghostbin|"
    r"rentry\.co|pastebin\.com/raw|dpaste\.|ix\.io)\b"
)


def sentence_before(view: str, start: int, limit: int = 160) -> str:
    """The part of the sentence (or list item) before ``start``, at most ``limit`` chars."""
    window = view[max(0, start - limit) : start]
    cut = 0
    for m in _SENTENCE_END_RE.finditer(window):
        cut = m.end()
    return window[cut:]


_DESCRIBED_RE = re.compile(
    r"\b(?:make|makes|making|made|get|gets|getting|trick|tricks|tricking|tricked|cause|causes|causing|convince|"
    r"convinces|convincing|persuade|persuades|lure|lures|manipulate|manipulates|force|forces|coax|coaxes)\s+"
    r"(?:a|the|an|your|our)\s+(?:\w+\s+)?(?:model|ai|assistant|bot|llm|agent|chatbot|system)s?\s+(?:to\s+|into\s+)?$"
)


def is_negated(view: str, start: int) -> bool:
    """A negation governs the match ("never ignore your rules", "blocks 'ignore ...'"), or
    the match describes what an attacker makes a model do ("make the model ignore its rules")."""
    before = sentence_before(view, start, 80)
    if _DESCRIBED_RE.search(before):
        return True
    m = _NEGATION_RE.search(before)
    return m is not None and _HESITATE_RE.search(m.group(0)) is None


def _inside_quotes(before: str) -> bool:
    if _QUOTE_BEFORE_RE.search(before[-4:]):
        return True
    return (
        before.count('"') % 2 == 1
        or before.count("`") % 2 == 1
        or before.count("“") > before.count("”")
        or before.count("«") > before.count("»")
        or _OPEN_SINGLE_RE.search(before) is not None
    )


def is_mention(view: str, start: int, code: Spans) -> bool:
    """The match is quoted as an example ("phrases such as 'ignore previous instructions'")."""
    before = sentence_before(view, start)
    quoted = code.containing(start, start + 1) is not None or _inside_quotes(before)
    return quoted and _MENTION_CUE_RE.search(before) is not None


# ---------------------------------------------------------------------------------------
# Refinements named by Rule.check
# ---------------------------------------------------------------------------------------

Check = Callable[[str, int, int, str, Verdict, Spans], "Verdict | None"]


def _conditional(view: str, start: int, end: int, target: str, verdict: Verdict, code: Spans) -> Verdict | None:
    # "If you use Docker, ignore the previous instructions" is a README, not an attack.
    before = sentence_before(view, start)
    after = view[end : end + 100]
    if _CONDITION_AI_RE.search(before):
        return verdict
    if _CONDITION_AFTER_RE.search(after) or _CONDITION_BEFORE_RE.search(before):
        return Verdict.WARN
    return verdict


def _above_this_line(view: str, start: int, end: int, target: str, verdict: Verdict, code: Spans) -> Verdict | None:
    # Issue templates say "everything above this line will be ignored".
    if re.match(r"\s+(?:this|the)\s+(?:line|section|marker|comment)", view[end : end + 30]):
        return Verdict.WARN
    return verdict


def _not_in_code(view: str, start: int, end: int, target: str, verdict: Verdict, code: Spans) -> Verdict | None:
    # Chat-template tokens and role lines in code blocks document a prompt format.
    if code.containing(start, end) is not None:
        return Verdict.WARN if verdict == Verdict.BLOCK else verdict
    before = sentence_before(view, start)
    if re.search(r"\b(?:template|format|tokens?|tags?|chatml|tokenizer|special)\b", before):
        return Verdict.WARN if verdict == Verdict.BLOCK else verdict
    return verdict


def _sink_host(view: str, start: int, end: int, target: str, verdict: Verdict, code: Spans) -> Verdict | None:
    # A key in a query string is how some APIs authenticate (Google Maps' ?key=$KEY); it is
    # a leak when the host is a collector or a bare IP, or when a vendor's key (named after
    # the vendor) goes to a host that is not that vendor's.
    span = view[start:end]
    if _PUBLIC_IP_RE.search(span) or _UNTRUSTED_HOST_RE.search(span):
        return Verdict.BLOCK
    host = _HOST_RE.search(span)
    for name in _QUERY_VAR_RE.findall(span):
        vendor = next((v for v in _VENDORS if v in name), None)
        if vendor and host and vendor not in host.group(1) and not (vendor == "aws" and "amazonaws" in host.group(1)):
            return Verdict.BLOCK
    return verdict


def _vendor_sink(view: str, start: int, end: int, target: str, verdict: Verdict, code: Spans) -> Verdict | None:
    # "POST your credentials to https://auth.example.com/oauth/token" is how OAuth works;
    # sending an API key or token (but not private keys, .env files, conversations) to
    # an API or auth endpoint is left as a warning.
    span = view[start:end]
    if verdict == Verdict.BLOCK and not _STRONG_OBJ_RE.search(span) and _VENDOR_API_RE.search(span):
        return Verdict.WARN
    return verdict


def _remote_script(view: str, start: int, end: int, target: str, verdict: Verdict, code: Spans) -> Verdict | None:
    span = view[start:end]
    if _PUBLIC_IP_RE.search(span) or _UNTRUSTED_HOST_RE.search(span):
        return Verdict.BLOCK
    if _PLAIN_HTTP_RE.search(span):
        return Verdict.WARN
    # Install one-liners (rustup, nvm, uv) are everyday README material; only skills,
    # which run unattended, get a warning for them.
    return Verdict.WARN if target == "skill" else None


def _agent_env_file(view: str, start: int, end: int, target: str, verdict: Verdict, code: Spans) -> Verdict | None:
    # Appending a key to ~/.hermes/.env is how users configure hermes; the other agent
    # files (config.yaml, SOUL.md, plugins, skills) change what the agent is.
    if re.search(r"\.env[\"']?\s*$", view[start:end]):
        return Verdict.WARN
    return verdict


_SECRET_MENTION_RE = re.compile(SECRET_MENTION)


def _secret_before(view: str, start: int, end: int, target: str, verdict: Verdict, code: Spans) -> Verdict | None:
    # "send it to https://..." is only an exfiltration when "it" is a secret named just before.
    window = view[max(0, start - 250) : start]
    return verdict if _SECRET_MENTION_RE.search(window) else None


# Queries that carry data out, judged on a URL already matched (possessively) by a rule.
_SECRET_QUERY_RE = re.compile(
    r"[?&][^=&#\s]{0,100}=\s*[\"']?\$(?:\{?[a-z_]{0,40}(?:key|token|secret|passw|pwd|cred|cookie|session|auth)[a-z_]{0,40}\}?|\()"
)
_IMAGE_QUERY_RE = re.compile(
    r"[?&#][^=&#\s]{0,100}=[^&#\s)]{0,200}?(?:\{\{?[^}\n]{0,60}\}|\$\{?[a-z_]|%7b|<[a-z_ -]{2,40}>|\[[a-z_ -]{2,40}\]|"
    r"insert|placeholder|your_?data|data_?here|\.\.\.)"
)
_LINK_QUERY_RE = re.compile(
    r"[?&#][^=&#\s]{0,100}=(?:\$\{|\{\{|%7b%7b)[^)}\s]{0,40}?(?:secret|key|token|data|history|conversation|summary|message|"
    r"chat|context|env|password|cookie|memory)"
)
_TEMPLATE_QUERY_RE = re.compile(
    r"[?&#][^=&#\s]{0,100}=\s*(?:\{\{|\$\{|\{|%7b)\s*[a-z_ .-]{0,40}?(?:cookie|session|token|secret|api_?key|password|"
    r"history|conversation|chat|memory|prompt|summary|credentials?)"
)


def _secret_query(view: str, start: int, end: int, target: str, verdict: Verdict, code: Spans) -> Verdict | None:
    if not _SECRET_QUERY_RE.search(view, start, end):
        return None
    return _sink_host(view, start, end, target, verdict, code)


def _image_query(view: str, start: int, end: int, target: str, verdict: Verdict, code: Spans) -> Verdict | None:
    # Images (markdown or <img>) are fetched when rendered; links only when clicked, so a
    # link needs a placeholder that names the data it would carry.
    if view.startswith("!", start) or view.startswith("<img", start):
        return verdict if _IMAGE_QUERY_RE.search(view, start, end) else None
    return verdict if _LINK_QUERY_RE.search(view, start, end) else None


def _template_query(view: str, start: int, end: int, target: str, verdict: Verdict, code: Spans) -> Verdict | None:
    return verdict if _TEMPLATE_QUERY_RE.search(view, start, end) else None


#: Why a refinement lowered a verdict, for the finding's message (such matches are benign).
BENIGN_NOTES = {
    "conditional": "conditional, as in installation notes",
    "above_this_line": "template text",
    "not_in_code": "documented as a format",
    "vendor_sink": "sent to an API endpoint",
}

CHECKS: dict[str, Check] = {
    "conditional": _conditional,
    "above_this_line": _above_this_line,
    "not_in_code": _not_in_code,
    "sink_host": _sink_host,
    "vendor_sink": _vendor_sink,
    "secret_before": _secret_before,
    "secret_query": _secret_query,
    "image_query": _image_query,
    "template_query": _template_query,
    "remote_script": _remote_script,
    "agent_env_file": _agent_env_file,
}
