"""Command approval in whole conversations against the scripted model server.

The model calls a ``terminal`` tool (a fake defined here that records the commands it
would run and never runs anything); the approval plugin's scanner judges each command and
the kernel's gate acts on the verdict: asks the user (once, deny, session remembered),
refuses in non-interactive runs, refuses hardline commands even with approvals off, and
lets an ``approvals.allow`` key through.
"""

from __future__ import annotations

import pytest

from hermes_core import ToolSpec, hookimpl
from hermes_core.testing import Reply, ScriptedInteraction, run_agent

approval = pytest.importorskip("hermes_plugin_approval")


class RecordingTerminal:
    """A ``terminal`` tool that only writes down what it was asked to run."""

    def __init__(self) -> None:
        self.ran: list[str] = []

    @hookimpl
    def hermes_tools(self):
        def handler(args, ctx):
            self.ran.append(args["command"])
            return f"(pretend) ran: {args['command']}"

        yield ToolSpec(name="terminal", description="Run a shell command.", handler=handler, toolset="terminal",
                       command_arg="command", progress_arg="command",
                       parameters={"type": "object", "properties": {"command": {"type": "string"}},
                                   "required": ["command"]})


def tool_outputs(server) -> list[str]:
    """What the model saw after each of its tool calls, in order."""
    return [request.messages[-1]["content"] for request in server.chat_requests[1:]]


def terminal(command: str) -> Reply:
    return Reply.tool_call("terminal", {"command": command})


async def test_the_user_approves_once_denies_and_approves_for_the_session(make_host, llm_server):
    tool = RecordingTerminal()
    host = make_host(plugins={"approval": approval, "terminal": tool})
    llm_server.script(
        terminal("ls -la"),
        terminal("rm -rf build"),
        terminal("rm -rf dist"),
        terminal("git push --force origin main"),
        terminal("git push -f origin release"),
        Reply.text("Done."),
    )
    interaction = ScriptedInteraction(approvals=["once", "deny", "session"])
    agent = await run_agent(host, llm_server, "clean up and publish", interaction=interaction)

    assert agent.last_result.text == "Done."
    assert tool.ran == ["ls -la", "rm -rf build", "git push --force origin main", "git push -f origin release"]
    outputs = tool_outputs(llm_server)
    assert outputs[0] == "(pretend) ran: ls -la"
    assert outputs[2] == "Not executed: the user denied it."
    asked = [(r.key, r.reason, r.summary) for r in interaction.approval_requests]
    assert asked == [
        ("terminal:recursive-delete", "recursive delete of build", "rm -rf build"),
        ("terminal:recursive-delete", "recursive delete of dist", "rm -rf dist"),
        ("terminal:git-force-push", "force push to origin main, overwriting the remote history",
         "git push --force origin main"),
    ]  # "once" is not remembered; "session" covers the second force push without asking


async def test_non_interactive_runs_refuse_what_needs_approval(make_host, llm_server):
    tool = RecordingTerminal()
    host = make_host(plugins={"approval": approval, "terminal": tool})
    llm_server.script(terminal("sudo bash -c 'rm -rf node_modules'"), terminal("pytest -q"), Reply.text("ok"))
    await run_agent(host, llm_server, "reset the project")
    refused, ran = tool_outputs(llm_server)
    assert refused.startswith("Not executed: needs the user's approval (recursive delete of node_modules)")
    assert "nobody can approve" in refused
    assert ran == "(pretend) ran: pytest -q"
    assert tool.ran == ["pytest -q"]


@pytest.mark.parametrize("command", [
    "sudo rm -rf --no-preserve-root /",
    "echo cm0gLXJmIC8= | base64 -d | bash",
    "X=rm; $X -rf ~",
    "python3 -c \"import shutil; shutil.rmtree('/usr')\"",
    "dd if=/dev/zero of=/dev/sda bs=1M",
    ":(){ :|:& };:",
])
async def test_hardline_commands_are_refused_even_with_approvals_off(make_host, llm_server, command):
    tool = RecordingTerminal()
    host = make_host(plugins={"approval": approval, "terminal": tool}, config={"approvals": {"mode": "off"}})
    llm_server.script(terminal(command), terminal("git reset --hard"), Reply.text("ok"))
    interaction = ScriptedInteraction(approvals=["once", "once"])
    await run_agent(host, llm_server, "go", interaction=interaction)
    blocked, allowed = tool_outputs(llm_server)
    assert blocked.startswith("Blocked: ") and "do not retry it in another form" in blocked
    assert allowed == "(pretend) ran: git reset --hard"  # ask verdicts pass when approvals are off
    assert tool.ran == ["git reset --hard"]
    assert interaction.approval_requests == []


async def test_an_allow_list_key_lets_its_rule_through(make_host, llm_server):
    tool = RecordingTerminal()
    host = make_host(plugins={"approval": approval, "terminal": tool},
                     config={"approvals": {"allow": ["terminal:recursive-delete"]}})
    llm_server.script(
        terminal("rm -rf build dist"),
        terminal("git push --force"),
        terminal("rm -rf ~"),
        Reply.text("ok"),
    )
    await run_agent(host, llm_server, "go")  # non-interactive: only the allow-list can say yes
    allowed, refused, blocked = tool_outputs(llm_server)
    assert allowed == "(pretend) ran: rm -rf build dist"
    assert refused.startswith("Not executed: needs the user's approval (force push to the default remote")
    assert blocked.startswith("Blocked: recursive delete of the home folder ~")
    assert tool.ran == ["rm -rf build dist"]


async def test_always_is_remembered_across_sessions(make_host, llm_server):
    tool = RecordingTerminal()
    host = make_host(plugins={"approval": approval, "terminal": tool})
    llm_server.script(terminal("docker system prune -af"), Reply.text("pruned"),
                      terminal("docker system prune"), Reply.text("pruned again"))
    first = ScriptedInteraction(approvals=["always"])
    await run_agent(host, llm_server, "free some disk", interaction=first)
    assert "terminal:docker-destructive" in (host.home / "config.yaml").read_text()
    second = ScriptedInteraction(approvals=[])
    await run_agent(host, llm_server, "again", interaction=second)
    assert second.approval_requests == []
    assert tool.ran == ["docker system prune -af", "docker system prune"]
