"""The file, todo, clarify and web tools in real conversations against the scripted model
server: the model reads a file, patches it, reads it back; plans with todo; searches."""

from __future__ import annotations

import json

import pytest

from hermes_core.testing import Call, Reply, ScriptedInteraction, run_agent

file_tools = pytest.importorskip("hermes_plugin_file_tools")
todo_plugin = pytest.importorskip("hermes_plugin_todo")
clarify_plugin = pytest.importorskip("hermes_plugin_clarify")
web_plugin = pytest.importorskip("hermes_plugin_web")

BUGGY = """\
def average(values):
    if not values:
        return 0
    return sum(values) / (len(values) - 1)
"""


def tool_results(request):
    return [m for m in request.messages if m["role"] == "tool"]


async def test_read_patch_and_read_back(make_host, llm_server):
    host = make_host(plugins={"file-tools": file_tools})
    (host.cwd / "stats.py").write_text(BUGGY)
    llm_server.script(
        Reply.tool_call("read_file", {"path": "stats.py"}, id="read1"),
        Reply.tool_call("patch", {"path": "stats.py", "old_string": "(len(values) - 1)", "new_string": "len(values)"},
                        id="patch1"),
        Reply.tool_call("read_file", {"path": "stats.py", "offset": 4, "limit": 1}, id="read2"),
        Reply.text("Fixed: average() divided by len(values) - 1."),
    )
    agent = await run_agent(host, llm_server, "average([2, 4]) returns 6; fix stats.py")
    assert agent.last_result.text == "Fixed: average() divided by len(values) - 1."
    assert (host.cwd / "stats.py").read_text() == BUGGY.replace("(len(values) - 1)", "len(values)")

    first, second, third, final = llm_server.chat_requests
    assert {"read_file", "write_file", "patch", "search_files"} <= set(first.tool_names)
    read = tool_results(second)[-1]
    assert read["tool_call_id"] == "read1" and "     4|    return sum(values) / (len(values) - 1)" in read["content"]
    patched = tool_results(third)[-1]["content"]
    assert patched.startswith("Patched stats.py: 1 replacement (+1 -1 lines).")
    assert "-    return sum(values) / (len(values) - 1)\n+    return sum(values) / len(values)" in patched
    assert tool_results(final)[-1]["content"] == "     4|    return sum(values) / len(values)"


async def test_a_failed_patch_is_explained_and_retried(make_host, llm_server):
    host = make_host(plugins={"file-tools": file_tools})
    (host.cwd / "stats.py").write_text(BUGGY)
    llm_server.script(
        Reply.tool_call("patch", {"path": "stats.py", "old_string": "return", "new_string": "yield"}),
        Reply.tool_call("patch", {"path": "stats.py", "old_string": "        return 0", "new_string": "        return 0.0"}),
        Reply.text("Done."),
    )
    await run_agent(host, llm_server, "make the empty case a float")
    ambiguous = tool_results(llm_server.chat_requests[1])[-1]["content"]
    assert "matches 2 places in stats.py (lines 3, 4)" in ambiguous
    assert "return 0.0\n" in (host.cwd / "stats.py").read_text()


async def test_plan_search_and_edit_in_one_turn(make_host, llm_server):
    host = make_host(plugins={"file-tools": file_tools, "todo": todo_plugin, "clarify": clarify_plugin,
                              "web": web_plugin})
    (host.cwd / "pkg").mkdir()
    (host.cwd / "pkg" / "config.py").write_text("TIMEOUT = 10\nRETRIES = 3\n")
    (host.cwd / "pkg" / "client.py").write_text("from .config import TIMEOUT\n")
    plan = [{"id": "1", "content": "Find where TIMEOUT is set", "status": "in_progress"},
            {"id": "2", "content": "Raise it to 30"}]
    llm_server.script(
        Reply.tool_calls(Call("todo", {"todos": plan}), Call("clarify", {"question": "30 or 60 seconds?",
                                                                        "choices": ["30", "60"]})),
        Reply.tool_call("search_files", {"pattern": "TIMEOUT =", "output_mode": "files_only"}),
        Reply.tool_call("patch", {"path": "pkg/config.py", "old_string": "TIMEOUT = 10", "new_string": "TIMEOUT = 30"}),
        Reply.tool_call("todo", {"todos": [{"id": "1", "status": "completed"}, {"id": "2", "status": "completed"}],
                                 "merge": True}),
        Reply.text("TIMEOUT is now 30."),
    )
    user = ScriptedInteraction(answers=["1"])
    await run_agent(host, llm_server, "raise the client timeout", interaction=user)
    requests = llm_server.chat_requests
    clarified = tool_results(requests[1])[-1]["content"]
    assert clarified == "The user answered: 30"
    assert tool_results(requests[2])[-1]["content"] == "1 match in 1 file:\npkg/config.py"
    done = json.loads(tool_results(requests[4])[-1]["content"])
    assert done["summary"] == {"total": 2, "pending": 0, "in_progress": 0, "completed": 2, "cancelled": 0}
    assert (host.cwd / "pkg" / "config.py").read_text() == "TIMEOUT = 30\nRETRIES = 3\n"


async def test_the_tools_fit_in_a_small_request(make_host, llm_server):
    host = make_host(plugins={"file-tools": file_tools, "todo": todo_plugin, "clarify": clarify_plugin,
                              "web": web_plugin})
    llm_server.script(Reply.text("hi"))
    await run_agent(host, llm_server, "hello")
    tools = llm_server.chat_requests[0].tools
    sizes = {t["function"]["name"]: len(json.dumps(t, separators=(",", ":"))) for t in tools}
    assert set(sizes) == {"read_file", "write_file", "patch", "search_files", "todo", "clarify", "web_fetch"}
    assert sum(sizes.values()) <= 4500, sizes
