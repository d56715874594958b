"""Health checks behind ``hermes doctor``: config, plugins, capabilities, secrets.

Each check yields :class:`Check` records so the CLI can render them and tests can assert
on them. Nothing here talks to the network.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel

from .host import Host

Level = Literal["ok", "info", "warning", "error"]


class Check(BaseModel):
    section: str
    level: Level
    message: str
    hint: str = ""


def run_checks(host: Host) -> list[Check]:
    host.load()
    host.collect_all()  # every registry hook runs once, so failing hooks show up as problems
    checks: list[Check] = []
    for check in (_home, _config, _plugins, _provider, _tools, _terminal, _memory, _sessions, _scanners, _gateways):
        checks.extend(check(host))
    return checks


def _home(host: Host) -> Iterator[Check]:
    home = host.home
    if not home.exists():
        yield Check(section="home", level="info", message=f"{home} does not exist yet", hint="it is created on first use")
    elif not os.access(home, os.W_OK):
        yield Check(section="home", level="error", message=f"{home} is not writable", hint="fix its permissions")
    else:
        yield Check(section="home", level="ok", message=str(home))


def _config(host: Host) -> Iterator[Check]:
    issues = host.config_issues()
    if not issues:
        exists = host.layout.config_file.exists()
        yield Check(section="config", level="ok", message=f"{host.layout.config_file}{'' if exists else ' (not created yet: defaults apply)'}")
    for issue in issues:
        yield Check(section="config", level=issue.severity, message=str(issue))


def _plugins(host: Host) -> Iterator[Check]:
    loaded = [p for p in host.plugins.values() if p.loaded]
    disabled = [p.name for p in host.plugins.values() if not p.enabled]
    yield Check(section="plugins", level="ok", message=f"{len(loaded)} loaded" + (f", disabled: {', '.join(disabled)}" if disabled else ""))
    for problem in host.problems:
        yield Check(
            section="plugins",
            level="error",
            message=f"plugin '{problem.plugin}' ({problem.source}): {problem.kind}"
            + (f" in {problem.hook}" if problem.hook else "")
            + f": {problem.message}",
            hint=f"hermes plugins info {problem.plugin}, or hermes plugins disable {problem.plugin}",
        )


def _provider(host: Host) -> Iterator[Check]:
    cfg = host.config.model
    specs = host.providers()
    if not specs:
        yield Check(section="model", level="error", message="no LLM provider plugin is installed", hint="pip install hermes-plugin-openai")
        return
    spec = specs.get(cfg.provider)
    if spec is None:
        yield Check(
            section="model",
            level="error",
            message=f"model.provider is '{cfg.provider}', which no installed plugin provides (installed: {', '.join(sorted(specs))})",
            hint="hermes config set model.provider <name>",
        )
        return
    _, settings = host.provider_settings()
    if not settings.model:
        yield Check(section="model", level="error", message=f"no model name set for provider '{cfg.provider}'", hint="hermes config set model.name <model>")
    else:
        where = f" at {settings.base_url}" if settings.base_url else ""
        yield Check(section="model", level="ok", message=f"{cfg.provider}:{settings.model}{where}")
    key_vars = ([cfg.api_key_env] if cfg.api_key_env else []) + list(spec.env)
    if key_vars and not settings.api_key:
        local = bool(settings.base_url) and any(h in settings.base_url for h in ("127.0.0.1", "localhost", "[::1]"))
        yield Check(
            section="secrets",
            level="info" if local else "error",
            message=f"no API key: none of {', '.join(dict.fromkeys(key_vars))} is set",
            hint=f"add {key_vars[0]}=... to {host.layout.env_file}" + (" (local servers often need none)" if local else ""),
        )
    elif key_vars:
        yield Check(section="secrets", level="ok", message=f"API key for '{cfg.provider}' is set")


def _tools(host: Host) -> Iterator[Check]:
    tools = host.tools()
    if not tools:
        yield Check(section="tools", level="warning", message="no tools installed: the agent can only talk", hint="pip install hermes-plugin-terminal hermes-plugin-file-tools")
        return
    # Each availability check runs once (some probe the system).
    enabled = {tool.name: host.availability(tool) for tool in tools.values() if host.tool_enabled(tool)}
    offered = sum(availability.available for availability in enabled.values())
    yield Check(section="tools", level="ok", message=f"{offered} of {len(tools)} tools offered to the model")
    for name, availability in enabled.items():
        if not availability.available:
            yield Check(section="tools", level="info", message=f"{name} ({tools[name].plugin}) unavailable: {availability.reason}")


def _terminal(host: Host) -> Iterator[Check]:
    name = host.config.terminal.backend
    backends = host.terminal_backends()
    if not backends:
        if any(t.command_arg for t in host.tools().values()):
            yield Check(section="terminal", level="error", message="no terminal backend installed", hint="pip install hermes-plugin-terminal-local")
        return
    spec = backends.get(name)
    if spec is None:
        yield Check(section="terminal", level="error", message=f"terminal.backend is '{name}', not installed (installed: {', '.join(sorted(backends))})", hint="hermes config set terminal.backend local")
        return
    availability = host.availability(spec)
    if availability.available:
        yield Check(section="terminal", level="ok", message=f"backend '{name}'")
    else:
        yield Check(section="terminal", level="error", message=f"backend '{name}' unavailable: {availability.reason}")
    for other, other_spec in sorted(backends.items()):
        if other == name:
            continue
        avail = host.availability(other_spec)
        yield Check(section="terminal", level="info", message=f"backend '{other}' {'available' if avail.available else 'unavailable: ' + avail.reason}")


def _memory(host: Host) -> Iterator[Check]:
    providers = host.memory_providers()
    for name in host.config.memory.providers:
        spec = providers.get(name)
        if spec is None:
            installed = ", ".join(sorted(providers)) or "none"
            yield Check(section="memory", level="warning", message=f"memory provider '{name}' is configured but not installed (installed: {installed})",
                        hint=f"pip install the plugin that provides '{name}', or: hermes config set memory.providers <installed ones>")
            continue
        availability = host.availability(spec)
        level: Level = "ok" if availability.available else "warning"
        yield Check(section="memory", level=level, message=f"provider '{name}'" + ("" if availability.available else f" unavailable: {availability.reason}"))


def _sessions(host: Host) -> Iterator[Check]:
    name = host.config.sessions.store
    stores = host.session_stores()
    if name in stores:
        yield Check(section="sessions", level="ok", message=f"store '{name}'")
    else:
        yield Check(section="sessions", level="warning", message=f"session store '{name}' is not installed: conversations are not saved", hint="pip install hermes-plugin-sessions")


def _scanners(host: Host) -> Iterator[Check]:
    scanners = host.scanners()
    covered = {target for spec in scanners.values() for target in spec.targets}
    for target, why in (
        ("command", "dangerous commands run without approval"),
        ("context_file", "context files and memory enter the prompt unscanned"),
        ("outbound", "secrets are not redacted from logs and trajectories"),
    ):
        if target in covered:
            names = ", ".join(sorted(s.name for s in scanners.values() if target in s.targets))
            yield Check(section="security", level="ok", message=f"{target}: {names}")
        else:
            yield Check(section="security", level="warning", message=f"no '{target}' scanner installed: {why}")
    if host.config.approvals.mode == "off":
        yield Check(section="security", level="warning", message="approvals.mode is off: dangerous commands run without asking")


def _gateways(host: Host) -> Iterator[Check]:
    for name, spec in sorted(host.gateways().items()):
        availability = host.availability(spec)
        yield Check(section="gateways", level="ok" if availability.available else "info", message=f"{name}: {'ready' if availability.available else availability.reason}")
