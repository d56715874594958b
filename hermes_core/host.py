"""The Host: one object that owns the plugins, the config and the registries.

The CLI, the gateway, cron jobs and tests all boot the same way::

    host = Host().load()          # discover plugins, read config
    tools = host.tools()          # collected on first use

Nothing here is global: build as many hosts as you like (tests build one per test).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from . import _loader
from ._hookcalls import HookCalls
from ._plugins import GuardedPluginManager, ProblemLog, describe_exception, trace_stream
from ._configfile import ConfigIssue, deep_merge, env_overrides, get_path, read_dotenv, read_yaml
from .errors import ConfigError, HermesError, PluginError

if TYPE_CHECKING:
    from .config import HermesConfig
from .hookspecs import REGISTRY_HOOKS
from .paths import HomeLayout, resolve_home
from .types import (
    Availability,
    CommandSpec,
    ConfigSectionSpec,
    GatewaySpec,
    MemoryProviderSpec,
    PluginInfo,
    PluginProblem,
    ProviderSettings,
    ProviderSpec,
    ScanContext,
    ScannerSpec,
    ScanResult,
    SessionStoreSpec,
    SkillDirSpec,
    SlashCommandSpec,
    TerminalBackendSpec,
    TerminalSettings,
    ToolSpec,
    ToolsetSpec,
    Verdict,
)

SpecT = TypeVar("SpecT", bound=BaseModel)

_REGISTRY_TYPES: dict[str, type[BaseModel]] = {
    "hermes_providers": ProviderSpec,
    "hermes_tools": ToolSpec,
    "hermes_toolsets": ToolsetSpec,
    "hermes_terminal_backends": TerminalBackendSpec,
    "hermes_memory_providers": MemoryProviderSpec,
    "hermes_gateways": GatewaySpec,
    "hermes_scanners": ScannerSpec,
    "hermes_session_stores": SessionStoreSpec,
    "hermes_cli_commands": CommandSpec,
    "hermes_slash_commands": SlashCommandSpec,
    "hermes_skill_dirs": SkillDirSpec,
    "hermes_config_sections": ConfigSectionSpec,
}
assert set(_REGISTRY_TYPES) == set(REGISTRY_HOOKS)

_KIND_LABEL = {
    "hermes_providers": "provider",
    "hermes_tools": "tool",
    "hermes_toolsets": "toolset",
    "hermes_terminal_backends": "terminal backend",
    "hermes_memory_providers": "memory provider",
    "hermes_gateways": "gateway",
    "hermes_scanners": "scanner",
    "hermes_session_stores": "session store",
    "hermes_cli_commands": "command",
    "hermes_slash_commands": "slash command",
    "hermes_skill_dirs": "skill folder",
    "hermes_config_sections": "config section",
}


def _is_local(url: str | None) -> bool:
    """Whether a base URL points at this machine (local servers usually need no key)."""
    if not url:
        return False
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    return host in ("localhost", "127.0.0.1", "::1") or host.startswith("127.")


def _takes_argument(func: Any) -> bool:
    """Whether an availability check wants the host (``check(host)``) or nothing."""
    import inspect

    try:
        parameters = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        return False
    return bool(parameters) and parameters[0].kind in (
        inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD
    ) and parameters[0].default is inspect.Parameter.empty


class Host:
    """Owns one plugin manager, the config, the registries and the problem log.

    :param home: ``$HERMES_HOME``; defaults to the environment's or ``~/.hermes``.
    :param env: the environment to read (defaults to ``os.environ``); ``.env`` in the home
        folder fills in variables the environment does not set.
    :param autoload: discover entry-point and drop-in plugins (default: unless
        ``HERMES_DISABLE_PLUGIN_AUTOLOAD`` is set). Explicit ``register()`` always works.
    :param cwd: the working directory (for project context and project plugins).
    :param overrides: config values that beat the file and environment (``-m`` on the CLI).
    """

    def __init__(
        self,
        home: Path | str | None = None,
        *,
        env: Mapping[str, str] | None = None,
        autoload: bool | None = None,
        cwd: Path | str | None = None,
        strict: bool | None = None,
        trace: bool | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> None:
        base_env = dict(os.environ if env is None else env)
        self.home = Path(home).expanduser() if home is not None else resolve_home(base_env)
        self.layout = HomeLayout(self.home)
        self._base_env = base_env
        self.env: dict[str, str] = dict(base_env)
        self.cwd = Path(cwd) if cwd is not None else Path.cwd()
        self.autoload = (
            autoload if autoload is not None else not _loader.env_flag(base_env, _loader.ENV_DISABLE_AUTOLOAD)
        )
        self.strict = strict if strict is not None else _loader.env_flag(base_env, _loader.ENV_STRICT)
        tracing = trace if trace is not None else _loader.env_flag(base_env, _loader.ENV_TRACE)
        self._overrides = dict(overrides or {})
        self._problems = ProblemLog()
        self._gpm = GuardedPluginManager(strict=self.strict, trace=trace_stream(tracing), problems=self._problems)
        self.hooks = HookCalls(self._gpm)
        self.plugins: dict[str, PluginInfo] = {}
        self._loaded = False
        self._raw_config: dict[str, Any] = {}
        self._file_config: dict[str, Any] = {}
        self._config: HermesConfig | None = None
        self._config_issues: list[ConfigIssue] = []
        self._registries: dict[str, dict[str, Any]] = {}
        self._plugin_configs: dict[str, BaseModel] = {}
        self._scanner_objects: dict[str, Any] = {}
        self._memory: Any = None
        self._store: Any = None
        self._store_error: str | None = None
        self._lock = threading.RLock()

    # =====================================================================================
    # Boot
    # =====================================================================================

    def load(self) -> Host:
        """Read ``.env`` and config, then discover and register plugins. Idempotent."""
        with self._lock:
            if self._loaded:
                return self
            self._loaded = True
            self._read_config()
            if self.autoload:
                self._discover_and_register()
        return self

    def _read_config(self) -> None:
        dotenv = read_dotenv(self.layout.env_file)
        self.env = {**dotenv, **self._base_env}
        try:
            self._file_config = read_yaml(self.layout.config_file)
        except ConfigError as exc:
            self._file_config = {}
            self._config_issues.append(
                ConfigIssue(key="(file)", message=str(exc).split(": ", 1)[-1], source=str(self.layout.config_file))
            )
        raw = deep_merge(self._file_config, env_overrides(self.env))
        raw = deep_merge(raw, self._overrides)
        self._raw_config = raw
        # Validation waits until `config` is first read: commands like `--help` only need
        # the plugin lists below, and building the config models costs ~10 ms.

    def _validate_config(self) -> HermesConfig:
        with self._lock:
            if self._config is None:
                from .config import build_config

                self._config, issues = build_config(self._raw_config, source=self._config_source())
                self._config_issues.extend(issues)
            return self._config

    def _raw_list(self, section: str, key: str) -> list[str]:
        """A list of names from the raw config, for use before validation; falls back to
        the validated config when the raw value is not a plain list of strings."""
        value = (self._raw_config.get(section) or {}).get(key) if isinstance(self._raw_config.get(section), Mapping) else None
        if value is None:
            return []
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
        return list(getattr(getattr(self._validate_config(), section), key))

    def _config_source(self) -> str:
        return str(self.layout.config_file)

    def _discover_and_register(self) -> None:
        disabled = set(self._raw_list("plugins", "disabled")) | set(_loader.env_list(self.env, _loader.ENV_DISABLE))
        builtin_only = _loader.env_flag(self.env, _loader.ENV_NO_EXTERNAL)
        candidates: list[_loader.Candidate] = []
        try:
            candidates.extend(_loader.entry_point_candidates(self.layout.cache_dir))
        except Exception as exc:  # a broken distribution's metadata must not stop the host
            self._problems.add(
                PluginProblem(plugin="(entry points)", source="entrypoint", kind="import", message=describe_exception(exc))
            )
        if not builtin_only:
            candidates.extend(_loader.folder_candidates(self.layout.plugins_dir, "dropin"))
            project = _loader.find_project_root(self.cwd, self.home)
            if project is not None and _loader.is_trusted(project, self._raw_list("projects", "trusted")):
                candidates.extend(_loader.folder_candidates(project / ".hermes" / "plugins", "project"))
        for candidate in candidates:
            if builtin_only and candidate.source != "builtin":
                continue
            self._load_candidate(candidate, disabled)

    def _load_candidate(self, candidate: _loader.Candidate, disabled: set[str]) -> None:
        info = PluginInfo(
            name=candidate.name,
            source=candidate.source,
            location=candidate.location,
            distribution=candidate.distribution,
            version=candidate.version,
        )
        if candidate.name in self.plugins:
            first = self.plugins[candidate.name]
            self._record(
                candidate.name,
                candidate.source,
                "duplicate",
                f"a plugin named '{candidate.name}' is already loaded from {first.location}; "
                f"this one ({candidate.location}) was skipped",
            )
            return
        if candidate.name in disabled or (candidate.distribution or "") in disabled:
            self.plugins[candidate.name] = info.model_copy(update={"enabled": False})
            return
        self.plugins[candidate.name] = info
        self._gpm.sources[candidate.name] = candidate.source
        try:
            plugin = candidate.load()
        except Exception as exc:
            self._record(candidate.name, candidate.source, "import", f"import failed: {describe_exception(exc)}", exc=exc)
            return
        self._register_object(plugin, candidate.name, candidate.source)

    def register(self, plugin: object, name: str | None = None) -> PluginInfo:
        """Register a plugin object (a module, class instance, ...) explicitly.

        This is how tests add plugins to a host with autoload off, and how an embedding
        application adds its own.
        """
        with self._lock:
            if not self._loaded:
                self.load()
            name = name or getattr(plugin, "__name__", None) or type(plugin).__name__
            if name in self.plugins and self.plugins[name].loaded:
                raise PluginError(f"a plugin named '{name}' is already registered")
            location = getattr(plugin, "__file__", None) or repr(plugin)
            self.plugins[name] = PluginInfo(name=name, source="explicit", location=str(location))
            self._register_object(plugin, name, "explicit")
            return self.plugins[name]

    def _register_object(self, plugin: object, name: str, source: str) -> None:
        try:
            hooks = self._gpm.register(plugin, name, source)
        except PluginError:
            raise
        except Exception as exc:
            self._record(name, source, "register", describe_exception(exc), exc=exc)
            return
        self.plugins[name] = self.plugins[name].model_copy(update={"loaded": True, "hooks": hooks})
        self._registries.clear()
        self._plugin_configs.clear()
        self._scanner_objects.clear()

    def _record(self, plugin: str, source: str, kind: str, message: str, *, exc: BaseException | None = None) -> None:
        import traceback

        detail = "".join(traceback.format_exception(exc)) if exc is not None else ""
        self._problems.add(
            PluginProblem(plugin=plugin, source=source, kind=kind, message=message, detail=detail)  # type: ignore[arg-type]
        )
        if self.strict:
            raise PluginError(f"plugin '{plugin}' ({source}): {message}") from exc

    # =====================================================================================
    # State
    # =====================================================================================

    @property
    def problems(self) -> list[PluginProblem]:
        """Everything that went wrong with plugins so far (loading and running)."""
        return list(self._problems.items)

    def problems_for(self, plugin: str) -> list[PluginProblem]:
        return self._problems.for_plugin(plugin)

    def plugin_object(self, name: str) -> object | None:
        """The object registered under ``name`` (the plugin module, usually)."""
        return self._gpm.originals.get(name)

    def getenv(self, name: str, default: str | None = None) -> str | None:
        """An environment variable, from the process environment or ``$HERMES_HOME/.env``."""
        self.load()
        value = self.env.get(name)
        return value if value not in (None, "") else default

    def export_dotenv(self) -> None:
        """Copy ``$HERMES_HOME/.env`` values into the process environment where unset, so
        SDKs that read their keys from the environment see them. The CLI calls this; an
        embedding application decides for itself."""
        self.load()
        for name, value in read_dotenv(self.layout.env_file).items():
            os.environ.setdefault(name, value)

    @property
    def config(self) -> HermesConfig:
        """The kernel's validated config (sections with errors fall back to defaults)."""
        self.load()
        return self._validate_config()

    @property
    def file_config(self) -> dict[str, Any]:
        """``config.yaml`` as read (no defaults, no environment overrides)."""
        self.load()
        return self._file_config

    @property
    def raw_config(self) -> dict[str, Any]:
        """``config.yaml`` merged with environment and command-line overrides."""
        self.load()
        return self._raw_config

    def config_issues(self, *, include_plugins: bool = True) -> list[ConfigIssue]:
        """Problems in config: the kernel's sections, and (by default) plugin sections and
        sections nobody declares."""
        self.load()
        self._validate_config()
        issues = list(self._config_issues)
        if not include_plugins:
            return issues
        sections = self.config_sections()
        for name, spec in sections.items():
            try:
                self.plugin_config(name)
            except ConfigError:
                issues.extend(self._section_issues(spec))
        from .config import KERNEL_SECTIONS

        top_claimed = {name.split(".")[0] for name in sections}
        for key in self._raw_config:
            if key not in KERNEL_SECTIONS and key not in top_claimed:
                issues.append(
                    ConfigIssue(
                        key=key,
                        message="no installed plugin declares this section (it is ignored)",
                        source=self._config_source(),
                        severity="warning",
                    )
                )
        from .config import PLUGGABLE_SECTIONS

        for kernel_section in PLUGGABLE_SECTIONS:
            section_raw = self._raw_config.get(kernel_section)
            if not isinstance(section_raw, Mapping):
                continue
            own = set(type(getattr(self.config, kernel_section)).model_fields)
            for key in section_raw:
                if key not in own and f"{kernel_section}.{key}" not in sections:
                    issues.append(
                        ConfigIssue(
                            key=f"{kernel_section}.{key}",
                            message=f"unknown key; allowed: {', '.join(sorted(own))}, or an installed plugin's section",
                            source=self._config_source(),
                            severity="warning",
                        )
                    )
        return issues

    def _section_issues(self, spec: ConfigSectionSpec) -> list[ConfigIssue]:
        from .config import validate_section

        try:
            data = get_path(self._raw_config, spec.name)
        except KeyError:
            data = {}
        _, issues = validate_section(spec.model, data, key=spec.name, source=self._config_source())
        return issues

    def plugin_config(self, section: str) -> Any:
        """A plugin's config section, validated by the model it declared.

        Raises :class:`ConfigError` naming the file and key if the section is invalid.
        """
        with self._lock:
            if section in self._plugin_configs:
                return self._plugin_configs[section]
            spec = self.config_sections().get(section)
            if spec is None:
                raise ConfigError(f"no plugin declares the config section '{section}'", key=section)
            from .config import validate_section

            try:
                data = get_path(self._raw_config, section)
            except KeyError:
                data = {}
            instance, issues = validate_section(spec.model, data, key=section, source=self._config_source())
            if instance is None:
                raise ConfigError("; ".join(f"key '{i.key}': {i.message}" for i in issues), path=self._config_source())
            self._plugin_configs[section] = instance
            return instance

    # =====================================================================================
    # Registries
    # =====================================================================================

    def _registry(self, hook: str) -> dict[str, Any]:
        with self._lock:
            if hook in self._registries:
                return self._registries[hook]
            self.load()
            record_type = _REGISTRY_TYPES[hook]
            label = _KIND_LABEL[hook]
            collected: dict[str, Any] = {}
            owners: dict[str, str] = {}
            for impl in self._gpm.impls_in_registration_order(hook):
                plugin = impl.plugin_name
                result = self._gpm.call_impl(impl, {})
                if result is None:
                    continue
                items = [result] if isinstance(result, BaseModel) else result
                try:
                    items = list(items)
                except TypeError:
                    self._record(plugin, self._gpm.sources.get(plugin, "explicit"), "bad-result",
                                 f"{hook} returned {type(result).__name__}, expected {record_type.__name__} records")
                    continue
                for item in items:
                    if not isinstance(item, record_type):
                        self._record(plugin, self._gpm.sources.get(plugin, "explicit"), "bad-result",
                                     f"{hook} yielded {type(item).__name__}, expected {record_type.__name__}")
                        continue
                    item = item.model_copy(update={"plugin": plugin})
                    key = str(item.path) if isinstance(item, SkillDirSpec) else item.name  # type: ignore[attr-defined]
                    if key in collected:
                        if isinstance(item, SkillDirSpec):
                            continue
                        self._record(
                            plugin,
                            self._gpm.sources.get(plugin, "explicit"),
                            "duplicate",
                            f"{label} '{key}' is already provided by plugin '{owners[key]}'; "
                            f"the one from '{plugin}' was ignored",
                        )
                        continue
                    collected[key] = item
                    owners[key] = plugin
            self._registries[hook] = collected
            return collected

    def providers(self) -> dict[str, ProviderSpec]:
        return self._registry("hermes_providers")

    def tools(self) -> dict[str, ToolSpec]:
        return self._registry("hermes_tools")

    def toolsets(self) -> dict[str, ToolsetSpec]:
        """Described toolsets plus any toolset a tool names without a description."""
        described = dict(self._registry("hermes_toolsets"))
        for tool in self.tools().values():
            if tool.toolset not in described:
                described[tool.toolset] = ToolsetSpec(name=tool.toolset, plugin=tool.plugin)
        return described

    def terminal_backends(self) -> dict[str, TerminalBackendSpec]:
        return self._registry("hermes_terminal_backends")

    def memory_providers(self) -> dict[str, MemoryProviderSpec]:
        return self._registry("hermes_memory_providers")

    def gateways(self) -> dict[str, GatewaySpec]:
        return self._registry("hermes_gateways")

    def scanners(self) -> dict[str, ScannerSpec]:
        return self._registry("hermes_scanners")

    def session_stores(self) -> dict[str, SessionStoreSpec]:
        return self._registry("hermes_session_stores")

    def cli_commands(self) -> dict[str, CommandSpec]:
        return self._registry("hermes_cli_commands")

    def slash_commands(self) -> dict[str, SlashCommandSpec]:
        return self._registry("hermes_slash_commands")

    def skill_dirs(self) -> list[SkillDirSpec]:
        return list(self._registry("hermes_skill_dirs").values())

    def config_sections(self) -> dict[str, ConfigSectionSpec]:
        return self._registry("hermes_config_sections")

    def collect_all(self) -> None:
        """Call every registry hook once (``hermes doctor`` does, to surface problems)."""
        for hook in REGISTRY_HOOKS:
            self._registry(hook)

    # =====================================================================================
    # Availability and tool selection
    # =====================================================================================

    def availability(self, spec: Any) -> Availability:
        """Whether a capability record can be used now: required env vars and its check."""
        missing = [name for name in getattr(spec, "requires_env", []) if not self.getenv(name)]
        if missing:
            return Availability(available=False, reason=f"missing environment variable(s): {', '.join(missing)}")
        check = getattr(spec, "check_available", None)
        if check is None:
            return Availability()
        try:
            return Availability.coerce(check(self) if _takes_argument(check) else check())
        except Exception as exc:
            return Availability(available=False, reason=f"availability check failed: {describe_exception(exc)}")

    def tool_enabled(self, tool: ToolSpec) -> bool:
        """Enabled by config (toolset and tool lists), regardless of availability."""
        cfg = self.config.tools
        if tool.name in cfg.disabled or tool.toolset in cfg.disabled_toolsets:
            return False
        if cfg.enabled_toolsets is not None:
            return tool.toolset in cfg.enabled_toolsets
        toolset = self.toolsets().get(tool.toolset)
        return toolset.default_enabled if toolset is not None else True

    def active_tools(self) -> list[ToolSpec]:
        """Tools offered to the model: enabled by config and available now."""
        return [t for t in self.tools().values() if self.tool_enabled(t) and self.availability(t).available]

    # =====================================================================================
    # Scanning
    # =====================================================================================

    def scan(self, text: str, target: str, *, source: str | None = None, session: Any = None) -> ScanResult:
        """Run every scanner registered for ``target``: the most severe verdict wins,
        findings are merged, and rewrites (redaction) chain in scanner order."""
        specs = sorted(
            (s for s in self.scanners().values() if target in s.targets), key=lambda s: (s.order, s.name)
        )
        ctx = ScanContext(
            target=target,
            source=source,
            session_id=getattr(session, "id", None),
            user_id=getattr(session, "user_id", None),
        )
        verdict = Verdict.ALLOW
        findings = []
        current = text
        rewritten = False
        for spec in specs:
            try:
                scanner = self._scanner(spec)
                result = scanner.scan(current, ctx)
            except Exception as exc:
                self._record(spec.plugin or spec.name, "runtime", "hook-error", f"scanner '{spec.name}' raised {describe_exception(exc)}")
                from .types import Finding

                findings.append(
                    Finding(rule="scanner-error", message=f"scanner '{spec.name}' failed", severity="low")
                )
                continue
            if result.text is not None and result.text != current:
                current = result.text
                rewritten = True
            for finding in result.findings:
                findings.append(finding)
            if Verdict(result.verdict).rank > verdict.rank:
                verdict = Verdict(result.verdict)
        return ScanResult(verdict=verdict, findings=findings, text=current if rewritten else None)

    def _scanner(self, spec: ScannerSpec) -> Any:
        with self._lock:
            obj = self._scanner_objects.get(spec.name)
            if obj is None:
                obj = spec.factory(self) if _takes_argument(spec.factory) else spec.factory()
                self._scanner_objects[spec.name] = obj
            return obj

    def guard_text(self, text: str, target: str, *, source: str | None = None, session: Any = None) -> str:
        """Text made safe to enter the prompt or memory: blocked content is replaced by a
        visible marker that says what was withheld and why; rewrites are applied."""
        result = self.scan(text, target, source=source, session=session)
        if result.verdict == Verdict.BLOCK:
            reasons = "; ".join(sorted({f.message for f in result.findings if f.verdict in (Verdict.BLOCK, "block")}))
            where = f" from {source}" if source else ""
            return (
                f"[hermes: {target.replace('_', ' ')}{where} withheld by the security scanner: "
                f"{reasons or 'flagged as unsafe'}]"
            )
        return result.text if result.text is not None else text

    def redact(self, text: str) -> str:
        """Text with secrets masked by the ``outbound`` scanners (logs, trajectories, gateways)."""
        if not self.config.security.redact_secrets:
            return text
        result = self.scan(text, "outbound")
        return result.text if result.text is not None else text

    # =====================================================================================
    # Capability factories
    # =====================================================================================

    def provider_settings(self, provider: str | None = None, model: str | None = None) -> tuple[ProviderSpec, ProviderSettings]:
        """The provider spec and resolved settings for ``provider`` (default: config)."""
        cfg = self.config.model
        name = provider or cfg.provider
        specs = self.providers()
        spec = specs.get(name)
        if spec is None:
            known = ", ".join(sorted(specs)) or "none installed"
            raise HermesError(
                f"unknown provider '{name}' (installed: {known}); "
                f"install one (e.g. pip install hermes-plugin-{name}) or run: hermes config set model.provider <name>"
            )
        same_provider = provider is None or provider == cfg.provider
        api_key = None
        key_vars = ([cfg.api_key_env] if cfg.api_key_env and same_provider else []) + list(spec.env)
        for var in key_vars:
            api_key = self.getenv(var)
            if api_key:
                break
        base_url = cfg.base_url if same_provider else None
        if not base_url and spec.base_url_env:
            base_url = self.getenv(spec.base_url_env)
        settings = ProviderSettings(
            provider=name,
            model=model or (cfg.name if same_provider else None) or spec.default_model,
            base_url=base_url or spec.default_base_url,
            api_key=api_key,
            timeout=cfg.timeout,
            max_retries=cfg.max_retries,
            extra=dict(cfg.extra) if same_provider else {},
        )
        return spec, settings

    def create_provider(self, provider: str | None = None, model: str | None = None) -> tuple[Any, ProviderSettings]:
        """A live provider object and its settings."""
        spec, settings = self.provider_settings(provider, model)
        if spec.env and not settings.api_key and not _is_local(settings.base_url):
            variables = " or ".join(spec.env)
            raise HermesError(
                f"no API key for provider '{spec.name}': set {variables} in the environment or in "
                f"{self.layout.env_file} (or point model.api_key_env at the variable holding it)"
            )
        if not settings.model:
            raise HermesError(
                f"no model configured for provider '{spec.name}': run `hermes model` or "
                f"`hermes config set model.name <model>`, or pass -m {spec.name}:<model>"
            )
        return spec.factory(settings), settings

    def section_options(self, kernel_section: str, name: str) -> dict[str, Any]:
        """The options of ``<kernel_section>.<name>`` (``terminal.docker``, ``memory.mem0``) as
        a dict: validated by the plugin's declared model when there is one, raw otherwise."""
        section = f"{kernel_section}.{name}"
        if section in self.config_sections():
            return self.plugin_config(section).model_dump()
        extra = (getattr(self.config, kernel_section).model_extra or {}).get(name)
        return dict(extra) if isinstance(extra, Mapping) else {}

    def open_terminal(self, session: Any) -> Any:
        """A terminal backend for ``session`` on the configured backend."""
        cfg = self.config.terminal
        name = cfg.backend
        spec = self.terminal_backends().get(name)
        if spec is None:
            known = ", ".join(sorted(self.terminal_backends())) or "none installed"
            raise HermesError(
                f"terminal backend '{name}' is not installed (installed: {known}); "
                f"install hermes-plugin-terminal-{name} or run: hermes config set terminal.backend local"
            )
        available = self.availability(spec)
        if not available.available:
            raise HermesError(f"terminal backend '{name}' is not available: {available.reason}")
        options = self.section_options("terminal", name)
        settings = TerminalSettings(
            session_id=session.id,
            user_id=getattr(session, "user_id", "local"),
            cwd=getattr(session, "cwd", None),
            hermes_home=self.home,
            timeout=cfg.timeout,
            max_output_chars=cfg.max_output_chars,
            options=options,
        )
        return spec.factory(settings)

    @property
    def memory(self) -> Any:
        """The memory fan-out over every active memory provider (created on first use)."""
        with self._lock:
            if self._memory is None:
                from .agent.memory import MemoryFanout

                self._memory = MemoryFanout(self)
            return self._memory

    def session_store(self) -> Any:
        """The configured session store object, or None when none is installed or it
        failed to open (the reason is in ``session_store_error``)."""
        with self._lock:
            if self._store is not None or self._store_error is not None:
                return self._store
            name = self.config.sessions.store
            spec = self.session_stores().get(name)
            if spec is None:
                self._store_error = f"session store '{name}' is not installed"
                return None
            try:
                self._store = spec.factory(self.home, self.section_options("sessions", name))
            except Exception as exc:
                self._store_error = f"session store '{name}' failed to open: {type(exc).__name__}: {exc}"
                self._record(spec.plugin or name, "runtime", "hook-error", self._store_error)
            return self._store

    @property
    def session_store_error(self) -> str | None:
        return self._store_error

    async def aclose(self) -> None:
        """Close what the host opened: memory providers and the session store."""
        if self._memory is not None:
            await self._memory.aclose()
            self._memory = None
        if self._store is not None:
            store, self._store = self._store, None
            await store.aclose()

    def __repr__(self) -> str:
        return f"<Host home={str(self.home)!r} plugins={len(self.plugins)} loaded={self._loaded}>"
