"""The gateway conformance suite, run against a small line-protocol gateway.

No gateway plugin ships yet; this proves the suite itself on a real socket: the gateway
listens on 127.0.0.1, the "platform" connects and writes JSON lines, replies go to an
outbox the way a platform API would receive them.
"""

from __future__ import annotations

import asyncio
import json

from hermes_core import InboundMessage, OutboundMessage
from hermes_core.testing.conformance import GatewayConformance


class LineGateway:
    name = "lines"
    max_chars = 200

    def __init__(self) -> None:
        self.outbox: list[tuple[str, str]] = []
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task] = set()
        self.port = 0

    async def start(self, dispatch):
        async def handle(reader, writer):
            async for line in reader:
                data = json.loads(line)
                message = InboundMessage(platform=self.name, chat_id=data["chat"], user_id=data["user"], text=data["text"])
                task = asyncio.ensure_future(self._answer(dispatch, message))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            writer.close()

        self._server = await asyncio.start_server(handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _answer(self, dispatch, message):
        try:
            reply = await dispatch(message)
        except Exception:
            return
        if reply:
            for start in range(0, len(reply), self.max_chars):
                await self.send(OutboundMessage(platform=self.name, chat_id=message.chat_id, text=reply[start:start + self.max_chars]))

    async def send(self, message):
        self.outbox.append((message.chat_id, message.text))

    async def stop(self):
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for task in list(self._tasks):
            task.cancel()


class TestLineGateway(GatewayConformance):
    max_message_chars = 200

    def make_gateway(self, host, tmp_path):
        return LineGateway()

    async def deliver(self, gateway, text, user_id, chat_id):
        reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
        writer.write((json.dumps({"chat": chat_id, "user": user_id, "text": text}) + "\n").encode())
        await writer.drain()
        writer.close()
        await writer.wait_closed()

    async def sent(self, gateway):
        return list(gateway.outbox)
