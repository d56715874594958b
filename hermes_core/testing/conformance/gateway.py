"""Conformance suite for gateways (chat platforms, API servers, editor connections).

Subclass :class:`GatewayConformance` and implement three methods: ``make_gateway(host,
tmp_path)``; ``deliver(gateway, text, user_id, chat_id)``, which makes the platform send
the gateway a message (through your fake of the platform's API, or a real client of a
real server); and ``sent(gateway)``, the ``(chat_id, text)`` pairs the platform received
from the gateway. The suite checks the round trip, that users stay distinct, that a
failing dispatch does not take the gateway down, long replies, and a clean stop.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from hermes_core.types import InboundMessage


class GatewayConformance:
    #: The longest message the platform accepts (longer replies must arrive split).
    max_message_chars: int | None = None
    #: Seconds to wait for a message to make the round trip.
    timeout: float = 10.0

    def make_gateway(self, host: Any, tmp_path: Path) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    async def deliver(self, gateway: Any, text: str, user_id: str, chat_id: str) -> None:  # pragma: no cover
        raise NotImplementedError

    async def sent(self, gateway: Any) -> list[tuple[str, str]]:  # pragma: no cover
        raise NotImplementedError

    # -- helpers --------------------------------------------------------------------------

    async def _started(self, host: Any, tmp_path: Path, dispatch: Any) -> Any:
        gateway = self.make_gateway(host, tmp_path)
        await asyncio.wait_for(gateway.start(dispatch), self.timeout)
        return gateway

    async def _wait_for(self, predicate: Any) -> bool:
        deadline = asyncio.get_running_loop().time() + self.timeout
        while asyncio.get_running_loop().time() < deadline:
            if await predicate():
                return True
            await asyncio.sleep(0.05)
        return False

    # -- tests ----------------------------------------------------------------------------

    async def test_round_trip(self, host: Any, tmp_path: Path) -> None:
        received: list[InboundMessage] = []

        async def dispatch(message: InboundMessage) -> str:
            received.append(message)
            return f"you said: {message.text}"

        gateway = await self._started(host, tmp_path, dispatch)
        try:
            await self.deliver(gateway, "hello there", "user-1", "chat-1")

            async def replied() -> bool:
                return ("chat-1", "you said: hello there") in await self.sent(gateway)

            assert await self._wait_for(replied), await self.sent(gateway)
            (message,) = received
            assert message.text == "hello there" and message.user_id == "user-1" and message.chat_id == "chat-1"
            assert message.platform == gateway.name
        finally:
            await gateway.stop()

    async def test_users_stay_distinct(self, host: Any, tmp_path: Path) -> None:
        seen: list[tuple[str, str]] = []

        async def dispatch(message: InboundMessage) -> str:
            seen.append((message.user_id, message.chat_id))
            return "ok"

        gateway = await self._started(host, tmp_path, dispatch)
        try:
            await self.deliver(gateway, "from alice", "alice", "chat-a")
            await self.deliver(gateway, "from bob", "bob", "chat-b")

            async def both() -> bool:
                return len(seen) == 2

            assert await self._wait_for(both)
            assert sorted(seen) == [("alice", "chat-a"), ("bob", "chat-b")]
        finally:
            await gateway.stop()

    async def test_failing_dispatch_does_not_stop_the_gateway(self, host: Any, tmp_path: Path) -> None:
        calls = 0

        async def dispatch(message: InboundMessage) -> str:
            nonlocal calls
            calls += 1
            if calls == 1:
                raise RuntimeError("the agent crashed")
            return "recovered"

        gateway = await self._started(host, tmp_path, dispatch)
        try:
            await self.deliver(gateway, "first", "u", "c")
            await asyncio.sleep(0.2)
            await self.deliver(gateway, "second", "u", "c")

            async def recovered() -> bool:
                return ("c", "recovered") in await self.sent(gateway)

            assert await self._wait_for(recovered)
        finally:
            await gateway.stop()

    async def test_long_replies_arrive_whole(self, host: Any, tmp_path: Path) -> None:
        limit = self.max_message_chars
        if limit is None:
            pytest.skip("the platform has no message length limit")
        long_text = " ".join(f"word{i}" for i in range(limit // 3))

        async def dispatch(message: InboundMessage) -> str:
            return long_text

        gateway = await self._started(host, tmp_path, dispatch)
        try:
            await self.deliver(gateway, "tell me a lot", "u", "c")

            async def arrived() -> bool:
                # Split points may fall anywhere; nothing may be lost or reordered.
                parts = [text for chat, text in await self.sent(gateway) if chat == "c"]
                return "".join("".join(parts).split()) == "".join(long_text.split())

            assert await self._wait_for(arrived)
            assert all(len(text) <= limit for _, text in await self.sent(gateway))
        finally:
            await gateway.stop()

    async def test_stop_is_clean_and_idempotent(self, host: Any, tmp_path: Path) -> None:
        async def dispatch(message: InboundMessage) -> str:
            return "ok"

        gateway = await self._started(host, tmp_path, dispatch)
        await gateway.stop()
        await gateway.stop()
