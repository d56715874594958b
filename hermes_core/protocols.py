"""The interfaces of the live objects that capability factories return.

These are :class:`typing.Protocol` classes: a plugin's object needs the methods, not a base
class. Network-bound objects (providers, gateways, memory providers, session stores) are
async; terminal backends and scanners are sync (the kernel runs them in worker threads).
Each kind has a conformance suite in :mod:`hermes_core.testing` that checks the contract.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from .types import (
        CommandResult,
        InboundMessage,
        LLMRequest,
        LLMResponse,
        MemoryContext,
        MemoryItem,
        Message,
        ModelInfo,
        OutboundMessage,
        ScanContext,
        ScanResult,
        SearchHit,
        SessionRecord,
        StreamEvent,
        TurnRecord,
    )


@runtime_checkable
class LLMProvider(Protocol):
    """A chat model endpoint.

    ``complete`` sends one request. When ``request.stream`` is true it streams, calling
    ``on_event`` for each :class:`~hermes_core.types.StreamEvent`, and still returns the
    assembled :class:`~hermes_core.types.LLMResponse`. It retries what is worth retrying
    (429, 5xx, dropped connections) and raises :class:`~hermes_core.errors.ProviderError`
    with an actionable message otherwise. Cancelling the awaiting task aborts the request.
    """

    async def complete(
        self,
        request: LLMRequest,
        on_event: Callable[[StreamEvent], None] | None = None,
    ) -> LLMResponse: ...

    async def list_models(self) -> list[ModelInfo]: ...

    def context_window(self, model: str) -> int | None: ...

    async def aclose(self) -> None: ...


@runtime_checkable
class TerminalBackend(Protocol):
    """A persistent shell for one session.

    State (working directory, exported variables, aliases) persists between ``run`` calls.
    Output is bounded; a timeout kills everything the command started; ``interrupt()`` may
    be called from another thread to stop the running command. ``close()`` leaves nothing
    running.
    """

    name: str

    def run(self, command: str, *, timeout: float | None = None, workdir: str | None = None) -> CommandResult: ...

    def start_background(self, command: str, *, workdir: str | None = None) -> str:
        """Start a background process and return its id (see ``poll``/``read_log``/``kill``)."""
        ...

    def poll(self, process_id: str) -> dict[str, Any]: ...

    def read_log(self, process_id: str, *, offset: int = 0, limit: int | None = None) -> str: ...

    def write_stdin(self, process_id: str, data: str) -> None: ...

    def kill(self, process_id: str) -> None: ...

    def list_processes(self) -> list[dict[str, Any]]: ...

    def interrupt(self) -> None: ...

    def close(self) -> None: ...


@runtime_checkable
class MemoryProvider(Protocol):
    """A memory backend. Several may be active at once; the kernel fans out to all.

    Every method receives a :class:`~hermes_core.types.MemoryContext` naming the user, and
    must only ever see or change that user's memories.
    """

    name: str

    async def snapshot(self, ctx: MemoryContext) -> str | None:
        """Text for the frozen system-prompt snapshot at session start (or None)."""
        ...

    async def recall(self, query: str, ctx: MemoryContext, *, limit: int = 5) -> list[MemoryItem]: ...

    async def on_turn(self, turn: TurnRecord, ctx: MemoryContext) -> None: ...

    async def on_session_end(self, ctx: MemoryContext) -> None: ...

    async def on_compress(self, summary: str, dropped: Sequence[Message], ctx: MemoryContext) -> None: ...

    async def aclose(self) -> None: ...


@runtime_checkable
class Gateway(Protocol):
    """A chat platform, API server or editor connection.

    ``start(dispatch)`` begins receiving; for each inbound message it awaits
    ``dispatch(message)``, which returns the reply text (or None). ``send`` pushes a message
    out. ``stop`` disconnects.
    """

    name: str

    async def start(self, dispatch: Callable[[InboundMessage], Awaitable[str | None]]) -> None: ...

    async def send(self, message: OutboundMessage) -> None: ...

    async def stop(self) -> None: ...


@runtime_checkable
class Scanner(Protocol):
    """Judges text before it enters the prompt, memory, a shell, or leaves hermes.

    ``scan`` is sync and must be fast (it runs on every context file and command); return a
    :class:`~hermes_core.types.ScanResult` with ``text`` set only when it rewrites the text.
    """

    def scan(self, text: str, ctx: ScanContext) -> ScanResult: ...


@runtime_checkable
class SessionStore(Protocol):
    """Keeps sessions and their messages. Must be safe with several processes at once.

    Implementations must not block the event loop (run database work in a thread).
    Every query that lists or searches is scoped to ``user_id``.
    """

    async def create_session(self, record: SessionRecord) -> None: ...

    async def update_session(self, session_id: str, **fields: Any) -> None: ...

    async def get_session(self, session_id: str) -> SessionRecord | None: ...

    async def append_messages(self, session_id: str, messages: Sequence[Message]) -> list[int]: ...

    async def get_messages(self, session_id: str) -> list[Message]: ...

    async def list_sessions(
        self, user_id: str, *, limit: int = 20, offset: int = 0, platform: str | None = None
    ) -> list[SessionRecord]: ...

    async def search(self, query: str, user_id: str, *, limit: int = 10) -> list[SearchHit]: ...

    async def delete_session(self, session_id: str) -> bool: ...

    async def aclose(self) -> None: ...
