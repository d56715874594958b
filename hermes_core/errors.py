"""Exceptions the kernel raises and plugins may raise. Each says what to do about it."""

from __future__ import annotations


class HermesError(Exception):
    """Base class: an error a user can act on. ``str(err)`` is the message to show."""


class ConfigError(HermesError):
    """The configuration is invalid: names the file, the key and what is allowed."""

    def __init__(self, message: str, *, path: object = None, key: str | None = None) -> None:
        self.path = path
        self.key = key
        where = []
        if path is not None:
            where.append(str(path))
        if key:
            where.append(f"key '{key}'")
        prefix = f"{': '.join(where)}: " if where else ""
        super().__init__(prefix + message)


class PluginError(HermesError):
    """A plugin could not be loaded or misbehaved (raised only in strict mode)."""


class ProviderError(HermesError):
    """An LLM provider failed in a way retries cannot fix (bad key, unknown model, ...).

    ``status`` carries the HTTP status where there was one; ``retryable`` says whether
    trying again later could help.
    """

    def __init__(self, message: str, *, status: int | None = None, retryable: bool = False) -> None:
        self.status = status
        self.retryable = retryable
        super().__init__(message)


class ToolError(HermesError):
    """Raised by a tool handler to report a failure back to the model as a tool error."""


class MissingDependency(HermesError):
    """A plugin's optional dependency is not installed. The message says what to install."""

    def __init__(self, package: str, *, plugin: str | None = None, extra: str | None = None) -> None:
        self.package = package
        who = f"the '{plugin}' plugin" if plugin else "this feature"
        hint = f"pip install '{extra}'" if extra else f"pip install {package}"
        super().__init__(f"{who} needs the '{package}' package, which is not installed: {hint}")


class ApprovalDenied(HermesError):
    """A tool call was refused by policy or by the user."""
