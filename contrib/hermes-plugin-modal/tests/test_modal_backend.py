"""The modal backend, through the real modal SDK, against a fake of Modal's gRPC API.

The fake runs execs on this machine, so these tests check how the plugin uses the SDK
(app, image, sandbox definition, execs with stdin and streamed output, termination) and the
shell protocol on top, not Modal's isolation.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

import hermes_plugin_modal
from hermes_core import ConfigError
from hermes_core.testing.conformance import TerminalBackendConformance
from hermes_core.types import TerminalSettings
from hermes_plugin_modal.backend import ModalBackend
from hermes_plugin_modal.transport import ModalBackendError


class TestModalConformance(TerminalBackendConformance):
    @pytest.fixture(autouse=True)
    def _fake(self, modal_env):
        self.fake = modal_env

    def make_backend(self, settings):
        return ModalBackend(settings)


@pytest.fixture
def open_backend(modal_env, tmp_path):
    backends = []

    def factory(**options):
        backend = ModalBackend(TerminalSettings(session_id="modal-session", hermes_home=tmp_path, options=options))
        backends.append(backend)
        return backend

    yield factory
    for backend in backends:
        backend.close()


def _created(fake, sandbox_id):
    (request,) = [req for name, req in fake.calls if name == "SandboxCreateV2" and
                  fake.sandboxes[sandbox_id].definition == req.definition]
    return request


def test_sandbox_definition_follows_the_options(open_backend, modal_env):
    backend = open_backend(image="python:3.12-slim", cpu=2.0, memory=2048, block_network=True, max_lifetime=900,
                           idle_timeout=300, env={"FROM_CONFIG": "yes"}, app_name="hermes-tests")
    assert backend.run("echo $FROM_CONFIG").output.strip() == "yes"
    sandbox_id = backend.modal.sandbox.object_id
    definition = modal_env.sandboxes[sandbox_id].definition
    assert definition.timeout_secs == 900 and definition.idle_timeout_secs == 300
    assert "BLOCKED" in str(definition.network_access)  # block_network=True
    assert definition.resources.milli_cpu == 2000 and definition.resources.memory_mb == 2048
    request = _created(modal_env, sandbox_id)
    assert {tag.tag_name: tag.tag_value for tag in request.tags}["hermes.session"] == "modal-session"
    images = [req for name, req in modal_env.calls if name == "ImageGetOrCreate"]
    assert any("FROM python:3.12-slim" in " ".join(req.image.dockerfile_commands) for req in images)
    assert "hermes-tests" in modal_env.apps


def test_one_sandbox_reused_then_terminated_at_close(open_backend, modal_env):
    backend = open_backend()
    backend.run("true")
    sandbox_id = backend.modal.sandbox.object_id
    backend.run("true")
    backend.start_background("sleep 1")
    assert backend.modal.sandbox.object_id == sandbox_id
    assert modal_env.call_names().count("SandboxCreateV2") >= 1
    backend.close()
    backend.close()
    assert modal_env.sandboxes[sandbox_id].terminated


def test_credentials_come_from_the_named_variables(open_backend, modal_env, monkeypatch):
    monkeypatch.delenv("MODAL_TOKEN_ID")
    monkeypatch.delenv("MODAL_TOKEN_SECRET")
    monkeypatch.setenv("MY_MODAL_ID", modal_env.token_id)
    monkeypatch.setenv("MY_MODAL_SECRET", modal_env.token_secret)
    backend = open_backend(token_id_env="MY_MODAL_ID", token_secret_env="MY_MODAL_SECRET")
    assert backend.run("echo authorised").output.strip() == "authorised"


def test_a_refused_token_is_explained(open_backend, modal_env, monkeypatch):
    monkeypatch.setenv("MODAL_TOKEN_ID", "ak-wrong")
    backend = open_backend()
    with pytest.raises(ModalBackendError) as info:
        backend.run("true")
    assert "MODAL_TOKEN_ID" in str(info.value) and "modal token new" in str(info.value)


def test_bad_options_name_the_key(tmp_path):
    with pytest.raises(ConfigError, match="max_lifetime"):
        ModalBackend(TerminalSettings(session_id="s", hermes_home=tmp_path, options={"max_lifetime": 1}))
    with pytest.raises(ConfigError, match="token"):
        ModalBackend(TerminalSettings(session_id="s", hermes_home=tmp_path, options={"token": "inline"}))


def test_entry_module_does_not_import_the_sdk():
    code = "import sys, hermes_plugin_modal; print('modal' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_host_opens_the_modal_backend_from_config(make_host, modal_env):
    from hermes_core.testing import make_session

    host = make_host(plugins={"modal": hermes_plugin_modal}, config={"terminal": {"backend": "modal"}},
                     env=modal_env.environment())
    assert "terminal.modal" in host.config_sections()
    backend = host.open_terminal(make_session(host))
    try:
        assert backend.run("echo in modal").output.strip() == "in modal"
    finally:
        backend.close()


def test_availability_asks_for_credentials(make_host, tmp_path):
    host = make_host(plugins={"modal": hermes_plugin_modal}, env={"MODAL_CONFIG_PATH": str(tmp_path / "none.toml")})
    available = host.availability(host.terminal_backends()["modal"])
    assert not available.available and "MODAL_TOKEN_ID" in available.reason and "modal token new" in available.reason
    host = make_host(plugins={"modal": hermes_plugin_modal},
                     env={"MODAL_TOKEN_ID": "ak-x", "MODAL_TOKEN_SECRET": "as-x"})
    assert host.availability(host.terminal_backends()["modal"]).available
