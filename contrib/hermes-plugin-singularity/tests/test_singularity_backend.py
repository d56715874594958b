"""The singularity backend against a fake ``apptainer`` on PATH.

The fake implements the CLI contract but runs commands directly on this machine, so these
tests check how the plugin drives Apptainer and the shell protocol over ``apptainer exec``
pipes, not Apptainer's isolation.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import hermes_plugin_singularity
from hermes_core import ConfigError
from hermes_core.testing.conformance import TerminalBackendConformance
from hermes_core.types import TerminalSettings
from hermes_plugin_singularity.backend import SingularityBackend
from hermes_plugin_singularity.cli import SingularityError


class TestSingularityConformance(TerminalBackendConformance):
    @pytest.fixture(autouse=True)
    def _fake(self, fake_apptainer):
        self.fake = fake_apptainer

    def make_backend(self, settings):
        return SingularityBackend(settings.model_copy(update={"options": {"image": str(self.fake.image)}}))


@pytest.fixture
def open_backend(fake_apptainer, tmp_path):
    backends = []

    def factory(cwd=None, **options):
        options.setdefault("image", str(fake_apptainer.image))
        backend = SingularityBackend(TerminalSettings(session_id="sing", hermes_home=tmp_path, cwd=cwd, options=options))
        backends.append(backend)
        return backend

    yield factory
    for backend in backends:
        backend.close()


def test_one_instance_per_session_started_with_the_configured_flags(open_backend, fake_apptainer, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    backend = open_backend(cwd=work, mount_cwd=True, bind=["/data:/data:ro"], network_none=True,
                           extra_args=["--fakeroot"])
    assert fake_apptainer.instances() == []
    backend.run("true")
    backend.run("true")
    (name,) = fake_apptainer.instances()
    assert name.startswith(f"hermes-{os.getpid()}-")
    starts = [call for call in fake_apptainer.calls() if call[:2] == ["instance", "start"]]
    assert len(starts) == 1
    flags = starts[0][2:-2]
    assert starts[0][-2:] == [str(fake_apptainer.image), name]
    for flag in ("--contain", "--cleanenv", "--pid", "--writable-tmpfs", "--fakeroot"):
        assert flag in flags
    assert flags[flags.index("--network") + 1] == "none"
    binds = [flags[i + 1] for i, flag in enumerate(flags) if flag == "--bind"]
    assert binds == ["/data:/data:ro", f"{work.resolve()}:/workspace"]
    assert all(call[:2] == ["exec", f"instance://{name}"] for call in fake_apptainer.calls() if call[0] == "exec")


def test_close_stops_the_instance(open_backend, fake_apptainer):
    backend = open_backend()
    backend.run("true")
    assert len(fake_apptainer.instances()) == 1
    backend.close()
    backend.close()
    assert fake_apptainer.instances() == []


def test_instances_of_dead_hermes_processes_are_stopped_at_start(open_backend, fake_apptainer):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(finished.stdout)
    subprocess.run(["apptainer", "instance", "start", str(fake_apptainer.image), f"hermes-{dead_pid}-0123abcd"],
                   check=True, capture_output=True)
    subprocess.run(["apptainer", "instance", "start", str(fake_apptainer.image), "someone-elses"],
                   check=True, capture_output=True)
    open_backend().run("true")
    names = fake_apptainer.instances()
    assert f"hermes-{dead_pid}-0123abcd" not in names
    assert "someone-elses" in names
    subprocess.run(["apptainer", "instance", "stop", "someone-elses"], check=True, capture_output=True)


def test_missing_program_is_explained(open_backend, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    backend = open_backend()
    with pytest.raises(SingularityError, match="apptainer .or singularity. is not installed"):
        backend.run("true")


def test_failed_instance_start_shows_apptainer_message(open_backend, tmp_path):
    backend = open_backend(image=str(tmp_path / "missing.sif"))
    with pytest.raises(SingularityError) as info:
        backend.run("true")
    assert "instance start" in str(info.value) and "missing.sif" in str(info.value)


def test_configured_executable_by_path(open_backend, fake_apptainer, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    backend = open_backend(executable=str(fake_apptainer.bin / "apptainer"))
    assert backend.run("echo via path").output.strip() == "via path"


def test_missing_image_and_bad_keys_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="terminal.singularity.image"):
        SingularityBackend(TerminalSettings(session_id="s", hermes_home=tmp_path, options={}))
    with pytest.raises(ConfigError, match="mount_target"):
        SingularityBackend(TerminalSettings(session_id="s", hermes_home=tmp_path,
                                            options={"image": "x.sif", "mount_target": "relative"}))


def test_the_host_registers_backend_and_section(make_host, fake_apptainer):
    from hermes_core.testing import make_session

    host = make_host(plugins={"singularity": hermes_plugin_singularity},
                     config={"terminal": {"backend": "singularity", "singularity": {"image": str(fake_apptainer.image)}}})
    assert "terminal.singularity" in host.config_sections()
    backend = host.open_terminal(make_session(host))
    try:
        assert backend.run("echo through the host").output.strip() == "through the host"
    finally:
        backend.close()


def test_availability_names_the_missing_program(make_host, monkeypatch, tmp_path, fake_apptainer):
    host = make_host(plugins={"singularity": hermes_plugin_singularity},
                     config={"terminal": {"singularity": {"image": "x.sif", "executable": str(tmp_path / "nope")}}})
    available = host.availability(host.terminal_backends()["singularity"])
    assert not available.available and "nope" in available.reason
    host = make_host(plugins={"singularity": hermes_plugin_singularity},
                     config={"terminal": {"singularity": {"image": "x.sif"}}})
    assert host.availability(host.terminal_backends()["singularity"]).available  # the fake is on PATH
