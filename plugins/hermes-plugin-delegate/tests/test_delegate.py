"""delegate_task against the scripted server: one child, a parallel batch, the limits."""

from __future__ import annotations

import hermes_plugin_delegate
from hermes_core import ToolSpec, hookimpl
from hermes_core.testing import Reply, run_agent
from hermes_core.testing.conformance import ToolConformance


class Tools:
    @hookimpl
    def hermes_tools(self):
        yield ToolSpec(name="echo", description="Echo.", handler=lambda a, c: f"echo {a['text']}", toolset="test",
                       parameters={"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]})
        yield ToolSpec(name="other", description="Other.", handler=lambda a, c: "other", toolset="elsewhere")


def _host(make_host, **config):
    return make_host(plugins={"delegate": hermes_plugin_delegate, "tools": Tools()}, config=config or None)


class TestConformance(ToolConformance):
    plugin = hermes_plugin_delegate


async def test_one_child_with_restricted_tools(make_host, llm_server):
    host = _host(make_host)
    llm_server.script(
        Reply.tool_call("delegate_task", {"goal": "Echo the word banana", "context": "Use the echo tool.", "toolsets": ["test"]}),
        Reply.tool_call("echo", {"text": "banana"}),
        Reply.text("I echoed banana."),
        Reply.text("The subagent echoed banana."),
    )
    agent = await run_agent(host, llm_server, "delegate it")
    assert agent.last_result.text == "The subagent echoed banana."
    parent_first, child_first, child_second, parent_last = llm_server.chat_requests
    assert set(parent_first.tool_names) == {"delegate_task", "echo", "other"}
    assert child_first.tool_names == ["echo"]  # only its toolset; never delegate_task
    assert "Task: Echo the word banana" in child_first.last_user_text
    assert "Use the echo tool." in child_first.last_user_text
    assert "delegate it" not in str(child_first.messages)  # fresh context
    assert parent_last.messages[-1]["content"] == "I echoed banana."
    assert agent.usage.requests == 4


async def test_parallel_batch_keeps_task_order(make_host, llm_server):
    host = _host(make_host)

    def answer(request):
        text = request.last_user_text
        if "Task: first" in text:
            return Reply.text("result one")
        if "Task: second" in text:
            return Reply.text("result two")
        return Reply.text("both done")

    llm_server.script(Reply.tool_call("delegate_task", {"tasks": [{"goal": "first", "toolsets": ["test"]},
                                                                  {"goal": "second", "toolsets": ["test"]}]}))
    llm_server.default = Reply.using(answer)
    await run_agent(host, llm_server, "do both")
    combined = llm_server.chat_requests[-1].messages[-1]["content"]
    assert combined.index("Task 1 (done): first\nresult one") < combined.index("Task 2 (done): second\nresult two")


async def test_unknown_toolset_is_a_tool_error(make_host, llm_server):
    host = _host(make_host)
    llm_server.script(Reply.tool_call("delegate_task", {"goal": "x", "toolsets": ["nope"]}), Reply.text("ok"))
    await run_agent(host, llm_server, "go")
    assert "no such toolset(s): nope" in llm_server.chat_requests[1].messages[-1]["content"]


async def test_needs_a_goal(make_host, llm_server):
    host = _host(make_host)
    llm_server.script(Reply.tool_call("delegate_task", {}), Reply.text("ok"))
    await run_agent(host, llm_server, "go")
    assert "give a goal" in llm_server.chat_requests[1].messages[-1]["content"]


async def test_child_failure_is_reported(make_host, llm_server):
    host = _host(make_host)
    llm_server.script(Reply.tool_call("delegate_task", {"goal": "x", "toolsets": ["test"]}),
                      Reply.error(400, "child request rejected"), Reply.text("parent copes"))
    agent = await run_agent(host, llm_server, "go")
    assert agent.last_result.text == "parent copes"
    assert "The subagent failed" in llm_server.chat_requests[2].messages[-1]["content"]


async def test_budget_and_task_limits_come_from_config(make_host, llm_server):
    host = _host(make_host, delegation={"max_iterations": 1, "max_tasks": 1})
    llm_server.script(
        Reply.tool_call("delegate_task", {"tasks": [{"goal": "a"}, {"goal": "b"}]}),
        Reply.tool_call("delegate_task", {"goal": "loop", "toolsets": ["test"]}),
        Reply.tool_call("echo", {"text": "1"}),
        Reply.text("child final answer without tools"),
        Reply.text("done"),
    )
    await run_agent(host, llm_server, "go")
    assert "at most 1" in llm_server.chat_requests[1].messages[-1]["content"]
    final_child_request = llm_server.chat_requests[3]
    assert final_child_request.tools == []  # the child's budget of 1 ran out
