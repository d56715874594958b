"""The tools issue's done-when: a conversation against the scripted server uses
``read_file``, ``patch`` and ``terminal`` to fix a failing test in a small project.

Everything but the model is real: the file tools, the terminal tool on the local backend
(a persistent bash), the approval scanner judging each command, and pytest itself.
"""

from __future__ import annotations

import sys

import pytest

from hermes_core.testing import Reply, run_agent

pytest.importorskip("hermes_plugin_file_tools")
pytest.importorskip("hermes_plugin_terminal")
pytest.importorskip("hermes_plugin_terminal_local")

BUGGY = '''\
def average(values):
    """The mean of a non-empty list of numbers."""
    return sum(values) / (len(values) + 1)
'''

TEST = '''\
from stats import average


def test_average():
    assert average([2, 4, 6]) == 4
'''


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    (root / "stats.py").write_text(BUGGY)
    (root / "test_stats.py").write_text(TEST)
    return root


async def test_model_fixes_the_failing_test(make_host, llm_server, project):
    import hermes_plugin_approval
    import hermes_plugin_file_tools
    import hermes_plugin_terminal
    import hermes_plugin_terminal_local

    host = make_host(
        plugins={"file-tools": hermes_plugin_file_tools, "terminal": hermes_plugin_terminal,
                 "terminal-local": hermes_plugin_terminal_local, "approval": hermes_plugin_approval},
        cwd=project,
    )
    pytest_command = f"{sys.executable} -m pytest -q -p no:cacheprovider test_stats.py"
    llm_server.script(
        Reply.tool_call("terminal", {"command": pytest_command}),
        Reply.tool_call("read_file", {"path": "stats.py"}),
        Reply.tool_call("patch", {"path": "stats.py", "old_string": "(len(values) + 1)", "new_string": "len(values)"}),
        Reply.tool_call("terminal", {"command": pytest_command}),
        Reply.text("Fixed: average() divided by len(values) + 1; it now divides by len(values) and the test passes."),
    )
    agent = await run_agent(host, llm_server, "test_stats.py fails; please fix it", cwd=project)

    assert agent.last_result.text.startswith("Fixed")
    results = [request.messages[-1]["content"] for request in llm_server.chat_requests[1:]]
    first_run, read, patched, second_run = results[:4]
    assert "1 failed" in first_run and "assert 3.0 == 4" in first_run
    assert "3|    return sum(values) / (len(values) + 1)" in read
    assert "-    return sum(values) / (len(values) + 1)" in patched and "+    return sum(values) / len(values)" in patched
    assert "1 passed" in second_run
    assert (project / "stats.py").read_text() == BUGGY.replace("(len(values) + 1)", "len(values)")
