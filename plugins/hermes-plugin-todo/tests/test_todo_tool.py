"""The todo tool: reading, replacing, merging, limits, per-session state, compression."""

from __future__ import annotations

import json

import hermes_plugin_todo
import pytest

from hermes_core.testing import Reply, call_tool, make_session, run_agent
from hermes_core.testing.conformance import ToolConformance


class TestTodoConformance(ToolConformance):
    plugin = hermes_plugin_todo
    plugin_name = "todo"


@pytest.fixture
def todo_host(make_host):
    return make_host(plugins={"todo": hermes_plugin_todo})


@pytest.fixture
def session(todo_host):
    return make_session(todo_host)


def todo(host, session, **arguments):
    result = call_tool(host, "todo", arguments, session=session)
    assert not result.is_error, result.content
    return json.loads(result.content)


PLAN = [
    {"id": "1", "content": "Read the failing test", "status": "completed"},
    {"id": "2", "content": "Fix the parser", "status": "in_progress"},
    {"id": "3", "content": "Run the suite"},
]


def test_empty_list_is_read_without_arguments(todo_host, session):
    host = todo_host
    assert todo(host, session) == {"todos": [], "summary": {
        "total": 0, "pending": 0, "in_progress": 0, "completed": 0, "cancelled": 0}}


def test_write_then_read_back_with_counts(todo_host, session):
    host = todo_host
    written = todo(host, session, todos=PLAN)
    assert [item["status"] for item in written["todos"]] == ["completed", "in_progress", "pending"]
    assert written["summary"] == {"total": 3, "pending": 1, "in_progress": 1, "completed": 1, "cancelled": 0}
    assert todo(host, session) == written


def test_replace_drops_what_is_not_sent(todo_host, session):
    host = todo_host
    todo(host, session, todos=PLAN)
    replaced = todo(host, session, todos=[{"id": "9", "content": "Start over"}])
    assert [item["id"] for item in replaced["todos"]] == ["9"]


def test_merge_updates_by_id_and_appends(todo_host, session):
    host = todo_host
    todo(host, session, todos=PLAN)
    merged = todo(host, session, merge=True, todos=[
        {"id": "2", "status": "completed"},
        {"id": "3", "status": "in_progress", "content": "Run the whole suite"},
        {"id": "4", "content": "Write the changelog"},
    ])
    assert [(i["id"], i["status"]) for i in merged["todos"]] == [
        ("1", "completed"), ("2", "completed"), ("3", "in_progress"), ("4", "pending")]
    assert merged["todos"][1]["content"] == "Fix the parser"  # fields not sent are kept
    assert merged["todos"][2]["content"] == "Run the whole suite"


def test_duplicate_ids_keep_the_last(todo_host, session):
    host = todo_host
    result = todo(host, session, todos=[{"id": "a", "content": "first"}, {"id": "a", "content": "second"}])
    assert [i["content"] for i in result["todos"]] == ["second"]


def test_bad_input_changes_nothing(todo_host, session):
    host = todo_host
    todo(host, session, todos=PLAN)
    cases = [
        ({"todos": [{"id": "5"}]}, "todos[0] (id '5'): content is required for every item when merge is false"),
        ({"todos": [{"id": "5"}], "merge": True}, "content is required for a new item"),
        ({"todos": [{"id": " ", "content": "x"}]}, "todos[0]: id is missing or empty"),
        ({"todos": [{"id": "1", "content": "x" * 1001}]}, "content is 1,001 characters"),
        ({"todos": [{"id": "1", "content": "x", "status": "done"}]}, "must be one of 'pending'"),
        ({"todos": [{"id": str(n), "content": "x"} for n in range(101)]}, "keep it to 100"),
        ({"todos": ["just text"]}, "expected object"),
    ]
    for arguments, message in cases:
        result = call_tool(host, "todo", arguments, session=session)
        assert result.is_error and message in result.content, (arguments, result.content)
    assert todo(host, session)["summary"]["total"] == 3


def test_unicode_content(todo_host, session):
    host = todo_host
    result = todo(host, session, todos=[{"id": "ü", "content": "Übersetzung prüfen 🇩🇪"}])
    assert result["todos"][0] == {"id": "ü", "content": "Übersetzung prüfen 🇩🇪", "status": "pending"}


def test_each_session_has_its_own_list(todo_host):
    host = todo_host
    one, two = make_session(host), make_session(host)
    todo(host, one, todos=PLAN)
    assert todo(host, two)["todos"] == []
    assert todo(host, one)["summary"]["total"] == 3


async def test_the_list_survives_a_conversation_and_comes_back_after_compression(make_host, llm_server):
    host = make_host(plugins={"todo": hermes_plugin_todo}, config={
        "model": {"context_window": 4000},
        "agent": {"compression": {"threshold": 0.5, "keep_first": 1, "keep_last": 2}},
    })
    llm_server.script(
        Reply.tool_call("todo", {"todos": PLAN}),
        Reply.text("Planned."),
        Reply.text("Summary: the user asked for a plan and it was written."),
        Reply.text("Still on it."),
    )
    agent = await run_agent(host, llm_server, "plan the fix", "keep going " + "and " * 2500)
    assert agent.last_result.text == "Still on it."
    final = llm_server.chat_requests[-1]
    reminder = final.messages[-1]["content"]
    assert reminder.startswith("[Your task list, kept through context compression]")
    assert "- [>] 2. Fix the parser (in_progress)" in reminder and "- [ ] 3. Run the suite (pending)" in reminder
    assert "Read the failing test" not in reminder  # finished items stay out
    assert any("Summary:" in (m.get("content") or "") for m in final.messages)
