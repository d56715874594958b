"""The terminal tools over the docker backend, in whole conversations against the scripted
model server and a private dockerd started here (offline test image, no registry)."""

from __future__ import annotations

import pytest

from hermes_core.testing import Reply, run_agent

terminal_tools = pytest.importorskip("hermes_plugin_terminal")
terminal_docker = pytest.importorskip("hermes_plugin_terminal_docker")

from hermes_plugin_terminal_docker.testing import DockerDaemon, DockerUnavailable, build_test_image  # noqa: E402

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("docker")]


@pytest.fixture(scope="module")
def engine():
    try:
        daemon = DockerDaemon.start()
    except DockerUnavailable as exc:
        pytest.skip(f"no Docker engine: {exc}")
    with daemon:
        yield daemon, build_test_image(daemon.base_url)


def tool_outputs(server) -> list[str]:
    return [request.messages[-1]["content"] for request in server.chat_requests[1:]]


def _options(engine, **extra):
    daemon, image = engine
    return {"docker_host": daemon.base_url, "image": image, "pull": "never", "network": "none",
            "memory": "256m", "pids_limit": 128, **extra}


async def test_config_set_backend_docker_then_commands_run_in_one_container(make_host, llm_server, run_hermes,
                                                                           engine, tmp_path):
    done = run_hermes("config", "set", "terminal.backend", "docker")
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    work = tmp_path / "work"
    work.mkdir()
    (work / "on-host.txt").write_text("host file")
    host = make_host(plugins={"terminal": terminal_tools, "terminal-docker": terminal_docker},
                     config={"terminal": {"backend": "docker", "docker": _options(engine)}}, cwd=work)
    llm_server.script(
        Reply.tool_call("terminal", {"command": "cd /tmp && export PHASE=one && echo made > here.txt"}),
        Reply.tool_call("terminal", {"command": "pwd; echo $PHASE; cat here.txt; ls /workspace 2>&1 | head -n 1"}),
        Reply.tool_call("terminal", {"command": "cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max"}),
        Reply.text("Done."),
    )
    agent = await run_agent(host, llm_server, "Work in the container.")
    assert agent.last_result.text == "Done."
    outputs = tool_outputs(llm_server)
    lines = outputs[1].splitlines()
    assert lines[:3] == ["/tmp", "one", "made"]
    assert "No such file or directory" in lines[3]  # the working folder is not mounted by default
    assert outputs[2] == "128\n[exit code: 0]"
    assert not (work / "here.txt").exists()


async def test_mounted_working_folder_lets_the_model_fix_a_file_on_the_host(make_host, llm_server, engine, tmp_path):
    work = tmp_path / "project"
    work.mkdir()
    (work / "greeting.txt").write_text("helo\n")
    host = make_host(plugins={"terminal": terminal_tools, "terminal-docker": terminal_docker},
                     config={"terminal": {"backend": "docker", "docker": _options(engine, mount_cwd=True)}}, cwd=work)
    llm_server.script(
        Reply.tool_call("terminal", {"command": "pwd && sed -i 's/helo/hello/' greeting.txt && cat greeting.txt"}),
        Reply.text("Fixed."),
    )
    agent = await run_agent(host, llm_server, "Fix the typo.")
    assert agent.last_result.text == "Fixed."
    assert tool_outputs(llm_server) == ["/workspace\nhello\n[exit code: 0]"]
    assert (work / "greeting.txt").read_text() == "hello\n"
