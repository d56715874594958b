"""The skill guard: a scanner for what makes a skill dangerous to follow.

A skill is instructions plus scripts the agent will run with the user's rights, so on
top of prompt injection (the injection scanner's job) it looks for four things, in
SKILL.md and in every file under ``scripts/`` and ``references/``:

* **exfiltration**: a network command carrying a secret file, an environment dump or a
  secret variable in its payload (``curl -d @~/.ssh/id_rsa https://...``), reverse shells;
* **persistence**: writes into SSH ``authorized_keys``, shell start-up files, crontab,
  sudoers or hermes's own config;
* **destructive commands**: ``rm -rf /``, ``mkfs``, ``dd`` onto a disk, fork bombs;
* **obfuscation**: decode-and-run (``base64 -d | sh``), invisible or bidirectional
  unicode, long encoded blobs.

It is registered as a scanner for the ``skill`` target, so ``host.scan(text, "skill")``
combines it with every other scanner. Verdicts: exfiltration and persistence into keys or
hermes config ``block``; the rest ``ask`` or ``warn`` (see the rule table). Legitimate API
calls that pass a key in a header (``curl -H "x-api-key: $KEY" ...``) are not flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hermes_core.types import Finding, ScanContext, ScanResult, Verdict

_HOME = r"(?:~|\$HOME|\$\{HOME\}|/root|/home/[\w.-]+)"
SECRET_PATH = re.compile(
    rf"{_HOME}/\.(?:ssh|aws|gnupg|kube|docker/config\.json|netrc|pgpass|git-credentials|config/gcloud|hermes/\.env|npmrc|pypirc)"
    r"|\bid_(?:rsa|dsa|ecdsa|ed25519)\b(?!\.pub)"
    r"|/etc/(?:shadow|sudoers|gshadow)\b"
    r"|\.aws/credentials\b"
)
PRIVATE_SECRET = re.compile(
    r"\bid_(?:rsa|dsa|ecdsa|ed25519)\b(?!\.pub)|\.aws/credentials\b|/etc/(?:shadow|gshadow)\b|\.git-credentials\b"
)
SECRET_ENV = re.compile(r"\$\{?[A-Z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)S?[A-Z0-9_]*\}?")
NET = re.compile(
    r"\b(?:curl|wget|nc|ncat|netcat|socat|scp|sftp|rsync|ftp|telnet|xh|Invoke-WebRequest|Invoke-RestMethod)\b"
    r"|\bhttps?\s+(?:POST|PUT|--form|-f)\b|\brequests\.(?:post|put)\s*\(|\burllib\.request\.urlopen\s*\("
)
DATA_FLAG = re.compile(r"(?:^|\s)(?:-d|--data(?:-binary|-raw|-urlencode)?|-F|--form|-T|--upload-file|--post-file|--post-data)\b")
HEADER_ARG = re.compile(r"(?:-H|--header)\s*(?:\"[^\"]*\"|'[^']*'|\S+)")
ENV_DUMP = re.compile(r"\b(?:env|printenv|set|export\s+-p)\s*\|")
REVERSE_SHELL = re.compile(r"/dev/tcp/|\b(?:nc|ncat|netcat)\b[^\n]*\s-[a-z]*e\s*/bin/(?:ba)?sh|\bsocat\b[^\n]*exec:")


@dataclass(frozen=True)
class Rule:
    """A pattern rule: one regex over the whole text."""

    rule: str
    pattern: re.Pattern[str]
    verdict: Verdict
    severity: str
    message: str


RULES: tuple[Rule, ...] = (
    # -- persistence ----------------------------------------------------------------------
    Rule("persistence-ssh-keys", re.compile(r"\.ssh/authorized_keys"), Verdict.BLOCK, "critical",
         "writes or touches SSH authorized_keys (persistent remote access)"),
    Rule("persistence-hermes-config",
         re.compile(rf"(?:>>?|\btee\b[^\n|]*|\bcp\b[^\n]*|\bmv\b[^\n]*)\s*['\"]?{_HOME}/\.hermes/(?:config\.yaml|\.env|SOUL\.md|plugins)"),
         Verdict.BLOCK, "critical", "writes into hermes's own config, identity or plugins"),
    Rule("persistence-sudoers", re.compile(r"(?:>>?|\btee\b)[^\n]*/etc/sudoers|\bvisudo\b"), Verdict.BLOCK, "critical",
         "changes sudoers"),
    Rule("persistence-shell-startup",
         re.compile(rf"(?:>>?|\btee\b(?:\s+-a)?)\s*['\"]?{_HOME}/\.(?:bashrc|bash_profile|bash_login|profile|zshrc|zprofile|zshenv|config/fish/config\.fish)\b"),
         Verdict.ASK, "high", "writes into a shell start-up file (runs in every future shell)"),
    Rule("persistence-crontab", re.compile(r"\|\s*crontab\s+-|\bcrontab\s+(?!-l\b)-?[a-z]*\s*\S+\.(?:txt|cron)\b|/etc/cron\.\w+/"),
         Verdict.ASK, "high", "installs a cron job"),
    Rule("persistence-systemd", re.compile(r"\bsystemctl\s+(?:--user\s+)?enable\b|\blaunchctl\s+load\b"), Verdict.ASK, "medium",
         "enables a service that starts on its own"),
    # -- destructive ----------------------------------------------------------------------
    Rule("destructive-rm-root",
         re.compile(r"\brm\s+(?:-[a-zA-Z]*[rR][a-zA-Z]*\s+|--recursive\s+|--force\s+|-[a-zA-Z]*f[a-zA-Z]*\s+)+(?:--no-preserve-root\s+)?['\"]?(?:/|/\*|~/?|\$HOME/?|\$\{HOME\}/?|/home/?|/etc/?|/usr/?)['\"]?(?:\s|$|;|&)"),
         Verdict.ASK, "critical", "deletes the root, home or a system folder recursively"),
    Rule("destructive-mkfs", re.compile(r"\bmkfs(?:\.\w+)?\s+/dev/"), Verdict.ASK, "critical", "formats a disk"),
    Rule("destructive-dd", re.compile(r"\bdd\b[^\n]*\bof=/dev/(?:sd|hd|nvme|disk|mmcblk|xvd)"), Verdict.ASK, "critical",
         "overwrites a disk device"),
    Rule("destructive-fork-bomb", re.compile(r":\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:"), Verdict.ASK, "high", "a fork bomb"),
    Rule("destructive-chmod-root", re.compile(r"\bchmod\s+-R\s+0?777\s+/(?:\s|$)"), Verdict.ASK, "high",
         "makes the whole file system world-writable"),
    # -- obfuscation ----------------------------------------------------------------------
    Rule("obfuscation-decode-exec",
         re.compile(r"\bbase64\s+(?:-d|--decode|-D)\b[^\n|]*\|\s*(?:sudo\s+)?(?:ba|z|da|k)?sh\b"
                    r"|\beval\s*[\"'(]?\s*\$\((?:echo|printf)[^)]*\|\s*base64\s+(?:-d|--decode)"
                    r"|\bexec\s*\(\s*(?:base64\.b64decode|codecs\.decode|zlib\.decompress|bytes\.fromhex)"
                    r"|\beval\s*\(\s*(?:atob|Buffer\.from)\s*\("),
         Verdict.BLOCK, "high", "decodes hidden content and runs it"),
    Rule("obfuscation-invisible-unicode", re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2060-\u2064]|(?<!^)\ufeff"),
         Verdict.ASK, "high", "contains invisible or bidirectional unicode characters that can hide text"),
    Rule("obfuscation-encoded-blob", re.compile(r"[A-Za-z0-9+/]{240,}={0,2}"), Verdict.WARN, "low",
         "contains a long encoded blob"),
    Rule("remote-code-pipe", re.compile(r"\b(?:curl|wget)\b[^\n|]*\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b"), Verdict.WARN, "medium",
         "pipes a downloaded script straight into a shell"),
)


def _line_at(text: str, start: int, end: int) -> str:
    """The logical line around ``[start, end)``, joining backslash continuations."""
    line_start = text.rfind("\n", 0, start) + 1
    while line_start > 1 and text[line_start - 2] == "\\":
        line_start = text.rfind("\n", 0, line_start - 2) + 1
    line_end = text.find("\n", end)
    while line_end != -1 and line_end > 0 and text[line_end - 1] == "\\":
        line_end = text.find("\n", line_end + 1)
    return text[line_start : len(text) if line_end == -1 else line_end]


def _excerpt(line: str, limit: int = 140) -> str:
    line = " ".join(line.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class SkillGuard:
    """The scanner object (see the module docstring for what it looks for)."""

    def scan(self, text: str, ctx: ScanContext) -> ScanResult:
        """Judge ``text``: the worst verdict of every rule that matches."""
        findings: list[Finding] = []
        seen: set[tuple[str, str]] = set()

        def add(rule: str, verdict: Verdict, severity: str, message: str, line: str) -> None:
            excerpt = _excerpt(line)
            if (rule, excerpt) in seen:
                return
            seen.add((rule, excerpt))
            findings.append(Finding(rule=rule, message=message, severity=severity,  # type: ignore[arg-type]
                                    excerpt=excerpt, verdict=verdict))

        for match in NET.finditer(text):
            line = _line_at(text, match.start(), match.end())
            without_headers = HEADER_ARG.sub(" ", line)
            if SECRET_PATH.search(line):
                add("exfiltration-secret-file", Verdict.BLOCK, "critical",
                    "sends a secret file (SSH keys, cloud credentials, .env) over the network", line)
            elif ENV_DUMP.search(line):
                add("exfiltration-environment", Verdict.BLOCK, "critical",
                    "sends the environment (with its API keys) over the network", line)
            elif DATA_FLAG.search(without_headers) and SECRET_ENV.search(without_headers):
                add("exfiltration-secret-variable", Verdict.BLOCK, "high",
                    "sends a secret variable in a request body", line)
        for match in REVERSE_SHELL.finditer(text):
            add("exfiltration-reverse-shell", Verdict.BLOCK, "critical", "opens a reverse shell",
                _line_at(text, match.start(), match.end()))
        for match in PRIVATE_SECRET.finditer(text):
            line = _line_at(text, match.start(), match.end())
            if NET.search(line):
                continue  # already judged as exfiltration
            if re.search(r"\b(?:cat|less|more|head|tail|base64|xxd|od|strings|cp)\b", line):
                add("secret-file-read", Verdict.ASK, "high", "prints or copies a private key or credentials file", line)
        for rule in RULES:
            for match in rule.pattern.finditer(text):
                add(rule.rule, rule.verdict, rule.severity, rule.message, _line_at(text, match.start(), match.end()))
                break  # one finding per rule per file is enough to judge it
        verdict = Verdict.ALLOW
        for finding in findings:
            if Verdict(finding.verdict).rank > verdict.rank:
                verdict = Verdict(finding.verdict)
        return ScanResult(verdict=verdict, findings=findings)
