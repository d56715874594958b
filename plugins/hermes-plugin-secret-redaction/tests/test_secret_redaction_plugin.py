"""The plugin inside hermes: the outbound scanner, host.redact, trajectories and logs."""

from __future__ import annotations

import json
import logging

import hermes_plugin_secret_redaction as plugin
import pytest

from hermes_core.testing import Reply, run_agent
from hermes_core.testing.conformance.scanner import ScannerConformance
from hermes_core.types import ScanContext, Verdict

SECRET = "sk-proj-Ab3dEf9hIjK1mNoPqRsTuVwXyZ0123456789abcdEFGH"


class TestSecretRedactionConformance(ScannerConformance):
    targets = ("outbound",)
    flagged = (f"OPENAI_API_KEY={SECRET}", "password: hunter22", "ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5")
    clean = ("The build passed in 3.2 s.", "commit 9f3c2d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e", "max_tokens: 4096")

    def make_scanner(self):  # noqa: ANN201
        return plugin.make_scanner()


def test_scan_rewrites_and_reports_without_the_secret() -> None:
    result = plugin.make_scanner().scan(f"key={SECRET}", ScanContext(target="outbound"))
    assert result.verdict == Verdict.WARN
    assert result.text == "key=sk-proj-…EFGH"
    assert all(SECRET not in f.excerpt and SECRET not in f.message for f in result.findings)
    assert result.findings[0].rule == "secret.openai"


def test_host_redact_masks_secrets(host) -> None:  # noqa: ANN001
    host.register(plugin, name="secret-redaction")
    assert host.scanners()["secret-redaction"].targets == frozenset({"outbound"})
    assert host.redact(f"use {SECRET} please") == "use sk-proj-…EFGH please"


def test_dotenv_keys_of_the_hermes_home_are_masked(host, hermes_home) -> None:  # noqa: ANN001
    (hermes_home / ".env").write_text("MY_GATEWAY_TOKEN=plainLooking-but-Secret-777\n", encoding="utf-8")
    host.register(plugin, name="secret-redaction")
    assert "plainLooking-but-Secret-777" not in host.redact("token plainLooking-but-Secret-777 in a reply")


@pytest.fixture
def clean_logging():  # noqa: ANN201
    """Remove any redaction filter from the hermes loggers before and after the test."""
    from hermes_plugin_secret_redaction.logfilter import RedactingFilter

    def strip() -> None:
        loggers = [logging.getLogger("hermes")] + [
            obj for name, obj in logging.Logger.manager.loggerDict.items()
            if name.startswith("hermes.") and isinstance(obj, logging.Logger)
        ]
        for logger in loggers:
            for target in [logger, *logger.handlers]:
                for flt in [f for f in target.filters if isinstance(f, RedactingFilter)]:
                    target.removeFilter(flt)

    strip()
    yield
    strip()


class _ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def test_log_filter_masks_messages_arguments_and_tracebacks(clean_logging) -> None:  # noqa: ANN001
    from hermes_plugin_secret_redaction.logfilter import install_log_redaction
    from hermes_plugin_secret_redaction.redactor import Redactor

    handler = _ListHandler()
    root = logging.getLogger("hermes")
    child = logging.getLogger("hermes.gateway.test")
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    try:
        install_log_redaction(Redactor())
        child.info("calling with key=%s", SECRET)
        try:
            raise ValueError(f"bad key {SECRET}")
        except ValueError:
            child.exception("request failed")
        root.warning("token ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5")
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    text = "\n".join(handler.lines)
    assert SECRET not in text and "ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5" not in text
    assert "sk-proj-…EFGH" in text and "ValueError" in text


def test_filter_is_attached_when_a_session_starts_not_on_import(host, llm_server, clean_logging) -> None:  # noqa: ANN001
    from hermes_plugin_secret_redaction.logfilter import RedactingFilter

    def attached() -> bool:
        return any(isinstance(f, RedactingFilter) for f in logging.getLogger("hermes").filters)

    host.register(plugin, name="secret-redaction")
    assert not attached()
    llm_server.script(Reply.text("hello"))
    import asyncio

    asyncio.run(run_agent(host, llm_server, "hi"))
    assert attached()


def test_trajectory_contains_no_secret(host, tmp_path) -> None:  # noqa: ANN001
    from hermes_core.agent.trajectory import write_trajectory
    from hermes_core.types import Message, ToolCall

    host.register(plugin, name="secret-redaction")
    messages = [
        Message(role="user", content=f"my key is {SECRET}"),
        Message(role="assistant", content=None,
                tool_calls=[ToolCall(id="c1", name="terminal", arguments=json.dumps({"command": f"export K={SECRET}"}))]),
        Message(role="tool", tool_call_id="c1", name="terminal", content=f"OPENAI_API_KEY={SECRET}\n"),
        Message(role="assistant", content="Done."),
    ]
    path = write_trajectory(tmp_path / "t.jsonl", messages, redact=host.redact, model="m", session_id="s", completed=True)
    text = path.read_text(encoding="utf-8")
    assert SECRET not in text and "Ab3dEf9hIjK1mNoPqRsTuVwXyZ" not in text
    assert json.loads(text.splitlines()[0])["conversations"][0]["value"] == "my key is sk-proj-…EFGH"


def test_entry_module_imports_only_the_kernel() -> None:
    import subprocess
    import sys

    code = (
        "import sys, logging, hermes_plugin_secret_redaction as p; "
        "print([m for m in sys.modules if m.startswith('hermes_plugin_secret_redaction.')], "
        "logging.getLogger('hermes').filters)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[] []"
