"""The hermes plugin contract: every hook a plugin can implement.

A plugin is a module or object with functions named after these hooks, marked with
``@hookimpl``::

    from hermes_core import hookimpl, ToolSpec

    @hookimpl
    def hermes_tools():
        yield ToolSpec(name="hello", description="Say hello", handler=lambda args, ctx: "hi")

Implementations may accept any subset of a hook's parameters, by name. Hooks come in two
families:

* **Registry hooks** (``hermes_providers``, ``hermes_tools``, ...) are called once per host,
  take no parameters, and return an iterable of typed records (a single record or None is
  accepted too). The kernel collects every plugin's records, stamps each with the plugin's
  name and rejects a second record with a name already taken, naming both plugins.
* **Lifecycle hooks** are called around sessions, LLM calls, tool calls, subagents,
  compression and gateway messages. Unless a hook says "first result wins", every
  implementation is called and the kernel combines the results as documented. A lifecycle
  implementation may be ``async def``; the kernel awaits it.

An exception inside any implementation is caught, recorded as a problem of that plugin
(shown by ``hermes doctor``) and treated as if the implementation returned None, so one
broken plugin never takes the host down. ``HERMES_STRICT_PLUGINS=1`` re-raises instead.

``docs/hooks.md`` is generated from this file (``python -m hermes_core.docs``) and a test
keeps the two in sync.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from .context import SessionInfo, SlashContext
    from .types import (
        CommandSpec,
        ConfigSectionSpec,
        GatewaySpec,
        InboundMessage,
        LLMRequest,
        LLMResponse,
        MemoryProviderSpec,
        Message,
        PromptSection,
        ProviderSpec,
        ScannerSpec,
        SessionStoreSpec,
        SkillDirSpec,
        SlashCommandSpec,
        TerminalBackendSpec,
        ToolCall,
        ToolDecision,
        ToolResult,
        ToolSpec,
        ToolsetSpec,
        TurnRecord,
    )

PROJECT_NAME = "hermes"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

#: Hooks whose implementations are called once per host and yield records.
REGISTRY_HOOKS = (
    "hermes_providers",
    "hermes_tools",
    "hermes_toolsets",
    "hermes_terminal_backends",
    "hermes_memory_providers",
    "hermes_gateways",
    "hermes_scanners",
    "hermes_session_stores",
    "hermes_cli_commands",
    "hermes_slash_commands",
    "hermes_skill_dirs",
    "hermes_config_sections",
)


# =======================================================================================
# Registry hooks: the six kinds of capability
# =======================================================================================


@hookspec
def hermes_providers() -> Iterable[ProviderSpec]:
    """Register LLM providers.

    **When:** once per host, the first time the kernel needs the provider registry (to
    start a conversation, for ``hermes model``, ``hermes doctor``).

    **Return:** :class:`~hermes_core.types.ProviderSpec` records. The kernel picks the one
    named by ``model.provider`` in config (or ``-m provider:model``) and calls its
    ``factory(settings)`` to get an :class:`~hermes_core.protocols.LLMProvider`. Import the
    provider's SDK inside the factory, not at module level.

    **Combination:** all implementations are called; names must be unique.
    """


@hookspec
def hermes_tools() -> Iterable[ToolSpec]:
    """Register tools the model can call.

    **When:** once per host, when the tool registry is first needed.

    **Return:** :class:`~hermes_core.types.ToolSpec` records, each with its JSON argument
    schema, handler, toolset, parallel-safety and availability check. Tool names should
    follow Hermes Agent's where one exists (``terminal``, ``read_file``, ...) so models tuned
    on them work unchanged.

    **Combination:** all implementations are called; names must be unique.
    """


@hookspec
def hermes_toolsets() -> Iterable[ToolsetSpec]:
    """Describe toolsets (named groups of tools).

    **When:** once per host, with the tool registry.

    **Return:** :class:`~hermes_core.types.ToolsetSpec` records. A toolset that tools use
    but nobody describes still exists and is enabled by default.

    **Combination:** all implementations are called; names must be unique.
    """


@hookspec
def hermes_terminal_backends() -> Iterable[TerminalBackendSpec]:
    """Register terminal backends (where shell commands run).

    **When:** once per host, when a session first needs a shell or ``hermes doctor`` runs.

    **Return:** :class:`~hermes_core.types.TerminalBackendSpec` records. The kernel uses the
    one named by ``terminal.backend`` and creates one backend object per session with
    ``factory(settings: TerminalSettings)``.

    **Combination:** all implementations are called; names must be unique.
    """


@hookspec
def hermes_memory_providers() -> Iterable[MemoryProviderSpec]:
    """Register memory providers.

    **When:** once per host, when a session starts.

    **Return:** :class:`~hermes_core.types.MemoryProviderSpec` records. Every provider named
    in ``memory.providers`` is active at once; the kernel fans recall and turn hand-off out
    to all of them.

    **Combination:** all implementations are called; names must be unique.
    """


@hookspec
def hermes_gateways() -> Iterable[GatewaySpec]:
    """Register gateways (chat platforms, API servers, editor connections).

    **When:** once per host, when ``hermes gateway`` starts or ``hermes doctor`` runs.

    **Return:** :class:`~hermes_core.types.GatewaySpec` records; ``factory(settings, host)``
    returns a :class:`~hermes_core.protocols.Gateway`.

    **Combination:** all implementations are called; names must be unique.
    """


@hookspec
def hermes_scanners() -> Iterable[ScannerSpec]:
    """Register content scanners (prompt injection, dangerous commands, secrets, ...).

    **When:** once per host, before the first scan.

    **Return:** :class:`~hermes_core.types.ScannerSpec` records, each naming the targets it
    judges (``context_file``, ``memory``, ``skill``, ``tool_result``, ``command``,
    ``outbound``). The kernel runs every scanner for a target in ``order`` and takes the
    most severe verdict; rewriting scanners (redaction) are chained.

    **Combination:** all implementations are called; names must be unique.
    """


@hookspec
def hermes_session_stores() -> Iterable[SessionStoreSpec]:
    """Register session stores (where conversations are saved).

    **When:** once per host, when a session starts or ``hermes sessions`` runs.

    **Return:** :class:`~hermes_core.types.SessionStoreSpec` records. The kernel uses the
    one named by ``sessions.store``; with none installed, sessions live in memory only.

    **Combination:** all implementations are called; names must be unique.
    """


@hookspec
def hermes_cli_commands() -> Iterable[CommandSpec]:
    """Add ``hermes`` sub-commands.

    **When:** when the CLI builds its command list (``hermes --help`` and any command).

    **Return:** :class:`~hermes_core.types.CommandSpec` records. ``description`` is shown by
    ``--help``; ``factory()`` builds the click command and is called only when the command
    runs, so heavy imports belong inside it.

    **Combination:** all implementations are called; names must be unique and may not
    shadow a kernel command.
    """


@hookspec
def hermes_slash_commands() -> Iterable[SlashCommandSpec]:
    """Add chat slash commands (``/name args``).

    **When:** once per host, when an interactive session starts.

    **Return:** :class:`~hermes_core.types.SlashCommandSpec` records.
    ``handler(ctx, args)`` may be async; it returns text to show, or None.

    **Combination:** all implementations are called; names must be unique and may not
    shadow a kernel slash command.
    """


@hookspec
def hermes_skill_dirs() -> Iterable[SkillDirSpec]:
    """Contribute folders of skills (agentskills.io format).

    **When:** once per host, when the skills index is built.

    **Return:** :class:`~hermes_core.types.SkillDirSpec` records (path, source label, and
    whether content from there is trusted).

    **Combination:** all implementations are called; every folder is used.
    """


@hookspec
def hermes_config_sections() -> Iterable[ConfigSectionSpec]:
    """Declare a plugin's own config sections.

    **When:** once per host, when config is validated (every command that reads config,
    ``hermes config``, ``hermes doctor``).

    **Return:** :class:`~hermes_core.types.ConfigSectionSpec` records. ``name`` is the key
    in ``config.yaml`` (dots for nesting, e.g. ``terminal.docker``); ``model`` is a pydantic
    model with defaults for every field. Errors name the file, the key and what is allowed.

    **Combination:** all implementations are called; section names must be unique.
    """


# =======================================================================================
# Lifecycle hooks: sessions
# =======================================================================================


@hookspec
def hermes_session_start(session: SessionInfo) -> None:
    """A session (conversation) has started.

    **When:** after the session is created and before its system prompt is built.

    **Parameters:** ``session``: the live session info (id, user, platform, model, cwd,
    per-plugin state via ``session.state(name)``).

    **Return:** nothing. **Combination:** all implementations are called.
    """


@hookspec
def hermes_session_end(session: SessionInfo, reason: str) -> None:
    """A session has ended.

    **When:** when the user leaves (``/exit``, end of ``-q``), starts a new session
    (``/new``), or the gateway expires the session; before backends and providers close.

    **Parameters:** ``session``: the session; ``reason``: ``exit``, ``new``, ``error``,
    ``expired`` or ``interrupted``.

    **Return:** nothing. **Combination:** all implementations are called.
    """


@hookspec
def hermes_system_prompt(session: SessionInfo) -> Iterable[PromptSection] | PromptSection | None:
    """Contribute blocks to the stable system prompt.

    **When:** once per session, when the system prompt is built (it is then frozen so
    provider prefix caches stay warm).

    **Parameters:** ``session``: the session being started.

    **Return:** :class:`~hermes_core.types.PromptSection` records (or one, or None). The
    kernel places them by ``order`` among its own tiers (identity 10, tool guidance 20,
    skills 30, context files 40, memory 50, date and model 90).

    **Combination:** all implementations are called; all sections are used.
    """


@hookspec
def hermes_turn_end(session: SessionInfo, turn: TurnRecord, iterations: int) -> None:
    """A user turn finished with a final answer.

    **When:** after the final answer of each turn (not after an interrupted turn), after
    the turn was saved and handed to the memory providers.

    **Parameters:** ``session``; ``turn``: the user's text, the final answer, every tool
    call made during the turn and the turn's messages; ``iterations``: how many LLM
    requests the turn took.

    **Return:** nothing. **Combination:** all implementations are called. Long work (a
    background review, say) should be started as a task, not awaited.
    """


# =======================================================================================
# Lifecycle hooks: LLM calls
# =======================================================================================


@hookspec
def hermes_before_llm_call(session: SessionInfo, request: LLMRequest, user_message: str) -> str | None:
    """About to send a turn's first request to the model: add context to the turn.

    **When:** once per user turn, before the first LLM request of the turn.

    **Parameters:** ``session``: the session; ``request``: the request about to be sent
    (read-only); ``user_message``: the user's text for this turn.

    **Return:** text to add to this turn's user message (it goes into the user turn, not
    the system prompt, so the prompt cache stays warm), or None.

    **Combination:** all implementations are called; every non-empty text is added, in
    plugin order.
    """


@hookspec
def hermes_after_llm_call(session: SessionInfo, request: LLMRequest, response: LLMResponse) -> None:
    """A model response has arrived.

    **When:** after every LLM request of the conversation loop (including the final answer
    made without tools), before tool calls run.

    **Parameters:** ``session``; ``request``: what was sent; ``response``: the answer with
    its usage.

    **Return:** nothing. **Combination:** all implementations are called.
    """


# =======================================================================================
# Lifecycle hooks: tool calls
# =======================================================================================


@hookspec
def hermes_before_tool_call(
    session: SessionInfo, call: ToolCall, tool: ToolSpec, arguments: dict[str, Any]
) -> ToolDecision | None:
    """A tool call is about to run: allow it, block it, or require the user's approval.

    **When:** for every tool call whose arguments parsed and validated, after the command
    scanners ran (for tools with a ``command_arg``), before the handler runs.

    **Parameters:** ``session``; ``call``: the call as the model made it; ``tool``: the
    tool's spec; ``arguments``: the parsed arguments (read-only).

    **Return:** a :class:`~hermes_core.types.ToolDecision` (``allow``, ``ask`` with a
    reason, or ``deny`` with a reason), or None for no opinion.

    **Combination:** all implementations are called; the strictest decision wins
    (``deny`` over ``ask`` over ``allow``). ``ask`` goes to the approval gate: the user is
    asked (once / this session / always / deny); non-interactive runs deny unless
    ``approvals.non_interactive`` is ``allow``.
    """


@hookspec
def hermes_after_tool_call(
    session: SessionInfo, call: ToolCall, tool: ToolSpec | None, result: ToolResult, duration: float
) -> None:
    """A tool call has finished (or failed, or was refused).

    **When:** after every tool call, after ``hermes_transform_tool_result``.

    **Parameters:** ``session``; ``call``; ``tool``: the spec, or None for an unknown tool;
    ``result``: what the model will see (``is_error`` set on failure); ``duration``: wall
    seconds spent in the handler.

    **Return:** nothing. **Combination:** all implementations are called.
    """


@hookspec
def hermes_transform_tool_result(
    session: SessionInfo, call: ToolCall, tool: ToolSpec, result: ToolResult
) -> ToolResult | str | None:
    """Rewrite a tool's result before the model sees it.

    **When:** after every successful or failed tool call, before the result enters the
    conversation.

    **Parameters:** ``session``; ``call``; ``tool``; ``result``: the result so far.

    **Return:** a replacement :class:`~hermes_core.types.ToolResult` (or its text), or None
    to leave it unchanged.

    **Combination:** chained: implementations run in plugin order, each receiving the
    result as rewritten by the previous one.
    """


# =======================================================================================
# Lifecycle hooks: subagents and compression
# =======================================================================================


@hookspec
def hermes_subagent_start(session: SessionInfo, parent: SessionInfo, task: str) -> None:
    """A subagent (child session) was started to work on a delegated task.

    **Parameters:** ``session``: the child session; ``parent``: the delegating session;
    ``task``: the task text.

    **Return:** nothing. **Combination:** all implementations are called.
    """


@hookspec
def hermes_subagent_stop(session: SessionInfo, parent: SessionInfo, result: str, ok: bool) -> None:
    """A subagent finished.

    **Parameters:** ``session``: the child session; ``parent``: the delegating session;
    ``result``: the child's final answer (or error text); ``ok``: whether it succeeded.

    **Return:** nothing. **Combination:** all implementations are called.
    """


@hookspec
def hermes_before_compress(session: SessionInfo, messages: list[Message]) -> None:
    """The conversation is about to be compressed (it approaches the context window).

    **Parameters:** ``session``; ``messages``: the full conversation (read-only).

    **Return:** nothing. **Combination:** all implementations are called.
    """


@hookspec
def hermes_after_compress(session: SessionInfo, summary: str, dropped: list[Message]) -> None:
    """The middle of the conversation was replaced by a summary.

    **Parameters:** ``session``; ``summary``: the summary text now in the conversation;
    ``dropped``: the messages it replaced.

    **Return:** nothing. **Combination:** all implementations are called.
    """


# =======================================================================================
# Lifecycle hooks: gateways and chat
# =======================================================================================


@hookspec
def hermes_gateway_message(message: InboundMessage) -> InboundMessage | bool | None:
    """An inbound gateway message, before it is dispatched to a session.

    **When:** for every message a gateway receives, before authorisation and dispatch.

    **Parameters:** ``message``: the message as received.

    **Return:** a replacement message (to rewrite it), ``False`` to drop it, or None to
    leave it unchanged.

    **Combination:** chained in plugin order; the first ``False`` drops the message and
    stops the chain.
    """


@hookspec(firstresult=True)
def hermes_slash_command(session: SessionInfo, name: str, args: str, ctx: SlashContext) -> str | bool | None:
    """A slash command that no registered :class:`SlashCommandSpec` handles.

    **When:** in an interactive session, when the user types ``/name args`` and ``name`` is
    not a kernel or registered command (for example ``/<skill-name>``).

    **Parameters:** ``session``; ``name``: the command without the slash; ``args``: the
    rest of the line; ``ctx``: a :class:`~hermes_core.context.SlashContext` to print with
    or to ``submit`` a message to the model after the command.

    **Return:** text to show (or ``True`` if handled silently), or None if not yours.

    **Combination:** first result wins.
    """
