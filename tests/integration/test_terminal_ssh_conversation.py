"""The terminal tools over the ssh backend, in whole conversations against the scripted model
server and a real sshd on 127.0.0.1 (started here with throw-away keys)."""

from __future__ import annotations

import pytest

from hermes_core.testing import Reply, run_agent

terminal_tools = pytest.importorskip("hermes_plugin_terminal")
terminal_ssh = pytest.importorskip("hermes_plugin_terminal_ssh")

from hermes_plugin_terminal_ssh.testing import SshServer, SshServerUnavailable  # noqa: E402

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("sshd")]


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    try:
        server = SshServer.start(tmp_path_factory.mktemp("sshd-conversation"))
    except SshServerUnavailable as exc:
        pytest.skip(f"no sshd: {exc}")
    with server:
        yield server


def tool_outputs(server) -> list[str]:
    return [request.messages[-1]["content"] for request in server.chat_requests[1:]]


async def test_config_set_backend_ssh_then_state_and_background_over_ssh(make_host, llm_server, run_hermes,
                                                                         sshd, tmp_path):
    done = run_hermes("config", "set", "terminal.backend", "ssh")
    assert done.returncode == 0, done.stderr
    for key, value in sshd.options().items():
        done = run_hermes("config", "set", f"terminal.ssh.{key}", str(value).lower() if isinstance(value, bool) else str(value))
        assert done.returncode == 0, (key, done.stderr)
    host = make_host(plugins={"terminal": terminal_tools, "terminal-ssh": terminal_ssh})
    assert host.config.terminal.backend == "ssh"
    remote = tmp_path / "remote-work"
    llm_server.script(
        Reply.tool_call("terminal", {"command": f"mkdir -p {remote} && cd {remote} && export WHO=remote"}),
        Reply.tool_call("terminal", {"command": "pwd; echo $WHO; echo $SSH_CONNECTION | cut -d' ' -f3"}),
        Reply.tool_call("terminal", {"command": "echo $WHO in the background; sleep 0.2", "background": True}),
        Reply.tool_call("process", {"action": "wait", "session_id": "proc_1", "timeout": 10}),
        Reply.tool_call("terminal", {"command": "sleep 30", "timeout": 1}),
        Reply.text("Done."),
    )
    agent = await run_agent(host, llm_server, "Work on the remote machine.")
    assert agent.last_result.text == "Done."
    outputs = tool_outputs(llm_server)
    assert outputs[1] == f"{remote}\nremote\n127.0.0.1\n[exit code: 0]"
    assert "session_id: proc_1" in outputs[2]
    assert outputs[3].startswith("proc_1: exited with code 0") and "remote in the background" in outputs[3]
    assert "timed out" in outputs[4].lower()


async def test_an_unknown_host_key_reaches_the_model_as_an_actionable_error(make_host, llm_server, sshd, tmp_path):
    options = sshd.options(known_hosts=str(tmp_path / "empty_known_hosts"))
    host = make_host(plugins={"terminal": terminal_tools, "terminal-ssh": terminal_ssh},
                     config={"terminal": {"backend": "ssh", "ssh": options}})
    llm_server.script(Reply.tool_call("terminal", {"command": "echo hi"}), Reply.text("I could not connect."))
    agent = await run_agent(host, llm_server, "Say hi remotely.")
    assert agent.last_result.text == "I could not connect."
    (output,) = tool_outputs(llm_server)
    assert sshd.fingerprint() in output and "known_hosts" in output and "accept-new" in output
