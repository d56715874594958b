"""Configuration: ``config.yaml`` validated by the kernel's sections and each plugin's own.

Precedence, lowest first: defaults < ``config.yaml`` < environment variables named
``HERMES_<SECTION>__<KEY>`` (double underscore between levels, values parsed as YAML
scalars, e.g. ``HERMES_AGENT__MAX_ITERATIONS=30``). Secrets live in ``.env`` and are read
into the host's environment view, never into config.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ._configfile import (  # noqa: F401 - re-exported: the config API in one place
    SECRET_KEY_RE,
    ConfigIssue,
    deep_merge,
    env_overrides,
    get_path,
    mask_secrets,
    parse_scalar,
    read_dotenv,
    read_yaml,
    set_path,
    unset_path,
    write_yaml_atomic,
)
from .errors import ConfigError

# ---------------------------------------------------------------------------------------
# The kernel's sections
# ---------------------------------------------------------------------------------------


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)


class ModelConfig(_Section):
    """Which model answers, and how to reach it."""

    provider: str = Field("openai", description="provider plugin name (hermes model lists them)")
    name: str | None = Field(None, description="model name as the provider knows it")
    base_url: str | None = Field(None, description="endpoint URL for OpenAI-compatible servers")
    api_key_env: str | None = Field(None, description="environment variable holding the API key")
    context_window: int | None = Field(None, gt=0, description="override the model's context size")
    max_tokens: int | None = Field(None, gt=0, description="cap on each answer's length")
    temperature: float | None = Field(None, ge=0, le=2, description="sampling temperature (the server's default if null)")
    timeout: float = Field(600.0, gt=0, description="seconds before one request gives up")
    max_retries: int = Field(3, ge=0, le=10, description="retries on 429, 5xx and dropped connections")
    extra: dict[str, Any] = Field(default_factory=dict, description="passed to the provider as-is")


class CompressionConfig(_Section):
    """Summarising the middle of long conversations."""

    enabled: bool = Field(True, description="compress when a request nears the context window")
    threshold: float = Field(0.75, gt=0.1, le=0.98, description="fraction of the context window")
    keep_first: int = Field(2, ge=1, description="messages kept at the start (after the system prompt)")
    keep_last: int = Field(8, ge=2, description="messages kept at the end")


class AgentConfig(_Section):
    """The conversation loop."""

    max_iterations: int = Field(90, ge=1, le=10_000, description="LLM calls per turn before a final answer")
    stream: bool = Field(True, description="stream answers as they are written")
    max_parallel_tools: int = Field(8, ge=1, le=64, description="parallel-safe tool calls run at once")
    compression: CompressionConfig = Field(default_factory=CompressionConfig)


class PluginsConfig(_Section):
    """Plugin loading (see also the HERMES_*_PLUGINS environment switches)."""

    disabled: list[str] = Field(default_factory=list, description="plugin names never imported")


class ProjectsConfig(_Section):
    """Projects whose own plugins and skills hermes may load."""

    trusted: list[str] = Field(
        default_factory=list,
        description="project folders whose .hermes/plugins and skills may load",
    )


class ToolsConfig(_Section):
    """Which tools the model is offered."""

    enabled_toolsets: list[str] | None = Field(None, description="if set, only these toolsets")
    disabled_toolsets: list[str] = Field(default_factory=list)
    disabled: list[str] = Field(default_factory=list, description="tool names never offered")
    max_result_chars: int = Field(20_000, ge=1000, description="larger results spill to a file")


class TerminalConfig(BaseModel):
    """Where shell commands run. `terminal.<backend>` sub-sections belong to the backend plugins."""

    model_config = ConfigDict(extra="allow", validate_assignment=True, defer_build=True)
    backend: str = Field("local", description="terminal backend plugin name")
    timeout: float = Field(180.0, gt=0, description="default seconds per command")
    max_output_chars: int = Field(50_000, ge=1000, description="output kept per command (head and tail)")


class ApprovalsConfig(_Section):
    """Approval of dangerous tool calls (shell commands judged by the command scanners)."""

    mode: Literal["ask", "off"] = Field("ask", description="ask before dangerous commands, or never")
    non_interactive: Literal["deny", "allow"] = Field(
        "deny", description="what an unattended run does when approval is needed"
    )
    allow: list[str] = Field(default_factory=list, description="approval keys or command patterns always allowed")
    deny: list[str] = Field(default_factory=list, description="command patterns always refused")


class MemoryConfig(BaseModel):
    """Memory providers. `memory.<provider>` sub-sections belong to the provider plugins."""

    model_config = ConfigDict(extra="allow", validate_assignment=True, defer_build=True)
    providers: list[str] = Field(default_factory=lambda: ["builtin"], description="memory providers active at once")
    recall_timeout: float = Field(3.0, gt=0, description="seconds a provider gets to recall")
    recall_budget_tokens: int = Field(1200, ge=0, description="recalled memory added to a turn, at most")
    breaker_failures: int = Field(3, ge=1, description="failures in a row that open the breaker")
    breaker_cooldown: float = Field(60.0, ge=0, description="seconds a tripped provider is skipped")
    allow_subagent_writes: bool = Field(False, description="let subagents write memory")
    allow_cron_writes: bool = Field(False, description="let scheduled jobs write memory")


class SessionsConfig(BaseModel):
    """Where conversations are saved. `sessions.<store>` sub-sections belong to the store plugins."""

    model_config = ConfigDict(extra="allow", validate_assignment=True, defer_build=True)
    store: str = Field("sqlite", description="session store plugin name")


class SecurityConfig(_Section):
    """Scanning and redaction."""

    scan_tool_results: bool = Field(False, description="scan tool output for prompt injection")
    redact_secrets: bool = Field(True, description="mask secrets in trajectories, logs and gateway replies")


class DisplayConfig(_Section):
    """How the CLI shows a turn."""

    tool_progress: bool = Field(True, description="show a line per tool call")
    show_reasoning: bool = Field(False, description="show the model's visible reasoning")


class HermesConfig(BaseModel):
    """The whole config. Plugin sections are kept as raw dicts here and validated by
    their own models (``Host.plugin_config(name)``)."""

    model_config = ConfigDict(extra="allow", validate_assignment=True, defer_build=True)

    model: ModelConfig = Field(default_factory=ModelConfig)
    agent: AgentConfig = Field(default_factory=AgentConfig)
    plugins: PluginsConfig = Field(default_factory=PluginsConfig)
    projects: ProjectsConfig = Field(default_factory=ProjectsConfig)
    tools: ToolsConfig = Field(default_factory=ToolsConfig)
    terminal: TerminalConfig = Field(default_factory=TerminalConfig)
    approvals: ApprovalsConfig = Field(default_factory=ApprovalsConfig)
    memory: MemoryConfig = Field(default_factory=MemoryConfig)
    sessions: SessionsConfig = Field(default_factory=SessionsConfig)
    security: SecurityConfig = Field(default_factory=SecurityConfig)
    display: DisplayConfig = Field(default_factory=DisplayConfig)


KERNEL_SECTIONS = tuple(HermesConfig.model_fields)
#: Kernel sections whose sub-sections belong to plugins (``terminal.docker``, ``memory.mem0``).
PLUGGABLE_SECTIONS = ("terminal", "memory", "sessions")


# ---------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------


def _describe_error(err: dict[str, Any], model: type[BaseModel], loc_prefix: str) -> tuple[str, str]:
    loc = [str(p) for p in err.get("loc", ())]
    key = ".".join([loc_prefix, *loc] if loc_prefix else loc)
    if err.get("type") == "extra_forbidden":
        parent = model
        for part in loc[:-1]:
            field = parent.model_fields.get(part) if isinstance(parent, type) else None
            ann = field.annotation if field else None
            parent = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
            if parent is None:
                break
        allowed = ", ".join(parent.model_fields) if parent is not None else "see hermes config show"
        return key, f"unknown key; allowed keys here: {allowed}"
    message = err.get("msg", "invalid value")
    if "input" in err and not isinstance(err["input"], (dict, list)):
        message += f" (got {err['input']!r})"
    return key, message


def validate_section(
    model: type[BaseModel], data: Any, *, key: str, source: str
) -> tuple[BaseModel | None, list[ConfigIssue]]:
    """Validate one section; return the model instance (None if invalid) and issues."""
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        return None, [ConfigIssue(key=key, message=f"must be a mapping, not {type(data).__name__}", source=source)]
    try:
        return model.model_validate(dict(data)), []
    except ValidationError as exc:
        issues = []
        for err in exc.errors():
            k, msg = _describe_error(err, model, key)
            issues.append(ConfigIssue(key=k, message=msg, source=source))
        return None, issues


def build_config(
    raw: Mapping[str, Any], *, source: str
) -> tuple[HermesConfig, list[ConfigIssue]]:
    """Validate the kernel's sections. An invalid section falls back to its defaults and
    is reported, so introspection commands keep working on a broken config."""
    issues: list[ConfigIssue] = []
    values: dict[str, Any] = {}
    for name, field in HermesConfig.model_fields.items():
        if name not in raw:
            continue
        model = field.annotation
        assert isinstance(model, type) and issubclass(model, BaseModel)
        instance, section_issues = validate_section(model, raw[name], key=name, source=source)
        issues.extend(section_issues)
        if instance is not None:
            values[name] = instance
    extras = {k: v for k, v in raw.items() if k not in HermesConfig.model_fields}
    return HermesConfig(**values, **extras), issues


# ---------------------------------------------------------------------------------------
# Type coercion for `hermes config set`
# ---------------------------------------------------------------------------------------


def field_annotation(model: type[BaseModel], dotted: str) -> Any:
    """The annotation of a dotted field path inside ``model``, or raise KeyError."""
    current: Any = model
    parts = dotted.split(".")
    for index, part in enumerate(parts):
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            raise KeyError(dotted)
        field = current.model_fields.get(part)
        if field is None:
            raise KeyError(dotted)
        current = field.annotation
        if index < len(parts) - 1:
            current = _unwrap_optional(current)
    return current


def _unwrap_optional(annotation: Any) -> Any:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        non_none = [a for a in args if a is not type(None)]
        if len(non_none) == 1:
            return non_none[0]
    return annotation


def coerce_value(annotation: Any, text: str, *, key: str) -> Any:
    """Turn command-line text into a value of the field's type, or raise ConfigError."""
    target = _unwrap_optional(annotation)
    origin = typing.get_origin(target)
    lowered = text.strip().lower()
    if lowered in ("null", "none", "~") and target is not annotation:
        return None
    if target is bool:
        if lowered in ("true", "yes", "on", "1"):
            return True
        if lowered in ("false", "no", "off", "0"):
            return False
        raise ConfigError(f"expected true or false, got {text!r}", key=key)
    if target is int:
        try:
            return int(text.strip().replace("_", ""))
        except ValueError:
            raise ConfigError(f"expected a whole number, got {text!r}", key=key) from None
    if target is float:
        try:
            return float(text)
        except ValueError:
            raise ConfigError(f"expected a number, got {text!r}", key=key) from None
    if origin is Literal:
        allowed = typing.get_args(target)
        if text in allowed:
            return text
        raise ConfigError(f"expected one of {', '.join(map(str, allowed))}; got {text!r}", key=key)
    if origin is list or target is list:
        parsed = parse_scalar(text)
        if isinstance(parsed, list):
            return parsed
        return [part.strip() for part in text.split(",") if part.strip()]
    if target is str:
        return text
    return parse_scalar(text)
