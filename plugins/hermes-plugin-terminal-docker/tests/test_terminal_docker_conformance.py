"""The docker backend against the terminal conformance suite, on a real dockerd."""

from __future__ import annotations

import pytest

from hermes_core.testing.conformance import TerminalBackendConformance
from hermes_plugin_terminal_docker.backend import DockerBackend
from hermes_plugin_terminal_docker.containers import hermes_containers

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("docker")]


class TestDockerConformance(TerminalBackendConformance):
    @pytest.fixture(autouse=True)
    def _engine(self, docker_engine, docker_client):
        self.engine = docker_engine
        self.client = docker_client

    def make_backend(self, settings):
        return DockerBackend(settings.model_copy(update={"options": self.engine.options()}))

    def leftover_processes(self, marker):
        """Processes showing ``marker`` in any hermes container still running (none once
        the session's container is removed)."""
        found = []
        for container in hermes_containers(self.client):
            if container.status != "running":
                continue
            code, out = container.exec_run(["pgrep", "-af", marker])
            found += [line for line in out.decode(errors="replace").splitlines() if "pgrep" not in line]
        return found
