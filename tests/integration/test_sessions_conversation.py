"""Conversations saved by the sqlite session store, against the scripted model server.

A fact said in one conversation is found with ``session_search`` in the next; a saved
conversation resumes with its history; compression's child session keeps its lineage.
"""

from __future__ import annotations

import json

import pytest

from hermes_core.testing import Reply, acall_tool, make_session, run_agent

sessions_plugin = pytest.importorskip("hermes_plugin_sessions")


@pytest.fixture
def host(make_host):
    return make_host(plugins={"sessions": sessions_plugin})


async def test_a_later_conversation_finds_an_earlier_one(host, llm_server):
    llm_server.script(Reply.text("Noted: the rotation script is vault-rotate.sh, Thursdays."))
    first = await run_agent(host, llm_server, "Our staging DB password rotates on Thursdays via vault-rotate.sh.")

    llm_server.script(
        Reply.tool_call("session_search", {"query": "vault-rotate"}),
        Reply.text("You rotate it on Thursdays with vault-rotate.sh."),
    )
    second = await run_agent(host, llm_server, "When do we rotate the staging password again?")
    tool_messages = [m for m in llm_server.chat_requests[-1].messages if m["role"] == "tool"]
    found = json.loads(tool_messages[0]["content"])
    assert found["count"] >= 1
    top = found["results"][0]
    assert top["session_id"] == first.session.id and "vault" in top["snippet"]
    assert "Thursdays via vault-rotate.sh" in json.dumps(found)
    # The second conversation (which holds the same words now) is left out of its own search.
    assert second.session.id not in {r["session_id"] for r in found["results"]}

    store = host.session_store()
    saved = await store.get_messages(second.session.id)
    assert [m.role for m in saved] == ["system", "user", "assistant", "tool", "assistant"]
    assert saved[2].tool_calls[0].name == "session_search"
    record = await store.get_session(first.session.id)
    assert record.end_reason == "exit" and record.message_count == 3 and record.usage.requests >= 1
    await host.aclose()


async def test_resume_continues_with_the_saved_history(host, llm_server):
    llm_server.script(Reply.text("Hello Ada."))
    first = await run_agent(host, llm_server, "My name is Ada.")
    llm_server.script(Reply.text("Your name is Ada."))
    resumed = await run_agent(host, llm_server, "What is my name?", resume=first.session.id)
    assert resumed.session.id == first.session.id
    sent = [m["content"] for m in llm_server.chat_requests[-1].messages]
    assert "My name is Ada." in sent and "Hello Ada." in sent and sent[-1] == "What is my name?"
    saved = await host.session_store().get_messages(first.session.id)
    assert [m.content for m in saved if m.role != "system"] == [
        "My name is Ada.", "Hello Ada.", "What is my name?", "Your name is Ada."]
    await host.aclose()


async def test_compression_lineage_is_stored(make_host, llm_server):
    host = make_host(
        plugins={"sessions": sessions_plugin},
        config={"model": {"context_window": 3000},
                "agent": {"compression": {"keep_first": 2, "keep_last": 2, "threshold": 0.5}}},
    )

    def reply(request):
        if (request.json.get("messages") or [{}])[0].get("content", "").startswith("You compress a conversation"):
            return Reply.text("SUMMARY: filler about the lighthouse.")
        return Reply.text("noted " + "y" * 300)

    llm_server.default = Reply.using(reply)
    agent = await run_agent(host, llm_server, "the lighthouse keeper " + "a" * 400,
                            *[f"filler {i} " + "b" * 600 for i in range(6)])
    store = host.session_store()
    child = await store.get_session(agent.session.id)
    assert child.parent_id is not None, "compression never happened"
    parent = await store.get_session(child.parent_id)
    assert parent.end_reason == "compressed" and parent.message_count > 0
    assert sorted(await store.lineage(child.id)) == sorted({child.id, parent.id, *await store.lineage(parent.id)})
    summary = [m for m in await store.get_messages(child.id) if "SUMMARY" in (m.content or "")]
    assert summary
    # The first words of the conversation live in the parent: another conversation finds
    # them, the same conversation (its lineage is left out) does not search itself.
    elsewhere = await acall_tool(host, "session_search", {"query": "lighthouse keeper"}, session=make_session(host))
    assert parent.id in elsewhere.content
    itself = await acall_tool(host, "session_search", {"query": "lighthouse keeper"},
                              session=make_session(host, id=child.id))
    assert json.loads(itself.content)["count"] == 0
    await host.aclose()
