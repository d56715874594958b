"""The ``honcho`` memory provider: Honcho models the user from the conversation.

* after each turn, the user's and the assistant's messages go to the Honcho session that
  mirrors the hermes session (one peer per hermes user, one for hermes itself);
* at session start, the session's context (Honcho's representation of the user, the peer
  card, a summary when the session is resumed) becomes the snapshot;
* before each turn, recall asks Honcho about the user (the dialectic endpoint) or fetches
  the closest facts (the representation endpoint).

The SDK is synchronous; calls run in worker threads over one ``httpx.Client`` the provider
owns (thread-safe, closed by :meth:`HonchoMemoryProvider.aclose`).
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from hermes_core import __version__ as hermes_version
from hermes_core.errors import HermesError
from hermes_core.types import MemoryContext, MemoryItem, Message, TurnRecord

from .config import HonchoSettings
from .ids import honcho_id
from .sdk import HonchoSDK, load_sdk

T = TypeVar("T")

#: Honcho refuses dialectic queries longer than this.
MAX_QUERY_CHARS = 10_000
#: Honcho's default message size limit; longer turns are cut, with a marker.
MAX_MESSAGE_CHARS = 25_000
#: Sessions and peers remembered per provider (each saves a get-or-create call).
_CACHE_SIZE = 256


_CUT_MARK = "\n[... cut by hermes for Honcho's size limit]"


def _clip(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, marked when it had to be cut."""
    return text if len(text) <= limit else text[: limit - len(_CUT_MARK)] + _CUT_MARK


class HonchoMemoryProvider:
    """User modelling through a Honcho server."""

    name = "honcho"

    def __init__(self, settings: HonchoSettings, home: Path) -> None:
        self.settings = settings
        self.home = Path(home)
        self._sdk: HonchoSDK | None = None
        self._client: Any = None
        self._http: Any = None
        self._lock = threading.Lock()
        self._peers: OrderedDict[str, Any] = OrderedDict()
        self._sessions: OrderedDict[str, Any] = OrderedDict()

    # -- the client ----------------------------------------------------------------------

    def _honcho(self) -> tuple[HonchoSDK, Any]:
        with self._lock:
            if self._client is None:
                sdk = load_sdk()
                self._http = sdk.httpx.Client(timeout=self.settings.timeout)
                self._client = sdk.Honcho(
                    api_key=self.settings.api_key(self.home),
                    base_url=self.settings.base_url,
                    workspace_id=self.settings.workspace,
                    timeout=self.settings.timeout,
                    max_retries=self.settings.max_retries,
                    http_client=self._http,
                    default_headers={"X-Honcho-Host": f"hermes/{hermes_version}"},
                )
                self._sdk = sdk
            assert self._sdk is not None
            return self._sdk, self._client

    def _cached(self, cache: OrderedDict[str, Any], key: str, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in cache:
                cache.move_to_end(key)
                return cache[key]
        value = make()
        with self._lock:
            cache[key] = value
            while len(cache) > _CACHE_SIZE:
                cache.popitem(last=False)
        return value

    def _user_peer_id(self, ctx: MemoryContext) -> str:
        return honcho_id(ctx.user_id, reserved={self.settings.assistant_peer})

    def _peer(self, peer_id: str) -> Any:
        _, client = self._honcho()
        return self._cached(self._peers, peer_id, lambda: client.peer(peer_id))

    def _session(self, ctx: MemoryContext) -> Any:
        sdk, client = self._honcho()
        user = self._user_peer_id(ctx)
        session_id = honcho_id(ctx.session_id or f"{ctx.user_id}-default")
        peers = [
            (user, sdk.SessionPeerConfig(observe_me=True)),
            (self.settings.assistant_peer, sdk.SessionPeerConfig(observe_me=self.settings.observe_assistant)),
        ]
        return self._cached(self._sessions, session_id, lambda: client.session(session_id, peers=peers))

    async def _call(self, fn: Callable[[], T]) -> T:
        def run() -> T:
            sdk, _ = self._honcho()
            try:
                return fn()
            except sdk.HonchoError as exc:
                raise HermesError(
                    f"Honcho at {self.settings.base_url} failed: {type(exc).__name__}: {exc} "
                    "(check memory.honcho.base_url and the API key)"
                ) from exc

        return await asyncio.to_thread(run)

    # -- MemoryProvider ------------------------------------------------------------------

    async def snapshot(self, ctx: MemoryContext) -> str | None:
        if not self.settings.snapshot:
            return None
        user = self._user_peer_id(ctx)
        context = await self._call(
            lambda: self._session(ctx).context(summary=True, tokens=self.settings.context_tokens, peer_target=user)
        )
        parts = []
        if context.summary is not None and context.summary.content.strip():
            parts.append(f"Summary of this conversation so far:\n{context.summary.content.strip()}")
        if context.peer_representation and context.peer_representation.strip():
            parts.append(f"What Honcho has learnt about the user:\n{context.peer_representation.strip()}")
        if context.peer_card:
            parts.append("The user's card:\n" + "\n".join(f"- {line}" for line in context.peer_card if line.strip()))
        if not parts:
            return None
        return "# User model (Honcho)\n" + "\n\n".join(parts)

    async def recall(self, query: str, ctx: MemoryContext, *, limit: int = 5) -> list[MemoryItem]:
        query = query.strip()
        if not query or limit <= 0 or self.settings.recall == "off":
            return []
        user = self._user_peer_id(ctx)
        if self.settings.recall == "dialectic":
            question = _clip(self.settings.dialectic_prompt.replace("{message}", query), MAX_QUERY_CHARS)
            answer = await self._call(
                lambda: self._peer(user).chat(question, reasoning_level=self.settings.reasoning_level)
            )
            text = answer.strip() if isinstance(answer, str) else ""
            return [MemoryItem(text=text, source=self.name, metadata={"kind": "dialectic"})] if text else []
        found = await self._call(
            lambda: self._peer(user).context(search_query=query[:MAX_QUERY_CHARS], search_top_k=min(limit * 4, 100))
        )
        items = []
        if found.representation and found.representation.strip():
            items.append(MemoryItem(text=found.representation.strip(), source=self.name,
                                    metadata={"kind": "representation"}))
        return items[:limit]

    async def on_turn(self, turn: TurnRecord, ctx: MemoryContext) -> None:
        def add() -> None:
            sdk, _ = self._honcho()
            user = self._user_peer_id(ctx)
            metadata = {"hermes_session": ctx.session_id or turn.session_id, "platform": ctx.platform}
            messages = [
                sdk.MessageCreateParams(peer_id=peer, content=_clip(text, MAX_MESSAGE_CHARS), metadata=metadata)
                for peer, text in ((user, turn.user_message), (self.settings.assistant_peer, turn.assistant_message))
                if text and text.strip()
            ]
            if messages:
                self._session(ctx).add_messages(messages)

        await self._call(add)

    async def on_session_end(self, ctx: MemoryContext) -> None:
        # Honcho summarises and derives in the background on its own schedule.
        return None

    async def on_compress(self, summary: str, dropped: Sequence[Message], ctx: MemoryContext) -> None:
        # Every turn reached Honcho as it finished; it has the dropped messages already.
        return None

    async def aclose(self) -> None:
        with self._lock:
            http, self._http = self._http, None
            self._client = None
            self._peers.clear()
            self._sessions.clear()
        if http is not None:
            await asyncio.to_thread(http.close)


def create_provider(settings: dict[str, Any], hermes_home: Path) -> HonchoMemoryProvider:
    """The provider factory: ``settings`` is the ``memory.honcho`` section. Cheap: the SDK
    is imported on first use, in a worker thread."""
    from .sdk import honcho_installed

    if not honcho_installed():
        from hermes_core.errors import MissingDependency

        raise MissingDependency("honcho-ai", plugin="honcho", extra="hermes-plugin-honcho")
    return HonchoMemoryProvider(HonchoSettings.model_validate(settings or {}), Path(hermes_home))
