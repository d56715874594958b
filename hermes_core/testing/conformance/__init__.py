"""Conformance suites: one per capability kind. Subclass one in your plugin's tests and
implement its factory method; every test in the base class then runs against your plugin.

    from hermes_core.testing.conformance import ProviderConformance

    class TestMyProvider(ProviderConformance):
        def make_provider(self, settings):
            return MyProvider(settings)
"""

from __future__ import annotations

_LAZY = {
    "ProviderConformance": "hermes_core.testing.conformance.provider",
    "ScannerConformance": "hermes_core.testing.conformance.scanner",
    "ToolConformance": "hermes_core.testing.conformance.tools",
    "TerminalBackendConformance": "hermes_core.testing.conformance.terminal",
    "MemoryProviderConformance": "hermes_core.testing.conformance.memory",
    "GatewayConformance": "hermes_core.testing.conformance.gateway",
    "SessionStoreConformance": "hermes_core.testing.conformance.sessions",
}

__all__ = sorted(_LAZY)


from hermes_core._lazy import lazy_attributes  # noqa: E402

__getattr__, __dir__ = lazy_attributes(__name__, _LAZY)
