"""Regenerate ``secrets.jsonl`` and ``lookalikes.jsonl`` (run by hand: ``python make_secret_corpora.py``).

Every "secret" is random text from a seeded generator, shaped like the real thing and
placed in a realistic context (a .env file, a config, a log line, a command, a JSON tool
result...). None is a real credential. The look-alikes are strings that resemble secrets
but are not: commit hashes, UUIDs, digests, data URIs, colours, versions, placeholders,
token counts, public keys.
"""

from __future__ import annotations

import base64
import json
import random
import string
import uuid
from pathlib import Path

HERE = Path(__file__).parent
R = random.Random(20250301)
ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "-_"
HEX = "0123456789abcdef"


def rnd(chars: str, n: int) -> str:
    return "".join(R.choice(chars) for _ in range(n))


def mixed(chars: str, n: int) -> str:
    # Real keys are random: make sure there is an upper-case letter, a lower-case one and a digit.
    while True:
        s = rnd(chars, n)
        if any(c.isupper() for c in s) and any(c.islower() for c in s) and any(c.isdigit() for c in s):
            return s


def pem(kind: str) -> tuple[str, str]:
    body = base64.b64encode(R.randbytes(R.choice([180, 250, 400]))).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    label = f"{kind} PRIVATE KEY" if kind else "PRIVATE KEY"
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----", lines[1]


def jwt() -> str:
    head = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("=")
    payload = base64.urlsafe_b64encode(
        json.dumps({"sub": str(R.randint(1000, 99999)), "exp": R.randint(1.7e9, 1.8e9)}).encode()
    ).decode().rstrip("=")
    return f"{head}.{payload}.{mixed(URLSAFE, 43)}"


def secret_makers() -> list[tuple[str, callable]]:  # type: ignore[valid-type]
    return [
        ("openai-project", lambda: "sk-proj-" + mixed(URLSAFE, 48) + "T3BlbkFJ" + mixed(URLSAFE, 48)),
        ("openai-legacy", lambda: "sk-" + mixed(ALNUM, 20) + "T3BlbkFJ" + mixed(ALNUM, 20)),
        ("openai-svcacct", lambda: "sk-svcacct-" + mixed(URLSAFE, 60)),
        ("anthropic", lambda: "sk-ant-api03-" + mixed(URLSAFE, 93) + "AA"),
        ("anthropic-admin", lambda: "sk-ant-admin01-" + mixed(URLSAFE, 80)),
        ("openrouter", lambda: "sk-or-v1-" + rnd(HEX, 64)),
        ("github-classic", lambda: "ghp_" + mixed(ALNUM, 36)),
        ("github-oauth", lambda: "gho_" + mixed(ALNUM, 36)),
        ("github-user", lambda: "ghu_" + mixed(ALNUM, 36)),
        ("github-server", lambda: "ghs_" + mixed(ALNUM, 36)),
        ("github-fine-grained", lambda: "github_pat_" + mixed(ALNUM, 22) + "_" + mixed(ALNUM, 59)),
        ("gitlab", lambda: "glpat-" + mixed(URLSAFE, 20)),
        ("slack-bot", lambda: f"xoxb-{R.randint(10**10, 10**11)}-{R.randint(10**12, 10**13)}-{mixed(ALNUM, 24)}"),
        ("slack-user", lambda: f"xoxp-{R.randint(10**10, 10**11)}-{R.randint(10**10, 10**11)}-{R.randint(10**12, 10**13)}-{rnd(HEX, 32)}"),
        ("aws-access-key-id", lambda: "AKIA" + rnd(string.ascii_uppercase + "234567", 16)),
        ("aws-session-key-id", lambda: "ASIA" + rnd(string.ascii_uppercase + "234567", 16)),
        ("google-api", lambda: "AIza" + mixed(URLSAFE, 35)),
        ("google-oauth-secret", lambda: "GOCSPX-" + mixed(URLSAFE, 28)),
        ("stripe-live", lambda: "sk_live_" + mixed(ALNUM, 99)),
        ("stripe-test", lambda: "sk_test_" + mixed(ALNUM, 99)),
        ("stripe-restricted", lambda: "rk_live_" + mixed(ALNUM, 99)),
        ("stripe-webhook", lambda: "whsec_" + mixed(ALNUM, 32)),
        ("telegram", lambda: f"{R.randint(10**9, 10**10 - 1)}:AA" + mixed(URLSAFE, 33)),
        ("discord", lambda: "M" + mixed(ALNUM, 25) + "." + mixed(URLSAFE, 6) + "." + mixed(URLSAFE, 38)),
        ("huggingface", lambda: "hf_" + mixed(ALNUM, 34)),
        ("jwt", jwt),
        ("sendgrid", lambda: "SG." + mixed(URLSAFE, 22) + "." + mixed(URLSAFE, 43)),
        ("npm", lambda: "npm_" + mixed(ALNUM, 36)),
        ("groq", lambda: "gsk_" + mixed(ALNUM, 52)),
    ]


# Contexts: {s} is the secret.
CONTEXTS = [
    ".env:{name}={s}",
    ".env:export {name}=\"{s}\"",
    "yaml:  api_key: {s}",
    "yaml:providers:\n  main:\n    key: \"{s}\"\n    base_url: https://api.example.com/v1",
    "json:{{\"name\": \"prod\", \"{lname}\": \"{s}\", \"region\": \"eu-west-1\"}}",
    "log:2025-03-04 10:12:01 INFO client.py:88 using credentials {s} for request 7f3a",
    "log:[debug] request headers: {{'Authorization': 'Bearer {s}', 'Accept': 'application/json'}}",
    "shell:$ curl -s https://api.example.com/v1/models -H \"Authorization: Bearer {s}\"",
    "python:client = Client(api_key=\"{s}\", timeout=30)",
    "toml:[auth]\ntoken = \"{s}\"",
    "error:ValueError: invalid key '{s}' (status 401)",
    "chat:here is my key, can you check why it fails? {s}",
    "tool:{{\"tool_call_id\": \"call_1\", \"name\": \"terminal\", \"content\": \"{name}={s}\\n\"}}",
    "compose:    environment:\n      - {name}={s}",
    "k8s:stringData:\n  {lname}: {s}",
]


def secrets_corpus() -> list[dict]:
    records = []
    makers = secret_makers()
    names = {
        "openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY", "openrouter": "OPENROUTER_API_KEY",
        "github": "GITHUB_TOKEN", "gitlab": "GITLAB_TOKEN", "slack": "SLACK_BOT_TOKEN", "aws": "AWS_ACCESS_KEY_ID",
        "google": "GOOGLE_API_KEY", "stripe": "STRIPE_SECRET_KEY", "telegram": "TELEGRAM_BOT_TOKEN",
        "discord": "DISCORD_TOKEN", "huggingface": "HF_TOKEN", "jwt": "SESSION_TOKEN", "sendgrid": "SENDGRID_API_KEY",
        "npm": "NPM_TOKEN", "groq": "GROQ_API_KEY",
    }
    i = 0
    for kind, make in makers:
        for ctx in R.sample(CONTEXTS, 3):
            label, template = ctx.split(":", 1)
            secret = make()
            name = next((v for k, v in names.items() if kind.startswith(k)), "API_TOKEN")
            text = template.format(s=secret, name=name, lname=name.lower())
            records.append({"id": f"{kind}-{i:03d}", "kind": kind, "context": label, "text": text, "secret": secret})
            i += 1
    # Secrets that are only secret because of where they are.
    for n in range(12):
        aws_secret = mixed(B64, 40)
        template = R.choice([
            "aws_secret_access_key = {s}",
            "AWS_SECRET_ACCESS_KEY={s}",
            "\"SecretAccessKey\": \"{s}\",",
            "AWS Secret Access Key [None]: {s}",
        ])
        records.append({"id": f"aws-secret-{n:03d}", "kind": "aws-secret-key", "context": "aws",
                        "text": template.format(s=aws_secret), "secret": aws_secret})
    for n in range(12):
        password = R.choice(["Tr0ub4dor&3", "hunter2-" + rnd(ALNUM, 6), mixed(ALNUM + "!@#%^*", 14), "correct-horse-" + rnd(HEX, 8)])
        template = R.choice([
            "DATABASE_URL=postgres://app:{s}@db.internal:5432/app",
            "redis://default:{s}@cache.example.net:6379/0",
            "DB_PASSWORD={s}",
            "password: {s}",
            "mysql -u root --password={s} -h 127.0.0.1",
            "{{\"username\": \"admin\", \"password\": \"{s}\"}}",
            "smtp_password = \"{s}\"",
            "git clone https://deploy:{s}@git.example.com/team/app.git",
        ])
        records.append({"id": f"password-{n:03d}", "kind": "password", "context": "password",
                        "text": template.format(s=password), "secret": password})
    for n in range(8):
        key, line = pem(R.choice(["RSA", "OPENSSH", "EC", "", "ENCRYPTED"]))
        text = R.choice(["{k}", "cat id_rsa:\n{k}\n$", "{{\"content\": {kj}}}"]).format(k=key, kj=json.dumps(key))
        records.append({"id": f"pem-{n:03d}", "kind": "private-key", "context": "pem", "text": text, "secret": line})
    for n in range(8):
        value = mixed(ALNUM, R.choice([24, 32, 40]))
        name = R.choice(["INTERNAL_API_TOKEN", "vendorSecret", "x-api-key", "client_secret", "WEBHOOK_SECRET",
                         "signing_key", "MY_SERVICE_PASSWORD", "LICENSE_KEY"])
        template = R.choice(["{n}={s}", "{n}: {s}", "\"{n}\": \"{s}\"", "-H '{n}: {s}'", "--{ln} {s}"])
        records.append({"id": f"named-{n:03d}", "kind": "assignment", "context": "named",
                        "text": template.format(n=name, ln=name.lower().replace("_", "-"), s=value), "secret": value})
    webhook = "".join(R.choice(ALNUM) for _ in range(24))
    records.append({"id": "slack-webhook-000", "kind": "slack-webhook", "context": "url",
                    "text": f"SLACK_URL=https://hooks.slack.com/services/T0{rnd(string.ascii_uppercase + string.digits, 8)}/B0{rnd(string.ascii_uppercase + string.digits, 8)}/{webhook}",
                    "secret": webhook})
    token = mixed(URLSAFE, 68)
    records.append({"id": "discord-webhook-000", "kind": "discord-webhook", "context": "url",
                    "text": f"https://discord.com/api/webhooks/{R.randint(10**17, 10**18)}/{token}", "secret": token})
    return records


def lookalikes_corpus() -> list[dict]:
    lines: list[str] = []
    for _ in range(30):
        sha = rnd(HEX, 40)
        lines.append(R.choice([f"commit {sha}", f"Merge: {sha[:7]} {rnd(HEX, 7)}", f"git checkout {sha}",
                               f"\"sha\": \"{sha}\",", f"fixed in {sha[:12]}"]))
    for _ in range(25):
        u = str(uuid.UUID(int=R.getrandbits(128)))
        lines.append(R.choice([f"request_id={u}", f"\"id\": \"{u}\"", f"session {u} started", f"/api/v1/users/{u}",
                               f"trace-id: {u}"]))
    for _ in range(25):
        lines.append(R.choice([f"sha256:{rnd(HEX, 64)}", f"SHA256 ({rnd(string.ascii_lowercase, 6)}.tar.gz) = {rnd(HEX, 64)}",
                               f"md5: {rnd(HEX, 32)}", f"\"integrity\": \"sha512-{rnd(B64, 86)}==\"",
                               f"image: ghcr.io/example/app@sha256:{rnd(HEX, 64)}", f"etag: W/\"{rnd(HEX, 32)}\"",
                               f"checksum = \"{rnd(HEX, 40)}\""]))
    for _ in range(15):
        img = base64.b64encode(b"\x89PNG\r\n\x1a\n" + R.randbytes(R.randint(60, 200))).decode()
        lines.append(R.choice([f"![logo](data:image/png;base64,{img})", f"<img src=\"data:image/png;base64,{img}\">",
                               f"background: url(data:image/png;base64,{img});"]))
    for _ in range(20):
        c = rnd("0123456789abcdef", R.choice([3, 6, 8]))
        lines.append(R.choice([f"color: #{c};", f"--accent: #{c.upper()};", f"fill=\"#{c}\"", f"border: 1px solid #{c}"]))
    for _ in range(20):
        v = f"{R.randint(0, 9)}.{R.randint(0, 40)}.{R.randint(0, 99)}"
        lines.append(R.choice([f"version = \"{v}\"", f"requests>={v}", f"v{v}-rc.{R.randint(1, 5)}", f"Python {v}",
                               f"\"version\": \"{v}+build.{rnd(HEX, 7)}\"", f"node {v}", f"__version__ = '{v}'"]))
    lines += [
        "max_tokens: 4096", "\"max_tokens\": 1024,", "tokens_used=1834", "num_tokens = 512", "token_count: 77",
        "\"usage\": {\"prompt_tokens\": 1203, \"completion_tokens\": 88, \"total_tokens\": 1291}",
        "tokenizer_path: ./models/tokenizer.json", "TOKEN_LIMIT=8000", "input_tokens: 15, output_tokens: 4",
        "OPENAI_API_KEY=${OPENAI_API_KEY}", "api_key: \"<your-api-key>\"", "password: ${DB_PASSWORD}",
        "token = os.environ[\"GITHUB_TOKEN\"]", "api_key = os.getenv(\"OPENAI_API_KEY\")",
        "apiKey: process.env.STRIPE_KEY", "TWINE_PASSWORD: ${{ secrets.PYPI_TOKEN }}", "SECRET_KEY=change-me",
        "password: changeme", "API_KEY=xxxxxxxxxxxxxxxx", "token: \"****************\"",
        "OPENAI_API_KEY=sk-...", "export ANTHROPIC_API_KEY=sk-ant-...", "GITHUB_TOKEN=ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        "STRIPE_PUBLISHABLE_KEY=pk_live_" + mixed(ALNUM, 24), "pk_test_" + mixed(ALNUM, 24),
        "password_hash: $argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
        "secret_name: db-credentials", "key_file: /etc/ssl/private/server.key", "SSH_KEY_PATH=~/.ssh/id_ed25519",
        "token_url: https://oauth2.googleapis.com/token", "auth_endpoint = \"https://auth.example.com/authorize\"",
        "session_id=48213", "client_id: 1234567890-abc.apps.googleusercontent.com", "AWS_REGION=eu-west-1",
        "AWS_DEFAULT_REGION=us-east-1", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + mixed(B64, 43) + " sam@laptop",
        "-----BEGIN PUBLIC KEY-----", "-----BEGIN CERTIFICATE-----", "sk-learn is a typo for scikit-learn",
        "risk-assessment-2025-q1-final-approved-v2", "task-runner-worker-pool-size-12", "https://example.com/path?page=2&sort=desc",
        "git@github.com:example/repo.git", "https://user@example.com/repo.git", "mailto:support@example.com",
        "2025-03-04T10:12:01.123456Z", "1741083121", "fe80::1ff:fe23:4567:890a", "00:1A:2B:3C:4D:5E",
        "/usr/local/lib/python3.12/site-packages/requests/__init__.py", "C:\\Users\\sam\\AppData\\Local\\Temp",
        "Authorization: Bearer <token>", "Authorization: Bearer $TOKEN", "Authorization: Basic ${CREDENTIALS}",
        "curl -u $USER:$PASS https://api.example.com", "postgres://app:${DB_PASSWORD}@db:5432/app",
        "redis://localhost:6379/0", "http://localhost:8080/health", "x-request-id: " + rnd(HEX, 32),
        "The bearer token is sent in the Authorization header.", "Use a password manager.", "token bucket rate limiter",
        "ghp_ tokens are classic GitHub tokens", "AKIA prefixes mark long-term AWS keys", "eyJ is how base64 JSON starts",
        "The secret to good bread is time.", "Session tokens expire after 30 minutes.", "key: value",
        "primary_key: id", "foreign_key: user_id", "sort_key: created_at", "keyboard: us-intl", "monkey: banana",
        "hotkey: ctrl+shift+p", "apikey_header_name: X-Api-Key", "password_min_length: 12", "password_policy: strong",
        "token_type: bearer", "\"token_type\": \"Bearer\"", "expires_in: 3600", "PASSWORD_RESET_URL=https://example.com/reset",
        "license: MIT", "copyright (c) 2025 Example Corp", "ISBN 978-3-16-148410-0", "IBAN DE00 0000 0000 0000 0000 00",
        "Order #4821 shipped via DHL tracking 00340434161094042557", "phone: +1 555 0100",
        "uuid4().hex -> " + rnd(HEX, 32), "random.seed(42)", "lorem ipsum dolor sit amet consectetur adipiscing elit",
        "base64 of hello is aGVsbG8=", "pip install scikit-learn==1.5.2", "npm install left-pad@1.3.0",
        "docker run -e POSTGRES_PASSWORD=$POSTGRES_PASSWORD postgres:16", "gpg --list-secret-keys --keyid-format=long",
        "sec   rsa4096/3AA5C34371567BD2 2016-03-10 [SC]", "kubectl get secret api-keys -o yaml",
        "SecretAccessKey: (hidden)", "aws_secret_access_key = <your secret key>", "x-api-key: {{API_KEY}}",
    ]
    return [{"id": f"lookalike-{i:03d}", "text": text} for i, text in enumerate(lines)]


def main() -> None:
    for name, records in (("secrets.jsonl", secrets_corpus()), ("lookalikes.jsonl", lookalikes_corpus())):
        with (HERE / name).open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(name, len(records))


if __name__ == "__main__":
    main()
