"""The daytona backend, through the real daytona SDK, against a fake of Daytona's HTTP API.

The fake runs commands on this machine, so these tests check how the plugin uses the SDK
(sandbox creation and deletion, session commands with input and polled logs, exec for
side scripts) and the shell protocol on top, not Daytona's isolation.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

import hermes_plugin_daytona
from hermes_core import ConfigError
from hermes_core.testing.conformance import TerminalBackendConformance
from hermes_core.types import TerminalSettings
from hermes_plugin_daytona.backend import DaytonaBackend
from hermes_plugin_daytona.transport import DaytonaBackendError


class TestDaytonaConformance(TerminalBackendConformance):
    # every poll and signal is an HTTP round trip
    timeout_slack = 8.0

    @pytest.fixture(autouse=True)
    def _fake(self, daytona_env):
        self.fake = daytona_env

    def make_backend(self, settings):
        return DaytonaBackend(settings.model_copy(update={"options": {"api_url": self.fake.api_url}}))


@pytest.fixture
def open_backend(daytona_env, tmp_path):
    backends = []

    def factory(**options):
        options.setdefault("api_url", daytona_env.api_url)
        backend = DaytonaBackend(TerminalSettings(session_id="dt-session", hermes_home=tmp_path, options=options))
        backends.append(backend)
        return backend

    yield factory
    for backend in backends:
        backend.close()


def test_sandbox_created_on_first_use_with_labels_and_deleted_at_close(open_backend, daytona_env):
    before = {s["id"] for s in daytona_env.live_sandboxes()}
    backend = open_backend(env={"FROM_CONFIG": "yes"}, network_block_all=True, auto_stop_minutes=5)
    assert {s["id"] for s in daytona_env.live_sandboxes()} == before
    assert backend.run("echo $FROM_CONFIG").output.strip() == "yes"
    (dto,) = [s for s in daytona_env.live_sandboxes() if s["id"] not in before]
    assert dto["labels"]["hermes.terminal"] == "daytona" and dto["labels"]["hermes.session"] == "dt-session"
    assert dto["networkBlockAll"] is True and dto["autoStopInterval"] == 5
    assert dto["autoDeleteInterval"] == 0  # ephemeral: deleted as soon as it stops
    backend.run("true")
    assert len([s for s in daytona_env.live_sandboxes() if s["id"] not in before]) == 1  # reused
    backend.close()
    backend.close()
    assert {s["id"] for s in daytona_env.live_sandboxes()} == before


def test_image_and_resources_are_requested(open_backend, daytona_env):
    backend = open_backend(image="python:3.12-slim", cpu=2, memory=4, disk=10)
    backend.run("true")
    dto = daytona_env.sandboxes[backend.daytona.sandbox.id].dto
    assert "python:3.12-slim" in dto["buildInfo"]["dockerfileContent"]
    assert (dto["cpu"], dto["memory"], dto["disk"]) == (2, 4, 10)


def test_the_shell_runs_as_one_session_command_fed_through_input(open_backend, daytona_env):
    backend = open_backend()
    backend.run("export A=1")
    backend.run("echo $A")
    mine = f"/toolbox/{backend.daytona.sandbox.id}/"
    paths = [path for method, path in daytona_env.requests
             if method == "POST" and path.startswith(mine) and path.endswith("/input")]
    assert len(paths) >= 3  # start-up line and two commands, all into one running bash
    assert len({path.rsplit("/command/", 1)[1] for path in paths}) <= 2  # the shell (and the side shell)


def test_missing_api_key_is_explained(daytona_env, monkeypatch, tmp_path):
    monkeypatch.delenv("DAYTONA_API_KEY")
    backend = DaytonaBackend(TerminalSettings(session_id="s", hermes_home=tmp_path,
                                              options={"api_url": daytona_env.api_url}))
    with pytest.raises(DaytonaBackendError, match="DAYTONA_API_KEY"):
        backend.run("true")
    backend.close()


def test_a_refused_key_is_explained(daytona_env, monkeypatch, tmp_path):
    monkeypatch.setenv("MY_DAYTONA_KEY", "wrong")
    backend = DaytonaBackend(TerminalSettings(session_id="s", hermes_home=tmp_path,
                                              options={"api_url": daytona_env.api_url, "api_key_env": "MY_DAYTONA_KEY"}))
    with pytest.raises(DaytonaBackendError) as info:
        backend.run("true")
    assert "MY_DAYTONA_KEY" in str(info.value) and daytona_env.api_url in str(info.value)
    backend.close()


def test_bad_options_name_the_key(tmp_path):
    with pytest.raises(ConfigError, match="poll_interval"):
        DaytonaBackend(TerminalSettings(session_id="s", hermes_home=tmp_path, options={"poll_interval": 0}))
    with pytest.raises(ConfigError, match="api_key"):
        DaytonaBackend(TerminalSettings(session_id="s", hermes_home=tmp_path, options={"api_key": "inline"}))


def test_entry_module_does_not_import_the_sdk():
    code = "import sys, hermes_plugin_daytona; print('daytona' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_host_opens_the_daytona_backend_from_config(make_host, daytona_env):
    from hermes_core.testing import make_session

    host = make_host(plugins={"daytona": hermes_plugin_daytona},
                     config={"terminal": {"backend": "daytona", "daytona": {"api_url": daytona_env.api_url}}},
                     env={"DAYTONA_API_KEY": daytona_env.api_key})
    assert "terminal.daytona" in host.config_sections()
    backend = host.open_terminal(make_session(host))
    try:
        assert backend.run("echo in daytona").output.strip() == "in daytona"
    finally:
        backend.close()


def test_availability_asks_for_the_key(make_host, monkeypatch):
    monkeypatch.delenv("DAYTONA_API_KEY", raising=False)
    host = make_host(plugins={"daytona": hermes_plugin_daytona})
    available = host.availability(host.terminal_backends()["daytona"])
    assert not available.available and "DAYTONA_API_KEY" in available.reason
