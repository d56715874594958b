"""The ssh backend against the terminal conformance suite, on a real sshd."""

from __future__ import annotations

import pytest

from hermes_core.testing.conformance import TerminalBackendConformance
from hermes_plugin_terminal_ssh.backend import SshBackend

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("sshd")]


class TestSshConformance(TerminalBackendConformance):
    @pytest.fixture(autouse=True)
    def _server(self, sshd):
        self.server = sshd

    def make_backend(self, settings):
        return SshBackend(settings.model_copy(update={"options": self.server.options()}))
