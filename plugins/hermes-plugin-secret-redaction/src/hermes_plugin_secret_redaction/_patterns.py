"""What secrets look like: one row per kind of key or token.

Each pattern's group 1 is the secret part; the mask keeps ``keep`` leading characters of
the whole match (a vendor prefix such as ``sk-proj-`` or ``ghp_``, which identifies the
kind of key but not the key) and the last four characters of long secrets.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SecretPattern:
    """One kind of secret."""

    id: str
    description: str
    #: The regex; group ``group`` is the part to mask (0: the whole match, -1: the last
    #: group that took part in the match).
    pattern: str
    #: Leading characters of the masked part to keep (the vendor prefix).
    keep: int = 0
    group: int = 0
    #: Literals that every match contains; the regex only runs when one is present.
    triggers: tuple[str, ...] = ()
    #: Keep the last four characters (off for passwords and short secrets).
    suffix: bool = True
    #: Higher wins when two matches overlap.
    priority: int = 50
    case_insensitive: bool = False


_B = r"(?<![A-Za-z0-9_])"  # start of a token (a lookbehind keeps the regex prefix literal-free)
_E = r"(?![A-Za-z0-9_])"

PATTERNS: tuple[SecretPattern, ...] = (
    SecretPattern(
        "private-key", "PEM private key block",
        r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----([\s\S]{16,20000}?)(?=-----END \1PRIVATE KEY(?: BLOCK)?-----)"
        r"|-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----((?:\\n|[\sA-Za-z0-9+/=:,-]){16,20000})",
        group=-1, triggers=("PRIVATE KEY",), priority=100, suffix=False,
    ),
    SecretPattern("anthropic", "Anthropic API key", _B + r"sk-ant-[A-Za-z0-9_-]{20,}", keep=7, triggers=("sk-ant-",), priority=90),
    SecretPattern("openrouter", "OpenRouter API key", _B + r"sk-or-(?:v1-)?[A-Za-z0-9_-]{20,}", keep=6, triggers=("sk-or-",),
                  priority=90),
    SecretPattern("openai", "OpenAI project key", _B + r"sk-proj-[A-Za-z0-9_-]{20,}", keep=8, triggers=("sk-proj-",),
                  priority=82),
    SecretPattern("openai", "OpenAI service-account key", _B + r"sk-svcacct-[A-Za-z0-9_-]{20,}", keep=11,
                  triggers=("sk-svcacct-",), priority=82),
    SecretPattern("openai", "OpenAI admin key", _B + r"sk-admin-[A-Za-z0-9_-]{20,}", keep=9, triggers=("sk-admin-",),
                  priority=82),
    SecretPattern("openai", "OpenAI API key", _B + r"sk-(?:None-)?[A-Za-z0-9]{32,}" + _E, keep=3, triggers=("sk-",),
                  priority=80),
    SecretPattern("github", "GitHub token", _B + r"(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})" + _E,
                  keep=4, triggers=("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"), priority=90),
    SecretPattern("gitlab", "GitLab token", _B + r"gl(?:pat|dt|rt|ptt|soat|cbt|ft|imt|agent)-[A-Za-z0-9_-]{20,}" + _E,
                  keep=6, triggers=("glpat-", "gldt-", "glrt-", "glptt-", "glsoat-", "glcbt-", "glft-", "glimt-",
                                    "glagent-"), priority=90),
    SecretPattern("slack", "Slack token", _B + r"xox[abposer]-[A-Za-z0-9-]{10,}" + _E + "|" + _B + r"xapp-\d-[A-Za-z0-9-]{20,}",
                  keep=5, triggers=("xoxb-", "xoxp-", "xoxa-", "xoxo-", "xoxs-", "xoxr-", "xoxe-", "xapp-"), priority=90),
    SecretPattern("slack-webhook", "Slack webhook URL", r"hooks\.slack\.com/(?:services|workflows|triggers)/([A-Za-z0-9_/-]{20,})",
                  group=1, keep=0, triggers=("hooks.slack.com",), priority=90),
    SecretPattern("discord-webhook", "Discord webhook URL",
                  r"discord(?:app)?\.com/api/webhooks/\d+/([A-Za-z0-9_-]{40,})", group=1, triggers=("/api/webhooks/",),
                  priority=90),
    SecretPattern("discord", "Discord bot token",
                  _B + r"[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}" + _E, keep=0, triggers=(),
                  priority=70),
    SecretPattern("aws-access-key-id", "AWS access key id", _B + r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}" + _E, keep=4,
                  triggers=("AKIA", "ASIA", "ABIA", "ACCA"), priority=90),
    SecretPattern("aws-secret-key", "AWS secret access key",
                  r"(?:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key|secretaccesskey|aws secret access key)"
                  r"(?:\s*\[[^\]\n]*\])?[\"'\\]*\s*(?:=|:|=>)\s*[\"'\\]*([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])",
                  group=1, triggers=("secret",), priority=95, case_insensitive=True),
    SecretPattern("google-api-key", "Google API key", _B + r"AIza[0-9A-Za-z_-]{35}" + _E, keep=4, triggers=("AIza",), priority=90),
    SecretPattern("google-oauth", "Google OAuth secret or token",
                  _B + r"(?:GOCSPX-[A-Za-z0-9_-]{24,}|ya29\.[A-Za-z0-9_-]{20,}|1//0[A-Za-z0-9_-]{40,})",
                  keep=5, triggers=("GOCSPX-", "ya29.", "1//0"), priority=90),
    SecretPattern("stripe", "Stripe secret key", _B + r"(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,}" + _E + "|" + _B
                  + r"whsec_[A-Za-z0-9]{24,}" + _E, keep=8, triggers=("sk_live_", "sk_test_", "rk_live_", "rk_test_", "whsec_"),
                  priority=90),
    SecretPattern("telegram", "Telegram bot token", r"(?<![0-9])\d{6,12}:AA[A-Za-z0-9_-]{33}" + _E, keep=0, triggers=(":AA",),
                  priority=85),
    SecretPattern("huggingface", "Hugging Face token", _B + r"hf_[A-Za-z0-9]{30,}" + _E, keep=3, triggers=("hf_",), priority=90),
    SecretPattern("jwt", "JSON Web Token", _B + r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}" + _E, keep=3,
                  triggers=("eyJ",), priority=92),
    SecretPattern("sendgrid", "SendGrid API key", _B + r"SG\.[A-Za-z0-9_-]{20,24}\.[A-Za-z0-9_-]{40,50}" + _E, keep=3,
                  triggers=("SG.",), priority=90),
    SecretPattern("npm", "npm token", _B + r"npm_[A-Za-z0-9]{36}" + _E, keep=4, triggers=("npm_",), priority=90),
    SecretPattern("pypi", "PyPI token", _B + r"pypi-AgE[A-Za-z0-9_-]{50,}", keep=8, triggers=("pypi-AgE",), priority=90),
    SecretPattern("groq", "Groq API key", _B + r"gsk_[A-Za-z0-9]{40,}" + _E, keep=4, triggers=("gsk_",), priority=90),
    SecretPattern("xai", "xAI API key", _B + r"xai-[A-Za-z0-9]{60,}" + _E, keep=4, triggers=("xai-",), priority=90),
    SecretPattern("replicate", "Replicate token", _B + r"r8_[A-Za-z0-9]{30,}" + _E, keep=3, triggers=("r8_",), priority=90),
    SecretPattern("perplexity", "Perplexity API key", _B + r"pplx-[A-Za-z0-9]{40,}" + _E, keep=5, triggers=("pplx-",), priority=90),
    SecretPattern("digitalocean", "DigitalOcean token", _B + r"do[pro]_v1_[a-f0-9]{64}" + _E, keep=7,
                  triggers=("dop_v1_", "doo_v1_", "dor_v1_"), priority=90),
    SecretPattern("shopify", "Shopify token", _B + r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}" + _E, keep=6,
                  triggers=("shpat_", "shpca_", "shppa_", "shpss_"), priority=90),
    SecretPattern("linear", "Linear API key", _B + r"lin_api_[A-Za-z0-9]{40}" + _E, keep=8, triggers=("lin_api_",), priority=90),
    SecretPattern("notion", "Notion token", _B + r"(?:secret_[A-Za-z0-9]{43}|ntn_[A-Za-z0-9]{40,})" + _E, keep=4,
                  triggers=("secret_", "ntn_"), priority=85),
    SecretPattern("url-password", "password in a URL",
                  r"[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\s:/?#@'\"<>]{1,128}:([^\s/?#@'\"<>]{1,256})@", group=1,
                  triggers=("://",), priority=75, suffix=False),
    SecretPattern("authorization", "Authorization header credentials",
                  r"(?:proxy-)?authorization[\"'\\]*\s*[:=]\s*[\"'\\]*(?:bearer|basic|token|digest|apikey|api-key|sso-key|"
                  r"key|bot)\s+([A-Za-z0-9._~+/=:-]{8,})",
                  group=1, triggers=("authorization",), priority=88, case_insensitive=True),
    SecretPattern("bearer", "bearer token", r"\bbearer\s+([A-Za-z0-9._~+/=-]{20,})", group=1, triggers=("bearer",),
                  priority=60, case_insensitive=True),
    SecretPattern("basic-auth-flag", "credentials passed to -u/--user",
                  r"(?:\s-u|--user)[=\s]+[\"']?[^\s:'\"]{1,64}:([^\s'\"]{3,256})", group=1, triggers=("-u", "--user"),
                  priority=70, suffix=False),
)
