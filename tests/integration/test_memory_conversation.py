"""Built-in memory in real conversations against the scripted model server.

A fact saved with the ``memory`` tool in one session is in the next session's system
prompt, and not in the prompt of the session that saved it (the snapshot is frozen at
session start). A fact pushed out of memory comes back through recall, in the user turn.
"""

from __future__ import annotations

import json

import pytest

from hermes_core.testing import Reply, run_agent

memory_plugin = pytest.importorskip("hermes_plugin_memory")

FACT = "The user's cat is called Ptolemy and they deploy on Fridays only."


def memory_call(**arguments):
    return Reply.tool_call("memory", arguments)


async def test_fact_saved_in_one_session_is_in_the_next_system_prompt(make_host, llm_server):
    host = make_host(plugins={"memory": memory_plugin})
    llm_server.script(
        memory_call(action="add", target="user", content=FACT),
        Reply.text("Noted."),
        Reply.text("Your cat is Ptolemy."),
    )
    first = await run_agent(host, llm_server, "Remember: my cat is Ptolemy, and I only deploy on Fridays.")
    tool_message = next(m for m in first.messages if m.role == "tool")
    assert json.loads(tool_message.content)["success"] is True
    await run_agent(host, llm_server, "What is my cat called?")

    requests = llm_server.chat_requests
    assert len(requests) == 3
    assert FACT not in requests[0].system_prompt
    assert FACT not in requests[1].system_prompt  # same session: the snapshot stays frozen
    assert FACT in requests[2].system_prompt
    assert "USER.md" in requests[2].system_prompt and "/1,375 chars]" in requests[2].system_prompt
    assert (host.home / "memories" / "USER.md").read_text(encoding="utf-8") == FACT


async def test_each_user_gets_their_own_snapshot(make_host, llm_server):
    host = make_host(plugins={"memory": memory_plugin})
    llm_server.script(
        memory_call(action="add", target="user", content=FACT), Reply.text("Noted."),
        Reply.text("Hello."), Reply.text("Hello again."),
    )
    await run_agent(host, llm_server, "Remember my cat.", user_id="slack:U1")
    await run_agent(host, llm_server, "Hi", user_id="slack:U2")
    await run_agent(host, llm_server, "Hi", user_id="slack:U1")
    prompts = [r.system_prompt for r in llm_server.chat_requests]
    assert FACT not in prompts[2] and FACT in prompts[3]


async def test_removed_fact_comes_back_through_recall(make_host, llm_server):
    host = make_host(plugins={"memory": memory_plugin})
    llm_server.script(
        memory_call(action="add", target="memory", content="The build cache lives in /srv/cache/builds."),
        memory_call(action="remove", target="memory", old_text="build cache"),
        Reply.text("Done."),
        Reply.text("It was /srv/cache/builds."),
    )
    await run_agent(host, llm_server, "Note where the build cache is, then forget it.")
    await run_agent(host, llm_server, "Where did the build cache live?")
    last = llm_server.chat_requests[-1]
    assert "/srv/cache/builds" not in last.system_prompt
    assert "/srv/cache/builds" in last.last_user_text and "Recalled from memory" in last.last_user_text


async def test_subagent_session_cannot_write(make_host, llm_server):
    host = make_host(plugins={"memory": memory_plugin})
    llm_server.script(memory_call(action="add", target="memory", content="from a subagent"), Reply.text("ok"))
    agent = await run_agent(host, llm_server, "save something", origin="subagent")
    tool_message = next(m for m in agent.messages if m.role == "tool")
    assert "allow_subagent_writes" in tool_message.content
    assert not (host.home / "memories" / "MEMORY.md").exists()
