"""Registering plugins with pluggy so that no plugin can take the host down.

Each plugin object is registered through a *proxy*: a namespace holding a guarded wrapper
for every hook implementation. The guard catches an exception, records it as a problem of
that plugin (naming the hook) and returns None instead, traces the call when
``HERMES_TRACE_HOOKS`` is on, and re-raises in strict mode. pluggy still sees the original
signatures (the guard is a ``functools.wraps`` wrapper), so hooks keep taking any subset of
their parameters.

Hook functions are accepted when marked with ``@hookimpl`` or, for plain modules, when
defined in the module with a ``hermes_`` name. A marked or ``hermes_``-named function that
matches no hook spec is reported with the nearest real hook name.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import sys
import time
import traceback
import types
from collections.abc import Callable
from typing import Any, TextIO

import pluggy

from . import hookspecs
from .errors import PluginError
from .types import PluginProblem

_MARKER_ATTR = hookspecs.PROJECT_NAME + "_impl"


def _known_hooks() -> set[str]:
    return {name for name in dir(hookspecs) if name.startswith("hermes_")}


class _Proxy:
    """What pluggy registers for a plugin: its guarded hook functions as attributes.

    Compared by identity (unlike SimpleNamespace, where two plugins without hooks would
    be "equal" and pluggy would refuse the second).
    """

    def __init__(self, name: str) -> None:
        self._hermes_plugin = name

    def __repr__(self) -> str:
        return f"<hermes plugin {self._hermes_plugin}>"


class ProblemLog:
    """Problems recorded while loading and running plugins (deduplicated)."""

    def __init__(self) -> None:
        self.items: list[PluginProblem] = []
        self._seen: set[tuple[str, str | None, str, str]] = set()

    def add(self, problem: PluginProblem) -> None:
        key = (problem.plugin, problem.hook, problem.kind, problem.message)
        if key in self._seen:
            return
        self._seen.add(key)
        self.items.append(problem)

    def for_plugin(self, name: str) -> list[PluginProblem]:
        return [p for p in self.items if p.plugin == name]


def describe_exception(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip()
    return text if not text.endswith(":") else type(exc).__name__


class GuardedPluginManager:
    """A pluggy PluginManager whose hook implementations never raise into the kernel."""

    def __init__(self, *, strict: bool, trace: TextIO | None, problems: ProblemLog) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.strict = strict
        self.trace = trace
        self.problems = problems
        self.known = _known_hooks()
        self.sources: dict[str, str] = {}
        self.originals: dict[str, object] = {}

    # -- registration -----------------------------------------------------------------

    def register(self, plugin: object, name: str, source: str) -> list[str]:
        """Register ``plugin`` under ``name``; return the hooks it implements.

        Problems (unknown hooks, bad signatures) are recorded; in strict mode they raise.
        """
        self.sources[name] = source
        proxy = _Proxy(name)
        hooks: list[str] = []
        for attr, func, marked in self._hook_functions(plugin):
            if attr not in self.known:
                close = difflib.get_close_matches(attr, sorted(self.known), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                self._problem(name, "unknown-hook", f"'{attr}' is not a hermes hook{hint}", hook=attr)
                continue
            setattr(proxy, attr, self._guard(func, plugin_name=name, hook=attr, marked=marked))
            hooks.append(attr)
        try:
            self.pm.register(proxy, name=name)
        except pluggy.PluginValidationError as exc:
            self._problem(name, "register", str(exc).splitlines()[0] if str(exc) else "invalid hook")
            return []
        except ValueError as exc:  # pluggy: name already registered
            self._problem(name, "duplicate", str(exc))
            return []
        self.originals[name] = plugin
        return hooks

    def _hook_functions(self, plugin: object) -> list[tuple[str, Callable[..., Any], bool]]:
        found = []
        is_module = isinstance(plugin, types.ModuleType)
        for attr in dir(plugin):
            if attr.startswith("__"):
                continue
            try:
                value = getattr(plugin, attr)
            except Exception:  # a property that raises is not a hook
                continue
            if not callable(value) or isinstance(value, (type, types.ModuleType)):
                continue
            marked = hasattr(value, _MARKER_ATTR)
            if not marked:
                if not attr.startswith("hermes_") or not inspect.isroutine(value):
                    continue
                if is_module and getattr(value, "__module__", None) != plugin.__name__:
                    continue  # imported from elsewhere, not this plugin's own function
            found.append((attr, value, marked))
        return found

    def _guard(self, func: Callable[..., Any], *, plugin_name: str, hook: str, marked: bool) -> Callable[..., Any]:
        opts = getattr(func, _MARKER_ATTR, None) or {}
        if opts.get("wrapper") or opts.get("hookwrapper"):
            return func  # generator wrappers keep pluggy's own semantics
        manager = self

        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def guarded_async(*args: Any, **kwargs: Any) -> Any:
                start = time.perf_counter()
                try:
                    result = await func(*args, **kwargs)
                except Exception as exc:
                    manager._hook_failed(plugin_name, hook, exc)
                    return None
                manager._trace(plugin_name, hook, args, result, start)
                return result

            guard: Callable[..., Any] = guarded_async
        else:

            @functools.wraps(func)
            def guarded(*args: Any, **kwargs: Any) -> Any:
                start = time.perf_counter()
                try:
                    result = func(*args, **kwargs)
                    if inspect.isgenerator(result):
                        result = list(result)  # registry hooks often yield
                except Exception as exc:
                    manager._hook_failed(plugin_name, hook, exc)
                    return None
                manager._trace(plugin_name, hook, args, result, start)
                return result

            guard = guarded
        if not marked:
            hookspecs.hookimpl(guard)
        return guard

    # -- problems and tracing -----------------------------------------------------------

    def _problem(self, plugin: str, kind: str, message: str, *, hook: str | None = None, detail: str = "") -> None:
        self.problems.add(
            PluginProblem(
                plugin=plugin,
                source=self.sources.get(plugin, "explicit"),
                kind=kind,  # type: ignore[arg-type]
                message=message,
                hook=hook,
                detail=detail,
            )
        )
        if self.strict:
            raise PluginError(f"plugin '{plugin}': {message}")

    def _hook_failed(self, plugin: str, hook: str, exc: Exception) -> None:
        detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-6))
        if self.trace is not None:
            self.trace.write(f"[hermes trace] {plugin}.{hook} raised {describe_exception(exc)}\n")
        try:
            self._problem(plugin, "hook-error", f"raised {describe_exception(exc)}", hook=hook, detail=detail)
        except PluginError as strict_error:
            raise strict_error from exc

    def _trace(self, plugin: str, hook: str, args: tuple[Any, ...], result: Any, start: float) -> None:
        if self.trace is None:
            return
        elapsed = (time.perf_counter() - start) * 1000
        if isinstance(result, list):
            shown = f"{len(result)} item(s)"
        else:
            shown = repr(result)
            if len(shown) > 120:
                shown = shown[:117] + "..."
        self.trace.write(f"[hermes trace] {plugin}.{hook} -> {shown} ({elapsed:.2f} ms)\n")

    # -- calling ----------------------------------------------------------------------

    def impls(self, hook: str) -> list[pluggy.HookImpl]:
        """Implementations of ``hook`` in pluggy's call order (last registered first)."""
        return list(reversed(getattr(self.pm.hook, hook).get_hookimpls()))

    def impls_in_registration_order(self, hook: str) -> list[pluggy.HookImpl]:
        """Implementations of ``hook``, first registered first (for registries: the first
        plugin to claim a name keeps it)."""
        return list(getattr(self.pm.hook, hook).get_hookimpls())

    def call_impl(self, impl: pluggy.HookImpl, kwargs: dict[str, Any]) -> Any:
        args = [kwargs[name] for name in impl.argnames]
        return impl.function(*args)


def trace_stream(enabled: bool) -> TextIO | None:
    return sys.stderr if enabled else None
