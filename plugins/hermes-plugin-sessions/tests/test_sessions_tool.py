"""The session_search tool through the kernel's dispatcher: its three shapes, scoping to
the user, leaving the current conversation out, and its errors."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

import hermes_plugin_sessions
from hermes_core import SessionStoreSpec, hookimpl
from hermes_core.testing import acall_tool, make_session
from hermes_core.types import Message, SearchHit, SessionRecord, ToolCall


@pytest.fixture
def host(make_host):
    return make_host(plugins={"sessions": hermes_plugin_sessions})


async def seed(host):
    store = host.session_store()
    now = time.time()
    await store.create_session(SessionRecord(id="s-nginx", title="Staging proxy", started_at=now - 3600))
    ids = await store.append_messages("s-nginx", [
        Message(role="system", content="system prompt with nginx inside"),
        Message(role="user", content="How do I set up the nginx reverse proxy for staging?", created_at=now - 3500),
        Message(role="assistant", tool_calls=[ToolCall(id="c1", name="read_file", arguments='{"path": "/etc/nginx/nginx.conf"}')],
                created_at=now - 3490),
        Message(role="tool", tool_call_id="c1", name="read_file", content="worker_processes auto;", created_at=now - 3480),
        Message(role="assistant", content="Add an upstream block and proxy_pass to it, then reload nginx.",
                created_at=now - 3470),
    ])
    await store.create_session(SessionRecord(id="s-weather", started_at=now - 60))
    await store.append_messages("s-weather", [Message(role="user", content="Is it raining in Lyon?", created_at=now - 50)])
    await store.create_session(SessionRecord(id="s-bob", user_id="telegram:bob", platform="telegram", started_at=now))
    await store.append_messages("s-bob", [Message(role="user", content="bob's private nginx notes")])
    return ids


async def call(host, args, *, user="local", session_id=None):
    session = make_session(host, user_id=user, **({"id": session_id} if session_id else {}))
    result = await acall_tool(host, "session_search", args, session=session)
    return result, (json.loads(result.content) if not result.is_error else result.content)


def test_registration_is_light(host):
    tools = host.tools()
    assert tools["session_search"].toolset == "session_search"
    assert set(tools["session_search"].parameters["properties"]) == {
        "query", "session_id", "around_message_id", "role_filter", "sort", "limit"}
    assert "sqlite" in host.session_stores() and "sessions" in host.cli_commands()
    # In a fresh interpreter: registering imports neither the store, sqlite3 nor click.
    probe = (
        "import sys, hermes_plugin_sessions as p\n"
        "list(p.hermes_tools()); list(p.hermes_session_stores()); list(p.hermes_cli_commands())\n"
        "list(p.hermes_config_sections()); list(p.hermes_toolsets())\n"
        "heavy = [m for m in ('sqlite3', 'click', 'hermes_plugin_sessions.store', 'hermes_plugin_sessions.cli')"
        " if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True, timeout=60)


async def test_search_returns_snippets_context_and_ids(host):
    ids = await seed(host)
    result, data = await call(host, {"query": "nginx proxy"})
    assert not result.is_error and data["mode"] == "search"
    first = data["results"][0]
    assert first["session_id"] == "s-nginx" and first["title"] == "Staging proxy"
    assert "**nginx**" in first["snippet"] and first["message_id"] in ids
    assert any(m.get("match") for m in first["context"])
    assert all("bob" not in json.dumps(r) for r in data["results"])
    _, tools = await call(host, {"query": "nginx.conf"})
    assert tools["results"][0]["role"] == "assistant"
    _, only_tools = await call(host, {"query": "worker_processes", "role_filter": "tool"})
    assert [r["role"] for r in only_tools["results"]] == ["tool"]
    await host.aclose()


async def test_search_is_scoped_to_the_user_and_skips_the_current_conversation(host):
    await seed(host)
    _, bob = await call(host, {"query": "nginx"}, user="telegram:bob")
    assert [r["session_id"] for r in bob["results"]] == ["s-bob"]
    _, inside = await call(host, {"query": "nginx"}, session_id="s-nginx")
    assert inside["count"] == 0 and "note" in inside
    _, recent = await call(host, {}, session_id="s-weather")
    assert [s["session_id"] for s in recent["sessions"]] == ["s-nginx"]
    await host.aclose()


async def test_recent_sessions(host):
    await seed(host)
    result, data = await call(host, {})
    assert data["mode"] == "recent" and [s["session_id"] for s in data["sessions"]] == ["s-weather", "s-nginx"]
    nginx = data["sessions"][1]
    assert nginx["title"] == "Staging proxy" and nginx["messages"] == 5
    assert nginx["preview"].startswith("How do I set up the nginx") and nginx["started"] and nginx["last_active"]
    _, one = await call(host, {"limit": 1})
    assert one["count"] == 1
    await host.aclose()


async def test_reading_a_session(host):
    ids = await seed(host)
    _, data = await call(host, {"session_id": "s-nginx"})
    assert data["mode"] == "session" and [m["role"] for m in data["messages"]] == ["user", "assistant", "tool", "assistant"]
    assert data["messages"][1]["tool_calls"][0]["name"] == "read_file"
    assert [m["id"] for m in data["messages"]] == ids[1:]
    _, window = await call(host, {"session_id": "s-nginx", "around_message_id": ids[3], "limit": 2})
    assert [m["id"] for m in window["messages"]] == ids[2:4] and window["more_before"] and window["more_after"]
    result, _ = await call(host, {"session_id": "s-bob"})
    assert result.is_error and "no saved session" in result.content
    result, _ = await call(host, {"session_id": "s-nginx", "around_message_id": 999999})
    assert result.is_error and "not in session" in result.content
    await host.aclose()


async def test_argument_errors_are_clear(host):
    await seed(host)
    result, _ = await call(host, {"query": "nginx", "role_filter": "user,robot"})
    assert result.is_error and "role_filter" in result.content and "robot" in result.content
    result, _ = await call(host, {"query": "nginx", "sort": "random"})
    assert result.is_error and "sort" in result.content
    result, data = await call(host, {"query": '"(unbalanced AND'})
    assert not result.is_error and data["mode"] == "search"
    await host.aclose()


async def test_no_store_gives_a_clear_message(make_host):
    host = make_host(plugins={"sessions": hermes_plugin_sessions}, config={"sessions": {"store": "nowhere"}})
    result = await acall_tool(host, "session_search", {"query": "x"}, session=make_session(host))
    assert result.is_error and "'nowhere' is not installed" in result.content and "sessions.store" in result.content


class ProtocolOnlyStore:
    """A store with nothing beyond the kernel's protocol."""

    def __init__(self):
        self.record = SessionRecord(id="p1", title="plain")
        self.messages = [Message(role="system", content="x"), Message(role="user", content="find the marmot")]

    async def get_session(self, session_id):
        return self.record if session_id == "p1" else None

    async def get_messages(self, session_id):
        return list(self.messages)

    async def list_sessions(self, user_id, *, limit=20, offset=0, platform=None):
        return [self.record] if user_id == "local" else []

    async def search(self, query, user_id, *, limit=10):
        if "marmot" not in query or user_id != "local":
            return []
        return [SearchHit(session_id="p1", message_id=1, role="user", snippet="find the **marmot**",
                          context=self.messages[1:])]

    async def aclose(self):
        return None


class ProtocolOnlyPlugin:
    @hookimpl
    def hermes_session_stores(self):
        yield SessionStoreSpec(name="plain", factory=lambda home, settings: ProtocolOnlyStore())


async def test_works_with_a_store_that_only_has_the_protocol(make_host):
    host = make_host(plugins={"sessions": hermes_plugin_sessions, "plain": ProtocolOnlyPlugin()},
                     config={"sessions": {"store": "plain"}})
    _, found = await call(host, {"query": "marmot"})
    assert found["results"][0]["session_id"] == "p1"
    _, recent = await call(host, {})
    assert recent["sessions"][0]["session_id"] == "p1"
    _, read = await call(host, {"session_id": "p1"})
    assert [m["content"] for m in read["messages"]] == ["find the marmot"]
