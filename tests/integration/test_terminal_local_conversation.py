"""The terminal tools with the real backends, in whole conversations against the scripted
model server: the local shell by default, and the bubblewrap sandbox after
``hermes config set terminal.backend sandbox``."""

from __future__ import annotations

import pytest

from hermes_core.testing import Reply, run_agent

terminal_tools = pytest.importorskip("hermes_plugin_terminal")
terminal_local = pytest.importorskip("hermes_plugin_terminal_local")
terminal_sandbox = pytest.importorskip("hermes_plugin_terminal_sandbox")


def tool_outputs(server) -> list[str]:
    """What the model saw after each of its tool calls, in order."""
    return [request.messages[-1]["content"] for request in server.chat_requests[1:]]


async def test_a_model_runs_echo_hi_on_the_local_shell(make_host, llm_server):
    host = make_host(plugins={"terminal": terminal_tools, "terminal-local": terminal_local})
    llm_server.script(
        Reply.tool_call("terminal", {"command": "echo hi"}),
        Reply.text("It printed hi."),
    )
    agent = await run_agent(host, llm_server, "Run echo hi and tell me what it printed.")
    assert agent.last_result.text == "It printed hi."
    assert tool_outputs(llm_server) == ["hi\n[exit code: 0]"]


async def test_shell_state_and_background_processes_across_calls(make_host, llm_server, tmp_path):
    host = make_host(plugins={"terminal": terminal_tools, "terminal-local": terminal_local})
    llm_server.script(
        Reply.tool_call("terminal", {"command": f"cd {tmp_path} && export GREETING=hello"}),
        Reply.tool_call("terminal", {"command": "pwd; echo $GREETING"}),
        Reply.tool_call("terminal", {"command": "echo $GREETING from the background", "background": True}),
        Reply.tool_call("process", {"action": "wait", "session_id": "proc_1", "timeout": 10}),
        Reply.text("Done."),
    )
    agent = await run_agent(host, llm_server, "Go.")
    assert agent.last_result.text == "Done."
    outputs = tool_outputs(llm_server)
    assert outputs[1] == f"{tmp_path}\nhello\n[exit code: 0]"
    assert "session_id: proc_1" in outputs[2]
    assert outputs[3].startswith("proc_1: exited with code 0") and "hello from the background" in outputs[3]


async def test_config_set_backend_sandbox_then_a_command_runs_in_the_sandbox(make_host, llm_server, run_hermes,
                                                                            hermes_home):
    from hermes_plugin_terminal_sandbox.bwrap import probe

    if (reason := probe()) is not None:
        pytest.skip(f"no bubblewrap sandbox here: {reason}")
    done = run_hermes("config", "set", "terminal.backend", "sandbox")
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr  # the installed sandbox plugin was found
    host = make_host(plugins={"terminal": terminal_tools, "terminal-local": terminal_local,
                              "terminal-sandbox": terminal_sandbox})
    assert host.config.terminal.backend == "sandbox"
    llm_server.script(
        Reply.tool_call("terminal", {"command": "pwd; echo x > /usr/hermes-sandbox-probe; echo 'net:' $(tail -n +3 /proc/net/dev | cut -d: -f1)"}),
        Reply.text("The sandbox is read-only outside its work folder."),
    )
    agent = await run_agent(host, llm_server, "Where are you?")
    assert agent.last_result.text == "The sandbox is read-only outside its work folder."
    (output,) = tool_outputs(llm_server)
    lines = output.splitlines()
    assert lines[0].startswith(str(hermes_home / "sandbox"))
    assert "Read-only file system" in output
    assert "net: lo" in output  # no network but loopback
    assert output.endswith("[exit code: 0]")
