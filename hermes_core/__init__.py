"""hermes-core: the kernel every hermes plugin builds on.

The public surface a plugin author needs is importable from here::

    from hermes_core import hookimpl, ToolSpec

Names are resolved lazily so that ``hermes --version`` and plugin entry modules stay
import-light: importing ``hermes_core`` itself costs nothing beyond the standard library.
"""

from __future__ import annotations

__version__ = "0.1.0"

# Public name -> module that defines it. Resolved on first attribute access (PEP 562).
_LAZY: dict[str, str] = {
    "hookimpl": "hermes_core.hookspecs",
    "hookspec": "hermes_core.hookspecs",
    "Host": "hermes_core.host",
    "PluginProblem": "hermes_core.types",
    "PluginInfo": "hermes_core.types",
    # messages and calls
    "Message": "hermes_core.types",
    "ToolCall": "hermes_core.types",
    "ToolResult": "hermes_core.types",
    "Usage": "hermes_core.types",
    "LLMRequest": "hermes_core.types",
    "LLMResponse": "hermes_core.types",
    "StreamEvent": "hermes_core.types",
    "ModelInfo": "hermes_core.types",
    # capability records
    "ProviderSpec": "hermes_core.types",
    "ToolSpec": "hermes_core.types",
    "ToolsetSpec": "hermes_core.types",
    "TerminalBackendSpec": "hermes_core.types",
    "MemoryProviderSpec": "hermes_core.types",
    "GatewaySpec": "hermes_core.types",
    "ScannerSpec": "hermes_core.types",
    "SessionStoreSpec": "hermes_core.types",
    "CommandSpec": "hermes_core.types",
    "SlashCommandSpec": "hermes_core.types",
    "SkillDirSpec": "hermes_core.types",
    "ConfigSectionSpec": "hermes_core.types",
    "PromptSection": "hermes_core.types",
    # decisions and results
    "ToolDecision": "hermes_core.types",
    "Availability": "hermes_core.types",
    "ScanContext": "hermes_core.types",
    "ScanResult": "hermes_core.types",
    "Finding": "hermes_core.types",
    "Verdict": "hermes_core.types",
    "CommandResult": "hermes_core.types",
    "MemoryItem": "hermes_core.types",
    "MemoryContext": "hermes_core.types",
    "TurnRecord": "hermes_core.types",
    "InboundMessage": "hermes_core.types",
    "OutboundMessage": "hermes_core.types",
    "SessionRecord": "hermes_core.types",
    "StoredMessage": "hermes_core.types",
    "SearchHit": "hermes_core.types",
    # live objects and protocols
    "ToolContext": "hermes_core.context",
    "SessionInfo": "hermes_core.context",
    "SlashContext": "hermes_core.context",
    "ProviderSettings": "hermes_core.types",
    "TerminalSettings": "hermes_core.types",
    "LLMProvider": "hermes_core.protocols",
    "TerminalBackend": "hermes_core.protocols",
    "MemoryProvider": "hermes_core.protocols",
    "Gateway": "hermes_core.protocols",
    "Scanner": "hermes_core.protocols",
    "SessionStore": "hermes_core.protocols",
    # errors
    "HermesError": "hermes_core.errors",
    "ConfigError": "hermes_core.errors",
    "ProviderError": "hermes_core.errors",
    "ToolError": "hermes_core.errors",
    "MissingDependency": "hermes_core.errors",
    "atomic_write_text": "hermes_core.files",
    "file_lock": "hermes_core.files",
}

__all__ = ["__version__", *sorted(_LAZY)]


from ._lazy import lazy_attributes  # noqa: E402 - stdlib-only helper

__getattr__, __dir__ = lazy_attributes(__name__, _LAZY)
