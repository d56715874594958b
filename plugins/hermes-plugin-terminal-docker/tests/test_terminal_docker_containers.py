"""Containers: one per session, limits, mounts, clean-up of leftovers, errors; on a real dockerd."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

import hermes_plugin_terminal_docker
from hermes_core import ConfigError
from hermes_core.types import TerminalSettings
from hermes_plugin_terminal_docker.backend import DockerBackend
from hermes_plugin_terminal_docker.containers import (
    LABEL,
    LABEL_PID,
    LABEL_SESSION,
    DockerBackendError,
    hermes_containers,
    owner_labels,
    remove_leftover_containers,
)

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("docker")]


@pytest.fixture
def open_docker(docker_engine, tmp_path):
    backends = []

    def factory(session_id="docker-test", cwd=None, **options):
        settings = TerminalSettings(session_id=session_id, hermes_home=tmp_path / "home", cwd=cwd,
                                    options=docker_engine.options(**options))
        backend = DockerBackend(settings)
        backends.append(backend)
        return backend

    yield factory
    for backend in backends:
        backend.close()


def _session_containers(client, session_id):
    return [c for c in hermes_containers(client) if c.labels.get(LABEL_SESSION) == session_id]


def test_one_container_per_session_created_on_first_use_and_reused(open_docker, docker_client):
    backend = open_docker(session_id="reuse-me")
    assert backend.container is None and _session_containers(docker_client, "reuse-me") == []
    backend.run("touch /tmp/made-here")
    first = backend.container.id
    assert backend.run("test -e /tmp/made-here && echo same").output.strip() == "same"
    backend.start_background("sleep 1")
    assert backend.container.id == first
    assert [c.id for c in _session_containers(docker_client, "reuse-me")] == [first]


def test_close_removes_the_container(open_docker, docker_client):
    backend = open_docker(session_id="remove-me")
    backend.run("true")
    assert _session_containers(docker_client, "remove-me")
    backend.close()
    backend.close()
    assert _session_containers(docker_client, "remove-me") == []


def test_cpu_memory_and_pids_limits_are_applied(open_docker):
    backend = open_docker(cpus=0.5, memory="128m", pids_limit=64)
    backend.run("true")
    backend.container.reload()
    host_config = backend.container.attrs["HostConfig"]
    assert host_config["NanoCpus"] == 500_000_000
    assert host_config["Memory"] == 128 * 1024 * 1024
    assert host_config["MemorySwap"] == 128 * 1024 * 1024  # no swap on top
    assert host_config["PidsLimit"] == 64
    # and the kernel enforces them inside the container (cgroup v1 or v2 file names)
    pids = backend.run("cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max")
    assert pids.output.strip() == "64"
    memory = backend.run("cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max")
    assert memory.output.strip() == str(128 * 1024 * 1024)


def test_pids_limit_stops_a_process_flood(open_docker):
    backend = open_docker(pids_limit=32)
    result = backend.run("for i in $(seq 50); do sleep 2 & done 2>&1 | grep -c fork; ls /proc | grep -c '^[0-9]'",
                         timeout=30)
    refused, peak = (int(n) for n in result.output.split())
    assert refused > 0 and peak <= 32


def test_the_working_folder_is_not_mounted_by_default(open_docker, tmp_path):
    work = tmp_path / "project"
    work.mkdir()
    (work / "secret.txt").write_text("host data")
    backend = open_docker(cwd=work)
    assert backend.run("ls /workspace 2>&1; cat /workspace/secret.txt 2>&1").exit_code != 0
    backend.container.reload()
    assert backend.container.attrs["Mounts"] == []


def test_mount_cwd_shares_the_working_folder(open_docker, tmp_path):
    work = tmp_path / "project"
    work.mkdir()
    (work / "input.txt").write_text("from the host\n")
    backend = open_docker(cwd=work, mount_cwd=True)
    assert backend.run("pwd").output.strip() == "/workspace"
    assert backend.run("cat input.txt").output == "from the host\n"
    backend.run("echo from the container > output.txt")
    assert (work / "output.txt").read_text() == "from the container\n"


def test_mount_can_be_read_only(open_docker, tmp_path):
    work = tmp_path / "project"
    work.mkdir()
    backend = open_docker(cwd=work, mount_cwd=True, mount_readonly=True, mount_target="/src")
    result = backend.run("touch /src/nope")
    assert result.exit_code != 0 and "Read-only" in result.output
    assert not (work / "nope").exists()


def test_env_and_workdir_options(open_docker):
    backend = open_docker(env={"GREETING": "hola"}, workdir="/tmp")
    assert backend.run("echo $GREETING; pwd").output.split() == ["hola", "/tmp"]


def test_a_container_removed_behind_our_back_is_replaced(open_docker, docker_client):
    backend = open_docker(session_id="replaced")
    backend.run("export GONE=1")
    old = backend.container.id
    docker_client.containers.get(old).remove(force=True)
    first = backend.run("echo ${GONE:-unset}")
    if "unset" not in first.output:  # the command met the dying shell: the next one gets the new container
        first = backend.run("echo ${GONE:-unset}")
    assert first.output.strip().endswith("unset") and "lost" in first.output
    assert backend.container.id != old
    assert backend.run("echo ok").output.strip() == "ok"


# -- leftovers ----------------------------------------------------------------------------


def _labelled_container(client, image, **labels):
    return client.containers.run(image, ["sleep", "300"], detach=True, network_mode="none",
                                 labels={LABEL: "docker", LABEL_SESSION: "orphan", **labels})


def test_containers_of_dead_owners_are_removed_on_next_start(open_docker, docker_client, docker_engine):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = {**owner_labels(), LABEL_PID: finished.stdout.strip()}
    orphan = _labelled_container(docker_client, docker_engine.image, **dead)
    alive = _labelled_container(docker_client, docker_engine.image, **owner_labels())  # ours: still running
    try:
        open_docker(session_id="sweeper").run("true")
        names = {c.name for c in hermes_containers(docker_client)}
        assert orphan.name not in names
        assert alive.name in names
    finally:
        for container in (orphan, alive):
            try:
                container.remove(force=True)
            except Exception:  # noqa: BLE001 - already gone is the point
                pass


def test_a_crashed_hermes_leaves_a_container_that_the_next_start_removes(open_docker, docker_client, docker_engine, tmp_path):
    script = textwrap.dedent(f"""
        import os
        from pathlib import Path
        from hermes_core.types import TerminalSettings
        from hermes_plugin_terminal_docker.backend import DockerBackend
        backend = DockerBackend(TerminalSettings(session_id="crashing", hermes_home=Path({str(tmp_path)!r}),
                                                 options={docker_engine.options()!r}))
        print(backend.run("echo up").output.strip(), flush=True)
        os._exit(1)  # no close(): as if hermes crashed
    """)
    crashed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert crashed.stdout.strip() == "up", crashed.stderr
    assert len(_session_containers(docker_client, "crashing")) == 1
    open_docker(session_id="after-crash").run("true")
    assert _session_containers(docker_client, "crashing") == []


def test_cleanup_function_can_remove_everything(docker_client, docker_engine):
    container = _labelled_container(docker_client, docker_engine.image, **owner_labels())
    assert remove_leftover_containers(docker_engine.daemon.base_url) == []  # its owner (we) still runs
    removed = remove_leftover_containers(docker_engine.daemon.base_url, everything=True)
    assert container.name in removed
    assert hermes_containers(docker_client) == []


# -- errors and configuration --------------------------------------------------------------


def test_missing_image_with_pull_never_is_explained(open_docker):
    backend = open_docker(image="hermes-no-such-image:1", pull="never")
    with pytest.raises(DockerBackendError) as info:
        backend.run("true")
    assert "hermes-no-such-image:1" in str(info.value) and "terminal.docker.image" in str(info.value)


def test_failed_pull_is_explained(open_docker):
    backend = open_docker(image="hermes-no-such-image:2", pull="missing")
    with pytest.raises(DockerBackendError) as info:
        backend.run("true")
    assert "hermes-no-such-image:2" in str(info.value) and "pull" in str(info.value)


def test_unreachable_engine_is_explained(tmp_path):
    settings = TerminalSettings(session_id="s", hermes_home=tmp_path,
                                options={"docker_host": f"unix://{tmp_path}/no.sock"})
    backend = DockerBackend(settings)
    with pytest.raises(DockerBackendError) as info:
        backend.run("true")
    assert f"{tmp_path}/no.sock" in str(info.value) and "terminal.docker.docker_host" in str(info.value)
    backend.close()


def test_bad_options_name_the_key(tmp_path):
    for bad, key in (({"memory": "lots"}, "memory"), ({"cpus": -1}, "cpus"), ({"mount_target": "rel"}, "mount_target"),
                     ({"pids_limit": 2}, "pids_limit"), ({"no_such_key": 1}, "no_such_key")):
        with pytest.raises(ConfigError, match=key):
            DockerBackend(TerminalSettings(session_id="s", hermes_home=tmp_path, options=bad))


def test_entry_module_does_not_import_docker():
    code = "import sys, hermes_plugin_terminal_docker; print('docker' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_host_opens_the_docker_backend_from_config(make_host, docker_engine):
    from hermes_core.testing import make_session

    host = make_host(plugins={"terminal-docker": hermes_plugin_terminal_docker},
                     config={"terminal": {"backend": "docker", "docker": docker_engine.options()}})
    assert "terminal.docker" in host.config_sections()
    backend = host.open_terminal(make_session(host))
    try:
        assert backend.name == "docker"
        assert backend.run("echo inside").output.strip() == "inside"
    finally:
        backend.close()
