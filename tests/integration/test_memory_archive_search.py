"""Memory pushed out of MEMORY.md is still found by ``session_search`` (the real SQLite store).

The built-in memory indexes every archived entry in the user's ``memory-archive`` session;
the sessions plugin's full-text search must find it, for that user only.
"""

from __future__ import annotations

import pytest

from hermes_core.testing import Reply, acall_tool, make_session, run_agent

memory_plugin = pytest.importorskip("hermes_plugin_memory")
sessions_plugin = pytest.importorskip("hermes_plugin_sessions")


@pytest.fixture
def host(make_host):
    return make_host(plugins={"memory": memory_plugin, "sessions": sessions_plugin})


async def test_archived_entry_is_found_by_session_search(host):
    # Direct tool calls are not recorded as a conversation: the only copy of the old text
    # the store can hold is the one the memory archive put there.
    me = make_session(host)
    for args in (
        {"action": "add", "target": "memory", "content": "The staging VPN endpoint is vpn-stage.internal port 1194."},
        {"action": "replace", "target": "memory", "old_text": "vpn-stage",
         "content": "The staging VPN endpoint moved to wg-stage.internal."},
    ):
        result = await acall_tool(host, "memory", args, session=me)
        assert not result.is_error, result.content
    assert "vpn-stage" not in (host.home / "memories" / "MEMORY.md").read_text(encoding="utf-8")

    found = await acall_tool(host, "session_search", {"query": "vpn-stage"}, session=make_session(host))
    assert not found.is_error, found.content
    assert "vpn-stage.internal port 1194" in found.content and "memory-archive-local" in found.content

    stranger = make_session(host, user_id="discord:999")
    other = await acall_tool(host, "session_search", {"query": "vpn-stage"}, session=stranger)
    assert "vpn-stage.internal" not in other.content
    await host.aclose()


async def test_archive_search_after_a_real_conversation(host, llm_server):
    llm_server.script(
        Reply.tool_call("memory", {"action": "add", "target": "user", "content": "Prefers Fish shell."}),
        Reply.tool_call("memory", {"action": "remove", "target": "user", "old_text": "Fish"}),
        Reply.text("Done."),
    )
    await run_agent(host, llm_server, "Remember I use fish. Actually, forget that.")
    found = await acall_tool(host, "session_search", {"query": "Fish shell"}, session=make_session(host))
    assert "memory-archive-local" in found.content
    await host.aclose()
