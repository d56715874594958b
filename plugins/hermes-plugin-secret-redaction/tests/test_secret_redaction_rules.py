"""What is masked, how it is shown, and what is left alone."""

from __future__ import annotations

import pytest

from hermes_plugin_secret_redaction.redactor import Redactor, mask_secret

OPENAI = "sk-proj-Ab3dEf9hIjK1mNoPqRsTuVwXyZ0123456789abcdEFGH"
GITHUB = "ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"OPENAI_API_KEY={OPENAI}", "OPENAI_API_KEY=sk-proj-…EFGH"),
        (f"token: {GITHUB}", "token: ghp_…3fG5"),
        ("sk-ant-api03-" + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5h7J9" + "AA", "sk-ant-…J9AA"),
        ("postgres://app:Hunt3r2pass@db.internal:5432/app", "postgres://app:…@db.internal:5432/app"),
        ("password: hunter22", "password: …"),
        ("--password s3cret99 --user bob", "--password … --user bob"),
        ("AKIAQ3EGRDTZ7WXN2KPL is the key id", "AKIA…2KPL is the key id"),
    ],
)
def test_masks_keep_a_prefix_and_a_short_suffix(redactor, text: str, expected: str) -> None:  # noqa: ANN001
    assert redactor.redact(text).text == expected


def test_headers_jwts_and_webhooks(redactor) -> None:  # noqa: ANN001
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
    out = redactor.redact(f'curl -H "Authorization: Bearer {jwt}" https://api.example.com').text
    assert out == 'curl -H "Authorization: Bearer eyJ…sR8U" https://api.example.com'
    basic = redactor.redact("Authorization: Basic dXNlcjpwYXNzd29yZDEyMw==").text
    assert "dXNlcjpwYXNzd29yZDEyMw" not in basic
    hook = "https://hooks.slack.com/services/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"
    assert "Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1" not in redactor.redact(hook).text


def test_private_key_blocks_keep_their_frame(redactor) -> None:  # noqa: ANN001
    key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----"
    out = redactor.redact(key).text
    assert out == "-----BEGIN OPENSSH PRIVATE KEY-----\n…redacted…\n-----END OPENSSH PRIVATE KEY-----"
    escaped = key.replace("\n", "\\n")  # the same key inside a JSON string
    out = redactor.redact(escaped).text
    assert "b3BlbnNzaC1rZXkt" not in out and out.startswith("-----BEGIN OPENSSH PRIVATE KEY-----\\n")


@pytest.mark.parametrize(
    "text",
    [
        '{"api_key": "a8f9b2c7d1e4f6a3b5c8d2e7f1a9b4c6"}',
        '{\\"api_key\\": \\"a8f9b2c7d1e4f6a3b5c8d2e7f1a9b4c6\\"}',
        "export MY_SERVICE_TOKEN=Zx8Yw7Vu6Ts5Rq4Po3Nm",
        "client_secret = 'Zx8Yw7Vu6Ts5Rq4Po3Nm'",
        "X-Api-Key: Zx8Yw7Vu6Ts5Rq4Po3Nm",
        "vendorSecret: Zx8Yw7Vu6Ts5Rq4Po3Nm",
    ],
)
def test_assignments_whose_name_looks_secret(redactor, text: str) -> None:  # noqa: ANN001
    out = redactor.redact(text).text
    assert "Zx8Yw7Vu6Ts5Rq4Po3Nm" not in out and "a8f9b2c7d1e4f6a3b5c8d2e7" not in out


@pytest.mark.parametrize(
    "text",
    [
        "max_tokens: 4096",
        "OPENAI_API_KEY=${OPENAI_API_KEY}",
        "api_key: <your-api-key>",
        "GITHUB_TOKEN=ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        "token = os.environ['GITHUB_TOKEN']",
        "commit 9f3c2d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e",
        "STRIPE_PUBLISHABLE_KEY=pk_live_51Hx8Yw7Vu6Ts5Rq4Po3Nm",
        "key_file: /etc/ssl/private/server.key",
        "Authorization: Bearer $TOKEN",
    ],
)
def test_placeholders_and_look_alikes_pass(redactor, text: str) -> None:  # noqa: ANN001
    assert redactor.redact(text).text == text


def test_exact_values_of_secret_environment_variables() -> None:
    redactor = Redactor(["my-self-hosted-key-0042"])
    assert redactor.redact("connecting with my-self-hosted-key-0042 now").text == "connecting with …0042 now"
    redactor.add_values(["second-value-99"])
    assert "second-value-99" not in redactor.redact("x second-value-99 y").text


def test_machine_secrets_come_from_the_environment_and_hermes_env(monkeypatch, tmp_path) -> None:  # noqa: ANN001
    from hermes_plugin_secret_redaction._environment import machine_secrets

    (tmp_path / ".env").write_text("VLLM_API_KEY='from-dotenv-Key-123'\nLOG_LEVEL=debug\n", encoding="utf-8")
    monkeypatch.setenv("HERMES_HOME", str(tmp_path))
    monkeypatch.setenv("INTERNAL_SERVICE_TOKEN", "from-environ-Tok-456")
    monkeypatch.setenv("EDITOR", "nvim-with-a-long-name")
    values = machine_secrets()
    assert {"from-dotenv-Key-123", "from-environ-Tok-456"} <= values
    assert "nvim-with-a-long-name" not in values and "debug" not in values


def test_redaction_is_idempotent(redactor, secrets) -> None:  # noqa: ANN001
    for record in secrets:
        once = redactor.redact(record["text"]).text
        assert redactor.redact(once).text == once, record["id"]


def test_mask_format() -> None:
    assert mask_secret("sk-" + "a1B2c3D4" * 5, keep=3) == "sk-…c3D4"
    assert mask_secret("short-pw", suffix=False) == "…"
    assert mask_secret("abcdefgh12") == "…"  # too short to show a suffix


@pytest.mark.parametrize("unit", ["password=", "sk-", "Authorization: Bearer ", "https://a:b@", "token: x ", "eyJ"])
def test_crafted_repetitive_input_stays_fast(redactor, unit: str) -> None:  # noqa: ANN001
    import time

    text = unit * (200_000 // len(unit))
    start = time.process_time()
    redactor.redact(text)
    assert time.process_time() - start < 2.0
