"""Live objects the kernel hands to plugins: the session, a tool call's context, the UI.

Unlike the records in :mod:`hermes_core.types` these carry references to running things
(the host, the session's shell, the user's terminal), so they are plain classes.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from .config import HermesConfig
    from .host import Host
    from .protocols import TerminalBackend
    from .types import Message, ScanResult, ToolCall, ToolSpec

ApprovalAnswer = Literal["once", "session", "always", "deny"]


@dataclass(frozen=True)
class ApprovalRequest:
    """A tool call that needs the user's yes or no."""

    tool: str
    summary: str
    reason: str
    key: str


class Interaction(Protocol):
    """How the kernel reaches the human: the CLI, a gateway chat, or nobody.

    Methods are sync and may be called from worker threads (tools run there).
    """

    interactive: bool

    def ask(self, question: str, choices: list[str] | None = None) -> str | None:
        """Ask the user a question; None when nobody can answer now."""
        ...

    def approve(self, request: ApprovalRequest) -> ApprovalAnswer: ...

    def notify(self, text: str) -> None: ...


class NonInteractive:
    """The interaction for runs nobody watches: no answers, approvals denied."""

    interactive = False

    def ask(self, question: str, choices: list[str] | None = None) -> str | None:
        return None

    def approve(self, request: ApprovalRequest) -> ApprovalAnswer:
        return "deny"

    def notify(self, text: str) -> None:
        return None


def new_session_id() -> str:
    """A sortable, unique session id: ``YYYYMMDD_HHMMSS_<8 hex>``."""
    return time.strftime("%Y%m%d_%H%M%S") + "_" + uuid.uuid4().hex[:8]


@dataclass
class SessionInfo:
    """One conversation, as plugins see it.

    ``state(name)`` gives each plugin a private dict that lives as long as the session
    (the ``todo`` tool keeps its list there). ``add_message`` puts a message into the
    conversation (a slash command loading a skill uses it).
    """

    id: str
    host: Host
    user_id: str = "local"
    platform: str = "cli"
    chat_id: str | None = None
    parent_id: str | None = None
    origin: Literal["agent", "subagent", "cron", "gateway", "review"] = "agent"
    provider: str | None = None
    model: str | None = None
    cwd: Path = field(default_factory=Path.cwd)
    interaction: Interaction = field(default_factory=NonInteractive)
    started_at: float = field(default_factory=time.time)
    title: str | None = None
    #: The user's first message, set before the system prompt is built (at the first
    #: turn), so prompt sections can be chosen for what the user asked.
    first_message: str | None = None
    _state: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    _add_message: Callable[[Message], None] | None = field(default=None, repr=False)
    _terminal: TerminalBackend | None = field(default=None, repr=False)
    _terminal_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _agent: Any = field(default=None, repr=False)

    @property
    def agent(self) -> Any:
        """The running :class:`~hermes_core.agent.loop.Agent` (None outside a conversation)."""
        return self._agent

    @property
    def hermes_home(self) -> Path:
        return self.host.home

    @property
    def config(self) -> HermesConfig:
        return self.host.config

    @property
    def interactive(self) -> bool:
        return self.interaction.interactive

    def state(self, name: str) -> dict[str, Any]:
        """A plugin's private per-session dict (created empty on first use)."""
        return self._state.setdefault(name, {})

    def add_message(self, message: Message) -> None:
        """Append a message to the conversation (only while the session is running)."""
        if self._add_message is None:
            raise RuntimeError("this session is not attached to a running conversation")
        self._add_message(message)

    def terminal(self) -> TerminalBackend:
        """The session's shell on the configured backend, created on first use."""
        with self._terminal_lock:
            if self._terminal is None:
                self._terminal = self.host.open_terminal(self)
            return self._terminal

    def close_terminal(self) -> None:
        """Close the session's shell if one was opened. Safe to call twice."""
        with self._terminal_lock:
            backend, self._terminal = self._terminal, None
        if backend is not None:
            backend.close()

    def interrupt_terminal(self) -> None:
        """Stop the command running in the session's shell, if any (from any thread)."""
        backend = self._terminal
        if backend is not None:
            backend.interrupt()


@dataclass
class ToolContext:
    """What a tool handler gets besides its arguments."""

    session: SessionInfo
    call: ToolCall
    tool: ToolSpec
    cancelled: threading.Event = field(default_factory=threading.Event)

    @property
    def host(self) -> Host:
        return self.session.host

    @property
    def hermes_home(self) -> Path:
        return self.session.host.home

    @property
    def cwd(self) -> Path:
        return self.session.cwd

    @property
    def config(self) -> HermesConfig:
        return self.session.host.config

    def plugin_config(self, section: str) -> Any:
        """A plugin's validated config section (its pydantic model instance)."""
        return self.session.host.plugin_config(section)

    def state(self, name: str | None = None) -> dict[str, Any]:
        """Per-session state for this tool's plugin (or for ``name``)."""
        return self.session.state(name or self.tool.plugin or self.tool.name)

    def terminal(self) -> TerminalBackend:
        return self.session.terminal()

    def ask_user(self, question: str, choices: list[str] | None = None) -> str | None:
        """Ask the user; None when the session has nobody to answer."""
        return self.session.interaction.ask(question, choices)

    def scan(self, text: str, target: str, source: str | None = None) -> ScanResult:
        """Run the scanners registered for ``target`` over ``text``."""
        return self.session.host.scan(text, target, source=source, session=self.session)

    def spill(self, text: str, *, preview_chars: int = 2000, label: str | None = None) -> str:
        """Save a large result under ``$HERMES_HOME/tool-results`` and return a preview
        with the file's path, so one call cannot flood the context."""
        from .agent.spill import spill_text

        return spill_text(
            self.session.host.home, self.session.id, label or self.call.id, text, preview_chars=preview_chars
        )


@dataclass
class SlashContext:
    """What a chat slash command gets: the session, the running agent, and a way to print
    or to queue a message to send to the model after the command."""

    session: SessionInfo
    agent: Any
    output: Callable[[str], None] = print
    submitted: list[str] = field(default_factory=list)

    @property
    def host(self) -> Host:
        return self.session.host

    def print(self, text: str) -> None:
        self.output(text)

    def submit(self, text: str) -> None:
        """Send ``text`` to the model as the user's next message once the command is done."""
        self.submitted.append(text)
