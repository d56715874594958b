"""Typed records shared between the kernel and plugins.

Everything a plugin hands the kernel (a tool, a provider, a backend, ...) or receives from
it (a message, a tool call, a scan context, ...) is one of these pydantic models. Records
are data; the live objects they create (a provider client, a shell, ...) follow the
protocols in :mod:`hermes_core.protocols`.

Records only ever gain optional fields, so plugins written against an older kernel keep
working.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_TOOL_NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class _Record(BaseModel):
    """Base for plain data records: strict about unknown fields, so typos surface."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


class _Spec(BaseModel):
    """Base for capability records: they carry callables (factories, handlers)."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True, defer_build=True)

    name: str
    description: str = ""
    #: Set by the kernel when the record is collected: the plugin that provided it.
    plugin: str | None = None

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        if not _NAME_RE.match(value):
            raise ValueError(
                f"invalid name {value!r}: use letters, digits, '_', '-' or '.', at most 64 characters"
            )
        return value


# ---------------------------------------------------------------------------------------
# Messages, tool calls, LLM requests
# ---------------------------------------------------------------------------------------


class ToolCall(_Record):
    """A call the model asked for. ``arguments`` is the raw JSON text the model produced."""

    id: str
    name: str
    arguments: str = "{}"

    def parsed_arguments(self) -> dict[str, Any]:
        """The arguments as a dict; raises ``ValueError`` with a readable reason otherwise."""
        text = self.arguments.strip() or "{}"
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"arguments are not valid JSON ({exc.msg} at position {exc.pos})") from None
        if not isinstance(value, dict):
            raise ValueError(f"arguments must be a JSON object, got {type(value).__name__}")
        return value


class Message(_Record):
    """One message of a conversation, in the OpenAI chat shape.

    ``meta`` is kernel bookkeeping (for example ``{"skill": "git-workflow"}`` on a message
    that carries a loaded skill, or ``{"summary": True}`` on a compression summary). It is
    stored with the session but never sent to the model.
    """

    role: Literal["system", "user", "assistant", "tool"]
    content: str | None = None
    tool_calls: list[ToolCall] = Field(default_factory=list)
    tool_call_id: str | None = None
    name: str | None = None
    reasoning: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict)
    created_at: float = Field(default_factory=time.time)

    def to_openai(self) -> dict[str, Any]:
        """This message as an OpenAI Chat Completions message dict."""
        out: dict[str, Any] = {"role": self.role}
        if self.role == "assistant" and self.tool_calls:
            out["content"] = self.content or None
            out["tool_calls"] = [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": call.arguments},
                }
                for call in self.tool_calls
            ]
        else:
            out["content"] = self.content or ""
        if self.role == "tool":
            out["tool_call_id"] = self.tool_call_id
            if self.name:
                out["name"] = self.name
        return out


class Usage(_Record):
    """Token usage (and cost in USD where the provider reports it)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    cost: float | None = None
    requests: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        cost = None
        if self.cost is not None or other.cost is not None:
            cost = (self.cost or 0.0) + (other.cost or 0.0)
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cached_tokens=self.cached_tokens + other.cached_tokens,
            cost=cost,
            requests=self.requests + other.requests,
        )


class LLMRequest(_Record):
    """What the kernel asks a provider for. ``tools`` are OpenAI function schemas."""

    model: str
    messages: list[Message]
    tools: list[dict[str, Any]] = Field(default_factory=list)
    tool_choice: str | None = None
    stream: bool = False
    temperature: float | None = None
    max_tokens: int | None = None
    #: Provider-specific options passed through untouched (``reasoning_effort``, ...).
    extra: dict[str, Any] = Field(default_factory=dict)
    #: Who is asking (session id, purpose such as "turn", "compression", "review").
    metadata: dict[str, Any] = Field(default_factory=dict)


class LLMResponse(_Record):
    """A provider's complete answer: one assistant message, usage and why it stopped."""

    message: Message
    usage: Usage = Field(default_factory=Usage)
    finish_reason: str | None = None
    model: str | None = None


class StreamEvent(_Record):
    """A piece of a streamed answer, handed to the ``on_event`` callback of a provider.

    ``kind`` is ``text`` (a chunk of the answer), ``reasoning`` (a chunk of visible
    reasoning), ``tool_call`` (the model started a tool call: ``tool_name`` is set) or
    ``usage``.
    """

    kind: Literal["text", "reasoning", "tool_call", "usage"]
    text: str = ""
    tool_name: str | None = None
    index: int = 0
    usage: Usage | None = None


class ModelInfo(_Record):
    """What a provider knows about one model."""

    name: str
    provider: str
    context_window: int | None = None
    description: str = ""


# ---------------------------------------------------------------------------------------
# Capability records (what the registry hooks yield)
# ---------------------------------------------------------------------------------------


class Availability(_Record):
    """Whether a capability can be used right now, and if not, why and what to do."""

    available: bool = True
    reason: str = ""

    @classmethod
    def coerce(cls, value: object) -> Availability:
        """Accept what availability checks may return: a bool, a reason string, or this."""
        if isinstance(value, Availability):
            return value
        if value is None or value is True:
            return cls(available=True)
        if value is False:
            return cls(available=False, reason="not available")
        if isinstance(value, str):
            return cls(available=False, reason=value)
        raise TypeError(f"an availability check returned {type(value).__name__}")


class ProviderSettings(_Record):
    """The resolved model settings a provider factory receives."""

    provider: str
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = Field(default=None, repr=False)
    timeout: float = 600.0
    max_retries: int = 3
    extra: dict[str, Any] = Field(default_factory=dict)


class ProviderSpec(_Spec):
    """An LLM provider. ``factory(settings: ProviderSettings) -> LLMProvider``.

    ``env`` lists the environment variables that may hold its API key, in order (checked by
    ``hermes doctor``); ``base_url_env`` names one that may hold the endpoint URL;
    ``default_model`` is used when the config names none.
    """

    factory: Callable[..., Any]
    env: list[str] = Field(default_factory=list)
    base_url_env: str | None = None
    default_model: str | None = None
    default_base_url: str | None = None
    models: list[str] = Field(default_factory=list)


class ToolsetSpec(_Spec):
    """A named group of tools that is enabled or disabled together."""

    default_enabled: bool = True


class ToolSpec(_Spec):
    """A tool the model can call.

    ``handler(args: dict, ctx: ToolContext)`` may be sync (run in a worker thread) or async.
    It returns a string, a JSON-serialisable value, or a :class:`ToolResult`; raising
    :class:`~hermes_core.errors.ToolError` reports a failure to the model.

    ``parameters`` is the JSON schema of the arguments. ``parallel_safe`` says calls may
    run concurrently with other parallel-safe calls. ``check_available()``, or
    ``check_available(host)`` to consult config, returns a bool, a reason string (meaning
    unavailable) or an :class:`Availability`. ``command_arg``
    names an argument holding a shell command, which the kernel passes to the command
    scanners before the call. ``progress_arg`` names the argument shown in progress lines.
    """

    handler: Callable[..., Any]
    parameters: dict[str, Any] = Field(
        default_factory=lambda: {"type": "object", "properties": {}}
    )
    toolset: str = "core"
    parallel_safe: bool = False
    check_available: Callable[..., Any] | None = None
    requires_env: list[str] = Field(default_factory=list)
    command_arg: str | None = None
    progress_arg: str | None = None
    max_result_chars: int | None = None

    @field_validator("name")
    @classmethod
    def _check_tool_name(cls, value: str) -> str:
        if not _TOOL_NAME_RE.match(value):
            raise ValueError(f"invalid tool name {value!r}: use letters, digits, '_' or '-'")
        return value

    def schema_for_model(self) -> dict[str, Any]:
        """The OpenAI function schema for this tool."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }


class TerminalSettings(_Record):
    """What a terminal backend factory receives."""

    session_id: str
    user_id: str = "local"
    cwd: Path | None = None
    hermes_home: Path
    timeout: float = 180.0
    max_output_chars: int = 50_000
    #: The backend's own config section (for example ``terminal.docker``), as a dict.
    options: dict[str, Any] = Field(default_factory=dict)
    env: dict[str, str] = Field(default_factory=dict)


class TerminalBackendSpec(_Spec):
    """A place commands run. ``factory(settings: TerminalSettings) -> TerminalBackend``."""

    factory: Callable[..., Any]
    check_available: Callable[..., Any] | None = None


class MemoryProviderSpec(_Spec):
    """A memory backend. ``factory(settings: dict, hermes_home: Path) -> MemoryProvider``."""

    factory: Callable[..., Any]
    check_available: Callable[..., Any] | None = None
    requires_env: list[str] = Field(default_factory=list)


class GatewaySpec(_Spec):
    """A way to reach hermes (chat platform, API server, editor).

    ``factory(settings: dict, host: Host) -> Gateway``.
    """

    factory: Callable[..., Any]
    requires_env: list[str] = Field(default_factory=list)
    check_available: Callable[..., Any] | None = None


ScanTarget = Literal[
    "context_file",  # AGENTS.md, .hermes.md, HERMES.md, SOUL.md going into the system prompt
    "memory",  # memory writes and snapshots
    "skill",  # skill content on create, install and load
    "tool_result",  # tool output (when configured)
    "command",  # a shell command about to run (approval)
    "outbound",  # text leaving hermes: gateway replies, trajectories, logs
]


class ScannerSpec(_Spec):
    """A content scanner. ``factory() -> Scanner`` (or ``factory(host)``, to read config);
    it is asked only for its ``targets``.

    Scanners run in ``order`` (lower first); a rewriting scanner (redaction) sees the text
    as rewritten by the scanners before it.
    """

    factory: Callable[..., Any]
    targets: frozenset[str]
    order: int = 100


class SessionStoreSpec(_Spec):
    """Where sessions and messages are kept. ``factory(hermes_home, settings) -> SessionStore``."""

    factory: Callable[..., Any]


class CommandSpec(_Spec):
    """A ``hermes`` sub-command. ``factory() -> click.Command``, called only when it runs.

    ``description`` is the one-line help shown by ``hermes --help`` without calling the
    factory, so a command's heavy imports wait until it is used.
    """

    factory: Callable[[], Any]


class SlashCommandSpec(_Spec):
    """A chat slash command (``/name args``). ``handler(ctx: SlashContext, args: str)``."""

    handler: Callable[..., Any]
    aliases: list[str] = Field(default_factory=list)


class SkillDirSpec(_Record):
    """A folder of skills a plugin contributes."""

    path: Path
    source: str = "plugin"
    trusted: bool = True
    plugin: str | None = None


class ConfigSectionSpec(_Spec):
    """A plugin's own config section: ``name`` is its key (dots for nesting, such as
    ``terminal.docker``) and ``model`` the pydantic model that validates it."""

    model: type[BaseModel]

    @field_validator("name")
    @classmethod
    def _check_section(cls, value: str) -> str:
        for part in value.split("."):
            if not re.match(r"^[a-z][a-z0-9_]*$", part):
                raise ValueError(f"invalid config section {value!r}: use lower-case words and dots")
        return value


class PromptSection(_Record):
    """A block of the stable system prompt. Lower ``order`` comes first.

    The kernel's own tiers: 10 identity (SOUL.md), 20 tool guidance, 30 skills index,
    40 context files, 50 memory snapshot, 90 date and model.
    """

    name: str
    text: str
    order: int = 35
    source: str | None = None


# ---------------------------------------------------------------------------------------
# Decisions, scans, results
# ---------------------------------------------------------------------------------------


class ToolDecision(_Record):
    """What a ``hermes_before_tool_call`` hook decides about a call."""

    action: Literal["allow", "ask", "deny"]
    reason: str = ""
    #: Approval key for "this session" / "always" answers (defaults to the tool name).
    key: str | None = None


class ToolResult(_Record):
    """The outcome of a tool call, as the model will see it (``content``)."""

    content: str
    is_error: bool = False
    metadata: dict[str, Any] = Field(default_factory=dict)


class Verdict(str, Enum):
    """A scanner's judgement, from least to most severe."""

    ALLOW = "allow"
    WARN = "warn"
    ASK = "ask"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return ["allow", "warn", "ask", "block"].index(self.value)


class Finding(_Record):
    """One thing a scanner found."""

    rule: str
    message: str
    severity: Literal["low", "medium", "high", "critical"] = "medium"
    excerpt: str = ""
    verdict: Verdict = Verdict.WARN


class ScanContext(_Record):
    """Where the scanned text comes from."""

    target: str
    source: str | None = None
    session_id: str | None = None
    user_id: str | None = None


class ScanResult(_Record):
    """A scan's outcome. ``text`` is set when the scanner rewrote the text (redaction)."""

    verdict: Verdict = Verdict.ALLOW
    findings: list[Finding] = Field(default_factory=list)
    text: str | None = None
    scanner: str | None = None


class CommandResult(_Record):
    """The outcome of one command on a terminal backend."""

    output: str
    exit_code: int | None
    timed_out: bool = False
    truncated: bool = False
    interrupted: bool = False
    duration: float = 0.0
    cwd: str | None = None


class MemoryContext(_Record):
    """Who a memory operation is for. ``origin`` gates writes by policy."""

    user_id: str
    session_id: str | None = None
    platform: str = "cli"
    origin: Literal["agent", "subagent", "cron", "gateway", "review"] = "agent"


class MemoryItem(_Record):
    """One recalled memory."""

    text: str
    source: str = ""
    score: float | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)


class TurnRecord(_Record):
    """A finished turn, handed to memory providers after it ends."""

    session_id: str
    user_id: str
    user_message: str
    assistant_message: str
    tool_calls: list[ToolCall] = Field(default_factory=list)
    messages: list[Message] = Field(default_factory=list)


class InboundMessage(_Record):
    """A message arriving from a gateway, before dispatch."""

    platform: str
    chat_id: str
    user_id: str
    text: str
    message_id: str | None = None
    thread_id: str | None = None
    user_name: str | None = None
    attachments: list[dict[str, Any]] = Field(default_factory=list)
    raw: dict[str, Any] = Field(default_factory=dict, repr=False)


class OutboundMessage(_Record):
    """A message a gateway sends out."""

    platform: str
    chat_id: str
    text: str
    reply_to: str | None = None
    thread_id: str | None = None


class SessionRecord(_Record):
    """A saved session (conversation)."""

    id: str
    user_id: str = "local"
    platform: str = "cli"
    chat_id: str | None = None
    parent_id: str | None = None
    model: str | None = None
    title: str | None = None
    started_at: float = Field(default_factory=time.time)
    ended_at: float | None = None
    end_reason: str | None = None
    usage: Usage = Field(default_factory=Usage)
    message_count: int = 0


class StoredMessage(_Record):
    """A message as kept by a session store."""

    id: int | None = None
    session_id: str
    message: Message


class SearchHit(_Record):
    """A session search result: a ranked message with a snippet and its neighbours."""

    session_id: str
    message_id: int | None = None
    role: str
    snippet: str
    score: float = 0.0
    created_at: float | None = None
    session_title: str | None = None
    context: list[Message] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------
# Plugins
# ---------------------------------------------------------------------------------------


class PluginProblem(_Record):
    """Something wrong with a plugin, recorded instead of crashing the host."""

    plugin: str
    source: str
    kind: Literal[
        "import", "register", "unknown-hook", "hook-error", "bad-result", "duplicate", "config"
    ]
    message: str
    hook: str | None = None
    detail: str = ""

    def __str__(self) -> str:
        hook = f" in {self.hook}" if self.hook else ""
        return f"{self.plugin} ({self.source}){hook}: {self.message}"


class PluginInfo(_Record):
    """A discovered plugin: where it comes from and what happened when it was loaded."""

    name: str
    source: Literal["builtin", "entrypoint", "dropin", "project", "explicit"]
    location: str = ""
    distribution: str | None = None
    version: str | None = None
    enabled: bool = True
    loaded: bool = False
    hooks: list[str] = Field(default_factory=list)
