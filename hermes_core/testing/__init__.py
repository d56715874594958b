"""The hermes test kit, shipped to plugin authors and used by hermes's own plugins.

* fixtures (``host``, ``make_host``, ``hermes_home``, ``llm_server``) come from the pytest
  plugin :mod:`hermes_core.testing.pytest_plugin`, active wherever hermes-core is installed;
* :class:`ScriptedLLMServer` and :class:`Reply` script an OpenAI-compatible model;
* the conformance suites in :mod:`hermes_core.testing.conformance` check a plugin against
  the contract of its capability kind: subclass one in your tests.

Names are imported lazily so loading the pytest plugin costs nothing.
"""

from __future__ import annotations

_LAZY = {
    "ScriptedLLMServer": "hermes_core.testing.llm_server",
    "Reply": "hermes_core.testing.llm_server",
    "Call": "hermes_core.testing.llm_server",
    "RecordedRequest": "hermes_core.testing.llm_server",
    "embed_text": "hermes_core.testing.llm_server",
    "make_session": "hermes_core.testing.helpers",
    "call_tool": "hermes_core.testing.helpers",
    "run_agent": "hermes_core.testing.helpers",
    "acall_tool": "hermes_core.testing.helpers",
    "provider_for": "hermes_core.testing.helpers",
    "ScriptedInteraction": "hermes_core.testing.helpers",
    "KitProvider": "hermes_core.testing.provider",
    "kit_provider_spec": "hermes_core.testing.provider",
    "clean_environment": "hermes_core.testing.pytest_plugin",
}

__all__ = sorted(_LAZY)


from hermes_core._lazy import lazy_attributes  # noqa: E402

__getattr__, __dir__ = lazy_attributes(__name__, _LAZY)
