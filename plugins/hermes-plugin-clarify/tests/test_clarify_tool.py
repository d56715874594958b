"""The clarify tool with a scripted user, with nobody, and inside a conversation."""

from __future__ import annotations

import json

import hermes_plugin_clarify
import pytest

from hermes_core.testing import Reply, ScriptedInteraction, call_tool, make_session, run_agent
from hermes_core.testing.conformance import ToolConformance


class TestClarifyConformance(ToolConformance):
    plugin = hermes_plugin_clarify
    plugin_name = "clarify"


class RecordingUser(ScriptedInteraction):
    """A scripted user that also remembers the choices it was offered."""

    def __init__(self, answers):
        super().__init__(answers=answers)
        self.offered = []

    def ask(self, question, choices=None):
        self.offered.append(choices)
        return super().ask(question, choices)


@pytest.fixture
def clarify_host(make_host):
    return make_host(plugins={"clarify": hermes_plugin_clarify})


def ask(host, interaction, **arguments):
    return call_tool(host, "clarify", arguments, session=make_session(host, interaction=interaction))


def test_the_answer_goes_back_to_the_model(clarify_host):
    user = RecordingUser(["Use PostgreSQL"])
    result = ask(clarify_host, user, question="Which database?", choices=["SQLite", "PostgreSQL"])
    assert result.content == "The user answered: Use PostgreSQL"
    assert user.questions == ["Which database?"] and user.offered == [["SQLite", "PostgreSQL"]]


def test_a_number_picks_a_choice(clarify_host):
    result = ask(clarify_host, RecordingUser(["2"]), question="Which?", choices=["red", "green", "blue"])
    assert result.content == "The user answered: green"


def test_open_question_offers_no_choices(clarify_host):
    user = RecordingUser(["  around 30 ms  "])
    assert ask(clarify_host, user, question="Latency budget?").content == "The user answered: around 30 ms"
    assert user.offered == [None]


def test_non_interactive_runs_proceed_on_an_assumption(clarify_host):
    result = call_tool(clarify_host, "clarify", {"question": "Tabs or spaces?", "choices": ["tabs", "spaces"]})
    assert not result.is_error
    assert "not interactive" in result.content and "best assumption" in result.content
    assert "pick the most reasonable of the choices" in result.content


@pytest.mark.parametrize("answers", [[], ["   "]])
def test_no_answer_from_a_gateway(clarify_host, answers):
    result = ask(clarify_host, ScriptedInteraction(answers=answers), question="Deploy now?")
    assert "No answer: the user did not answer" in result.content and "state that assumption" in result.content


def test_bad_arguments(clarify_host):
    user = ScriptedInteraction(answers=["x"])
    assert "question is empty" in ask(clarify_host, user, question="  ").content
    too_many = ask(clarify_host, user, question="Pick", choices=["a", "b", "c", "d", "e"])
    assert too_many.is_error and "allows at most 4 item(s)" in too_many.content
    assert user.questions == []  # nothing was asked


def test_unicode_question_and_answer(clarify_host):
    user = ScriptedInteraction(answers=["日本語でお願いします"])
    assert ask(clarify_host, user, question="言語は?").content == "The user answered: 日本語でお願いします"


async def test_in_a_conversation(make_host, llm_server):
    host = make_host(plugins={"clarify": hermes_plugin_clarify})
    llm_server.script(Reply.tool_call("clarify", {"question": "Which port?", "choices": ["8000", "8080"]}),
                      Reply.text("Using 8080."))
    user = ScriptedInteraction(answers=["8080"])
    agent = await run_agent(host, llm_server, "start the server", interaction=user)
    assert agent.last_result.text == "Using 8080."
    assert user.questions == ["Which port?"]
    tool_message = llm_server.chat_requests[1].messages[-1]
    assert tool_message["role"] == "tool" and tool_message["content"] == "The user answered: 8080"
    schema = next(t for t in llm_server.chat_requests[0].tools if t["function"]["name"] == "clarify")
    assert len(json.dumps(schema, separators=(",", ":"))) <= 700
