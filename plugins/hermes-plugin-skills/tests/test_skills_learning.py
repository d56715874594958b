"""The learning loop: background review, usage counts, failure nudges, surviving compression."""

from __future__ import annotations

import json
import time
import types

import pytest

from hermes_core import ToolSpec, hookimpl
from hermes_core.errors import ToolError
from hermes_core.testing import Reply, ScriptedLLMServer, run_agent
from hermes_plugin_skills.review import REVIEW_TOOLS
from hermes_plugin_skills.usage import UsageStore

NEW_SKILL = """---
name: rotate-logs
description: Rotate and compress application logs with logrotate. Use when logs fill the disk.
---

# Rotate logs
1. Write /etc/logrotate.d/app with daily, rotate 7, compress.
2. Test with logrotate -d /etc/logrotate.d/app.
"""


def _work_tools() -> types.SimpleNamespace:
    def fail(args, ctx):
        raise ToolError("command failed: exit status 1")

    @hookimpl
    def hermes_tools():
        yield ToolSpec(name="noop", description="Do nothing.", handler=lambda args, ctx: "ok", toolset="work")
        yield ToolSpec(name="fail", description="Always fails.", handler=fail, toolset="work")

    return types.SimpleNamespace(hermes_tools=hermes_tools)


@pytest.fixture
def work_host(skills_host, no_bundled):
    def factory(**config):
        return skills_host(config={"skills": config} if config else None, extra={"work": _work_tools()})

    return factory


def busy_turn(calls: int) -> list[Reply]:
    return [Reply.tool_call("noop", {}) for _ in range(calls)] + [Reply.text("All done.")]


def review_requests(server) -> list:
    return [r for r in server.chat_requests if "looking back at a task" in r.last_user_text]


async def test_busy_turn_starts_a_background_review_that_saves_a_skill(work_host, llm_server, hermes_home,
                                                                       reference_validate):
    host = work_host(review_threshold=3)
    llm_server.script(
        *busy_turn(3),
        Reply.tool_call("skills_search", {"query": "rotate logs"}).delayed(0.3),
        Reply.tool_call("skill_manage", {"action": "create", "name": "rotate-logs", "content": NEW_SKILL}),
        Reply.text("Saved the skill rotate-logs."),
    )
    started = time.perf_counter()
    agent = await run_agent(host, llm_server, "set up log rotation for the app", close=False)
    turn_seconds = time.perf_counter() - started
    task = agent.session.state("skills")["review_task"]
    assert not task.done(), "the review must run in the background, not inside the turn"
    assert agent.last_result.text == "All done." and turn_seconds < 2
    await agent.close()
    assert task.done()
    assert agent.session.state("skills")["reviews"] == [{"ok": True, "answer": "Saved the skill rotate-logs."}]
    folder = hermes_home / "skills" / "rotate-logs"
    assert reference_validate(folder) == [] and "hermes.origin: agent" in (folder / "SKILL.md").read_text()
    reviews = review_requests(llm_server)
    assert len(reviews) == 3
    assert set(reviews[0].tool_names) <= set(REVIEW_TOOLS) and "skill_manage" in reviews[0].tool_names
    assert "noop" not in reviews[0].tool_names
    assert "ASSISTANT called noop" in reviews[0].last_user_text  # the transcript of the turn


async def test_quiet_turns_and_reviews_themselves_are_not_reviewed(work_host, llm_server):
    host = work_host(review_threshold=3)
    llm_server.script(*busy_turn(2))
    agent = await run_agent(host, llm_server, "small task", close=False)
    assert "review_task" not in agent.session.state("skills")
    await agent.close()
    assert review_requests(llm_server) == []


async def test_review_can_be_turned_off(work_host, llm_server):
    host = work_host(review_threshold=1, review_enabled=False)
    llm_server.script(*busy_turn(4))
    agent = await run_agent(host, llm_server, "task")
    assert "review_task" not in agent.session.state("skills") and review_requests(llm_server) == []


async def test_session_end_cancels_a_slow_review(work_host):
    host = work_host(review_threshold=1, review_join_timeout=0.2)
    with ScriptedLLMServer() as server:
        server.script(*busy_turn(1), Reply.text("never arrives").delayed(5))
        agent = await run_agent(host, server, "task", close=False)
        started = time.perf_counter()
        await agent.close()
        assert time.perf_counter() - started < 2
    task = agent.session.state("skills")["review_task"]
    assert task.cancelled()
    assert agent.session.state("skills")["reviews"] == [{"ok": False, "answer": "cancelled at session end"}]


async def test_a_failing_review_stays_in_the_background(work_host, llm_server):
    host = work_host(review_threshold=1)
    llm_server.script(*busy_turn(1), Reply.error(400, "bad request for the review"))
    agent = await run_agent(host, llm_server, "task")
    (review,) = agent.session.state("skills")["reviews"]
    assert review["ok"] is False and "bad request for the review" in review["answer"]


async def test_other_turns_go_on_while_a_review_runs(work_host, llm_server):
    host = work_host(review_threshold=1)
    def respond(request):
        if "looking back at a task" in request.last_user_text:
            return Reply.text("review done").delayed(0.5)
        return Reply.text("second answer")

    llm_server.script(*busy_turn(1), Reply.using(respond), Reply.using(respond))
    agent = await run_agent(host, llm_server, "first", close=False)
    second = await agent.run_turn("second")
    assert second.text == "second answer"
    await agent.close()
    assert agent.session.state("skills")["reviews"][0]["ok"] is True


async def test_failures_after_loading_a_skill_are_counted_and_nudged(work_host, llm_server, write_skill, hermes_home):
    host = work_host(review_enabled=False)
    write_skill(hermes_home / "skills", "flaky-steps", "Steps that do not work.")
    write_skill(hermes_home / "skills", "good-steps", "Steps that work.")
    llm_server.script(
        Reply.tool_call("skill_view", {"name": "flaky-steps"}), Reply.tool_call("fail", {}), Reply.tool_call("fail", {}),
        Reply.text("Could not finish."),
        Reply.tool_call("skill_view", {"name": "good-steps"}), Reply.tool_call("noop", {}), Reply.text("Done."),
    )
    await run_agent(host, llm_server, "use flaky", "use good")
    failed_results = [m["content"] for m in llm_server.chat_requests[2].messages if m["role"] == "tool"]
    assert "skill_manage(action='patch')" in failed_results[-1] and "'flaky-steps'" in failed_results[-1]
    second_failure = [m["content"] for m in llm_server.chat_requests[3].messages if m["role"] == "tool"][-1]
    assert "skill_manage" not in second_failure  # one nudge per skill and turn
    usage = UsageStore(hermes_home / "skills").read()
    assert (usage["flaky-steps"].loaded, usage["flaky-steps"].failed, usage["flaky-steps"].succeeded) == (1, 1, 0)
    assert (usage["good-steps"].loaded, usage["good-steps"].failed, usage["good-steps"].succeeded) == (1, 0, 1)


async def test_review_is_told_which_skill_failed(work_host, llm_server, write_skill, hermes_home):
    host = work_host(review_threshold=2)
    write_skill(hermes_home / "skills", "flaky-steps", "Steps that do not work.")
    llm_server.script(Reply.tool_call("skill_view", {"name": "flaky-steps"}), Reply.tool_call("fail", {}),
                      Reply.text("Gave up."), Reply.text("Nothing to save."))
    await run_agent(host, llm_server, "go")
    (review,) = review_requests(llm_server)
    assert "The skill 'flaky-steps' was followed in this task and 1 tool call(s) failed" in review.last_user_text


async def test_a_loaded_skill_survives_compression(skills_host, write_skill, hermes_home, no_bundled):
    host = skills_host(config={"model": {"context_window": 1500},
                               "agent": {"compression": {"threshold": 0.5, "keep_first": 1, "keep_last": 2}},
                               "skills": {"review_enabled": False}})
    write_skill(hermes_home / "skills", "pinned-steps", "Remember these steps.", "# Pinned\nThe secret step is 42.\n")
    queue = [Reply.tool_call("skill_view", {"name": "pinned-steps"}), Reply.text("Loaded."), Reply.text("Still here.")]

    def respond(request):
        if "You compress a conversation" in str(request.messages[0].get("content")):
            return Reply.text("Earlier: the user loaded a skill.")
        return queue.pop(0)

    with ScriptedLLMServer(default=Reply.using(respond)) as server:
        agent = await run_agent(host, server, "load the pinned steps", "tell me more " + "words " * 600, close=False)
        compressions = [r for r in server.chat_requests if "You compress a conversation" in str(r.messages[0])]
        assert compressions, "the test must force a compression"
        last = server.chat_requests[-1]
        pinned = [m for m in agent.messages if m.meta.get("skill") == "pinned-steps"]
        assert len(pinned) == 1 and "The secret step is 42." in pinned[0].content
        assert "The secret step is 42." in json.dumps(last.messages)
        assert not any(m["role"] == "tool" and "secret step" in (m.get("content") or "") for m in last.messages)
        await agent.close()


async def test_slash_command_loads_a_skill_and_submits_the_request(host_with_skills, llm_server, write_skill,
                                                                  hermes_home):
    from hermes_core.cli._slash import run_slash

    write_skill(hermes_home / "skills", "tidy-desk", "Tidy a desk.", "# Tidy\nPut things away.\n")
    llm_server.script(Reply.text("ok"), Reply.text("tidied"))
    agent = await run_agent(host_with_skills, llm_server, "hi", close=False)
    printed: list[str] = []
    outcome, submitted = await run_slash("/tidy-desk my desk is a mess", agent, printed.append)
    assert (outcome, submitted) == ("handled", ["my desk is a mess"])
    assert printed == ["loaded skill 'tidy-desk'"]
    await agent.run_turn(submitted[0])
    pinned = [m for m in agent.messages if m.meta.get("skill") == "tidy-desk"]
    assert len(pinned) == 1 and "Put things away." in pinned[0].content
    sent = llm_server.chat_requests[-1].messages
    assert "Put things away." in sent[-2]["content"] and sent[-1]["content"] == "my desk is a mess"
    unknown, _ = await run_slash("/no-such-skill", agent, printed.append)
    assert unknown == "unknown"
    bare, nothing = await run_slash("/tidy-desk", agent, printed.append)
    assert bare == "handled" and nothing == [] and "now say what you need" in printed[-1]
    await agent.close()


async def test_a_review_reading_a_skill_does_not_count_as_use(work_host, llm_server, write_skill, hermes_home):
    host = work_host(review_threshold=1)
    write_skill(hermes_home / "skills", "known-steps", "Steps the review looks at.")
    llm_server.script(*busy_turn(1), Reply.tool_call("skill_view", {"name": "known-steps"}), Reply.text("Fine as is."))
    agent = await run_agent(host, llm_server, "task")
    assert agent.session.state("skills")["reviews"][0]["answer"] == "Fine as is."
    assert UsageStore(hermes_home / "skills").get("known-steps").loaded == 0
