"""The done-when of the agent-loop issue, through the real executable and plugins:
``hermes chat -q`` against an OpenAI-compatible server, with a real `terminal` call."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hermes_core.testing import Reply

HERMES = str(Path(sys.executable).with_name("hermes"))


def test_chat_q_runs_terminal_echo_hi_and_answers(hermes_env, llm_server, tmp_path):
    env = {**hermes_env, "OPENAI_BASE_URL": llm_server.base_url, "OPENAI_API_KEY": "sk-test",
           "HERMES_MODEL__NAME": "test-model"}
    llm_server.script(Reply.tool_call("terminal", {"command": "echo hi"}, id="call_1"), Reply.text("The command printed hi."))
    result = subprocess.run([HERMES, "chat", "-q", "run echo hi"], env=env, cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "The command printed hi."
    assert "terminal" in result.stderr and "echo hi" in result.stderr  # progress line on stderr
    tool_message = llm_server.chat_requests[1].messages[-1]
    assert tool_message["role"] == "tool" and tool_message["tool_call_id"] == "call_1"
    assert tool_message["content"].splitlines()[0] == "hi"
    assert {"terminal", "read_file", "patch", "memory", "session_search", "skills_list", "skill_view", "skill_manage",
            "todo", "clarify", "delegate_task"} <= set(llm_server.chat_requests[0].tool_names)


def test_chat_q_refuses_a_dangerous_command_when_nobody_can_approve(hermes_env, llm_server, tmp_path):
    env = {**hermes_env, "OPENAI_BASE_URL": llm_server.base_url, "OPENAI_API_KEY": "sk-test",
           "HERMES_MODEL__NAME": "test-model"}
    target = tmp_path / "precious"
    target.mkdir()
    (target / "data.txt").write_text("keep me")
    llm_server.script(Reply.tool_call("terminal", {"command": f"rm -rf {target}"}), Reply.text("I could not delete it."))
    result = subprocess.run([HERMES, "chat", "-q", "delete it"], env=env, cwd=tmp_path, capture_output=True,
                            text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert (target / "data.txt").read_text() == "keep me"
    assert "approval" in llm_server.chat_requests[1].messages[-1]["content"]


def test_chat_continue_and_resume_pick_up_saved_sessions(hermes_env, llm_server, tmp_path):
    env = {**hermes_env, "OPENAI_BASE_URL": llm_server.base_url, "OPENAI_API_KEY": "sk-test",
           "HERMES_MODEL__NAME": "test-model"}
    llm_server.script("My name is noted: Ada.", "Your name is Ada.", "Still Ada.")

    def chat(*args):
        result = subprocess.run([HERMES, "chat", *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    chat("-q", "my name is Ada")
    assert chat("-q", "what is my name?", "--continue") == "Your name is Ada."
    second = llm_server.chat_requests[1].messages
    assert [m["content"] for m in second if m["role"] == "user"] == ["my name is Ada", "what is my name?"]
    import json

    listing = subprocess.run([HERMES, "sessions", "list", "--json"], env=env, capture_output=True, text=True, timeout=60)
    assert listing.returncode == 0, listing.stderr
    (session,) = json.loads(listing.stdout)  # --continue added to the same session
    session_id = session["id"]
    assert chat("-q", "and now?", "--resume", session_id) == "Still Ada."
    third = llm_server.chat_requests[2].messages
    assert [m["content"] for m in third if m["role"] == "user"] == ["my name is Ada", "what is my name?", "and now?"]
