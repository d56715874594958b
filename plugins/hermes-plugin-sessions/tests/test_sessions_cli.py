"""``hermes sessions ...`` against a host with the plugin registered."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import hermes_plugin_sessions
from hermes_core.cli._root import CliState
from hermes_core.types import Message, SessionRecord, ToolCall
from hermes_plugin_sessions.cli import parse_duration, sessions


@pytest.fixture
def host(make_host):
    host = make_host(plugins={"sessions": hermes_plugin_sessions})

    async def fill():
        store = host.session_store()
        now = time.time()
        await store.create_session(SessionRecord(id="20250101_100000_aaaa1111", title="Nginx staging", started_at=now - 40 * 86400))
        await store.append_messages("20250101_100000_aaaa1111", [
            Message(role="system", content="prompt", created_at=now - 40 * 86400),
            Message(role="user", content="configure the nginx proxy", created_at=now - 40 * 86400),
            Message(role="assistant", tool_calls=[ToolCall(id="c", name="terminal", arguments='{"command": "nginx -t"}')],
                    created_at=now - 40 * 86400),
            Message(role="tool", tool_call_id="c", name="terminal", content="syntax is ok", created_at=now - 40 * 86400),
        ])
        await store.create_session(SessionRecord(id="20250301_100000_bbbb2222", user_id="tg:7", platform="telegram",
                                                 started_at=now - 3600))
        await store.append_messages("20250301_100000_bbbb2222", [Message(role="user", content="hello from telegram")])
        await host.aclose()

    asyncio.run(fill())
    return host


def run(host, *args, input=None):
    state = CliState()
    state._host = host
    result = CliRunner().invoke(sessions, list(args), obj=state, input=input, catch_exceptions=False)
    return result


def test_list(host):
    result = run(host, "list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("20250301_100000_bbbb2222") and "telegram:tg:7" in lines[0]
    assert "Nginx staging" in lines[1] and "cli" in lines[1]
    assert run(host, "list", "--user", "tg:7").output.count("\n") == 1
    assert run(host, "list", "--platform", "cli", "-n", "1").output.startswith("20250101_100000_aaaa1111")
    data = json.loads(run(host, "list", "--json").output)
    assert data[1]["preview"] == "configure the nginx proxy"


def test_show_with_a_prefix(host):
    result = run(host, "show", "20250101")
    assert result.exit_code == 0, result.output
    assert "Nginx staging" in result.output and "-> terminal" in result.output and "syntax is ok" in result.output
    assert "prompt" not in result.output.split("\n", 3)[-1]
    missing = run(host, "show", "nope")
    assert missing.exit_code == 1 and "no saved session matches 'nope'" in missing.output


def test_search(host):
    result = run(host, "search", "nginx")
    assert result.exit_code == 0 and "20250101_100000_aaaa1111" in result.output and "**nginx**" in result.output
    assert run(host, "search", "nginx", "--user", "tg:7").output.strip() == "no matches"
    assert run(host, "search", '"(').output.strip() == "no matches"


def test_export_and_import_round_trip(host, tmp_path, make_host):
    out = tmp_path / "all.jsonl"
    result = run(host, "export", "-o", str(out))
    assert result.exit_code == 0 and "exported 2 session(s)" in result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["session"]["id"] == "20250101_100000_aaaa1111"
    share = run(host, "export", "20250101", "--format", "sharegpt")
    turns = json.loads(share.output)["conversations"]
    assert [t["from"] for t in turns] == ["system", "human", "gpt", "tool"]
    assert "<tool_call>" in turns[2]["value"] and '"nginx -t"' in turns[2]["value"]

    other = make_host(plugins={"sessions": hermes_plugin_sessions},
                      config={"sessions": {"sqlite": {"path": str(tmp_path / "copy.db")}}})
    imported = run(other, "import", str(out))
    assert imported.exit_code == 0 and "imported 2 session(s), 5 message(s)" in imported.output
    again = run(other, "import", str(out))
    assert "skipped 2 already saved" in again.output
    assert run(other, "export", "-o", str(tmp_path / "copy.jsonl")).exit_code == 0
    assert (tmp_path / "copy.jsonl").read_text(encoding="utf-8").splitlines() == lines
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"session": {"id": "x"}, "messages": []}\nnot json\n', encoding="utf-8")
    failed = run(other, "import", str(broken))
    assert failed.exit_code == 1 and "line 2" in failed.output


def test_delete_asks_first(host):
    refused = run(host, "delete", "20250301", input="n\n")
    assert refused.exit_code == 1
    done = run(host, "delete", "20250301", "--yes")
    assert done.exit_code == 0 and "deleted 20250301_100000_bbbb2222" in done.output
    assert "bbbb2222" not in run(host, "list").output


def test_prune_and_stats(host):
    assert "no sessions last active" in run(host, "prune", "--older-than", "90d").output
    result = run(host, "prune", "--older-than", "30d", "--yes", "--vacuum")
    assert result.exit_code == 0 and "deleted 1 session(s)" in result.output
    stats = run(host, "stats")
    assert stats.exit_code == 0 and "sessions   1" in stats.output and "messages   1" in stats.output
    assert "full-text" in stats.output
    data = json.loads(run(host, "stats", "--json").output)
    assert data["messages"] == 1 and 0 < data["fts_share"] < 1
    bad = run(host, "prune", "--older-than", "soon")
    assert bad.exit_code == 2 and "not a duration" in bad.output


def test_parse_duration():
    assert parse_duration("30d") == 30 * 86400
    assert parse_duration("12h") == 12 * 3600
    assert parse_duration("2w") == 14 * 86400
    assert parse_duration("45") == 45 * 86400


def test_a_different_store_is_refused(make_host):
    host = make_host(plugins={"sessions": hermes_plugin_sessions}, config={"sessions": {"store": "elsewhere"}})
    result = run(host, "list")
    assert result.exit_code == 1 and "not installed" in result.output


@pytest.mark.parametrize("command", [[], ["list"], ["show"], ["search"], ["export"], ["import"], ["delete"],
                                     ["prune"], ["stats"]])
def test_every_subcommand_has_help(command):
    result = CliRunner().invoke(sessions, [*command, "--help"], obj=CliState())
    assert result.exit_code == 0 and "Usage:" in result.output


def test_the_real_hermes_command_finds_the_plugin(hermes_env, hermes_home, tmp_path):
    # Through the installed entry point and the lazy command loader, in a fresh process.
    hermes = Path(sys.executable).with_name("hermes")
    if not hermes.exists():
        pytest.skip("the hermes executable is not installed next to this Python")
    env = {**hermes_env, "COLUMNS": "200"}
    listed = subprocess.run([str(hermes), "sessions", "list"], capture_output=True, text=True, env=env,
                            cwd=tmp_path, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.strip() == "no saved sessions"
    stats = subprocess.run([str(hermes), "sessions", "stats"], capture_output=True, text=True, env=env,
                           cwd=tmp_path, timeout=120)
    assert stats.returncode == 0 and str(hermes_home / "state.db") in stats.stdout
