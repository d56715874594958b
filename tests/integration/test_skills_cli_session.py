"""The learning loop in a real ``hermes chat -q`` process, with every installed plugin.

The answer is printed when the turn ends; the background review then runs before the
process exits (session end waits for it), and the skill it saved is valid.
"""

from __future__ import annotations

import pytest

from hermes_core.testing import Reply

pytest.importorskip("hermes_plugin_skills")
skills_ref = pytest.importorskip("skills_ref")

SKILL = """---
name: count-lines-of-code
description: Count lines of code per language in a repository. Use when asked how big a codebase is.
---

# Count lines of code
1. List tracked files: `git ls-files`.
2. Count per extension: `git ls-files | grep -E '\\.py$' | xargs wc -l | tail -1`.
"""


def test_chat_q_answers_then_the_review_saves_a_skill(run_hermes, llm_server, hermes_home):
    llm_server.script(
        *[Reply.tool_call("skills_list", {}) for _ in range(5)],
        Reply.text("The repository has 12,345 lines of Python."),
        Reply.tool_call("skill_manage", {"action": "create", "name": "count-lines-of-code", "content": SKILL}),
        Reply.text("Saved count-lines-of-code."),
    )
    env = {"OPENAI_BASE_URL": llm_server.base_url, "OPENAI_API_KEY": "sk-test", "HERMES_MODEL__NAME": "test-model"}
    result = run_hermes("chat", "-q", "How many lines of Python are in this repo?", "--quiet", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "The repository has 12,345 lines of Python."
    folder = hermes_home / "skills" / "count-lines-of-code"
    assert skills_ref.validate(folder) == []
    review = [r for r in llm_server.chat_requests if "looking back at a task" in r.last_user_text]
    assert review and "skill_manage" in review[0].tool_names and "skills_list" in review[0].tool_names
    assert not {"terminal", "read_file", "write_file", "web_fetch"} & set(review[0].tool_names)
