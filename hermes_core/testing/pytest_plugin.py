"""The hermes test kit as a pytest plugin (registered through the ``pytest11`` entry point).

Fixtures:

``hermes_home``
    A fresh, empty ``$HERMES_HOME`` for the test (also exported as the env variable).
``hermes_env``
    A hermetic environment mapping: the outside ``HERMES_*``, ``OPENAI_*`` and other
    provider variables removed, ``HERMES_HOME`` pointing at ``hermes_home``.
``host``
    A loaded :class:`~hermes_core.host.Host` on that home with autoload off: no installed
    plugin is picked up; register the ones under test with ``host.register(module)``.
``make_host``
    A factory for hosts with config, plugins and environment of your choosing.
``llm_server``
    A started :class:`~hermes_core.testing.llm_server.ScriptedLLMServer` on 127.0.0.1.
``hermes_report``
    ``hermes_report(section, line)`` prints ``line`` under ``section`` at the end of the
    run (detection rates, benchmark-like numbers), also under pytest-xdist.

``async def`` test functions run on a fresh asyncio event loop, unless another async
plugin (pytest-asyncio, anyio) has claimed them.
"""

from __future__ import annotations

import asyncio
import inspect
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

_LEAKY_PREFIXES = ("HERMES_", "OPENAI_", "ANTHROPIC_", "OPENROUTER_", "GEMINI_", "LITELLM_")


def clean_environment(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The process environment without variables that would change hermes's behaviour."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_LEAKY_PREFIXES)}
    env["HERMES_HOME"] = str(home)
    env.update(extra or {})
    return env


@pytest.fixture
def hermes_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "hermes-home"
    home.mkdir()
    for name in list(os.environ):
        if name.startswith(_LEAKY_PREFIXES):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HERMES_HOME", str(home))
    return home


@pytest.fixture
def hermes_env(hermes_home: Path) -> dict[str, str]:
    return clean_environment(hermes_home)


@pytest.fixture
def make_host(hermes_home: Path, hermes_env: dict[str, str], tmp_path: Path) -> Callable[..., Any]:
    """``make_host(config=None, plugins=(), env=None, autoload=False, cwd=None, strict=False)``."""
    from hermes_core.config import write_yaml_atomic
    from hermes_core.host import Host

    def factory(
        *,
        config: Mapping[str, Any] | None = None,
        plugins: Any = (),
        env: Mapping[str, str] | None = None,
        autoload: bool = False,
        cwd: Path | None = None,
        strict: bool = False,
    ) -> Host:
        if config is not None:
            write_yaml_atomic(hermes_home / "config.yaml", dict(config))
        work = cwd or tmp_path / "work"
        work.mkdir(parents=True, exist_ok=True)
        host = Host(hermes_home, env={**hermes_env, **(env or {})}, autoload=autoload, cwd=work, strict=strict)
        host.load()
        items = plugins.items() if isinstance(plugins, Mapping) else [(None, p) for p in plugins]
        for name, plugin in items:
            host.register(plugin, name=name)
        return host

    return factory


@pytest.fixture
def host(make_host: Callable[..., Any]) -> Any:
    return make_host()


@pytest.fixture
def llm_server() -> Iterator[Any]:
    from .llm_server import ScriptedLLMServer

    with ScriptedLLMServer() as server:
        yield server


_REPORT_KEY = "hermes-report"


@pytest.fixture
def hermes_report(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    def report(section: str, line: str) -> None:
        # user_properties travel with the test's report, from xdist workers too.
        request.node.user_properties.append((_REPORT_KEY, (section, line)))

    return report


def pytest_terminal_summary(terminalreporter: Any) -> None:
    sections: dict[str, list[str]] = {}
    seen: set[tuple[str, str, str]] = set()
    for reports in terminalreporter.stats.values():
        for report in reports:
            for key, value in getattr(report, "user_properties", ()) or ():
                if key != _REPORT_KEY:
                    continue
                section, line = value
                marker = (getattr(report, "nodeid", ""), section, line)
                if marker in seen:
                    continue
                seen.add(marker)
                sections.setdefault(section, []).append(line)
    for section, lines in sections.items():
        terminalreporter.write_sep("-", section)
        for line in lines:
            terminalreporter.write_line(line)


def _claimed_by_other_async_plugin(item: pytest.Function) -> bool:
    return any(item.get_closest_marker(name) for name in ("asyncio", "anyio", "trio"))


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    func = pyfuncitem.obj
    if not inspect.iscoroutinefunction(func) or _claimed_by_other_async_plugin(pyfuncitem):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    kwargs = {name: pyfuncitem.funcargs[name] for name in names}
    asyncio.run(func(**kwargs))
    return True
