"""Conformance suite for session stores.

Subclass :class:`SessionStoreConformance` and implement ``make_store(path)``, returning a
store kept under the folder ``path``; two stores made on the same folder stand for two
processes sharing the store (the CLI and a gateway). Every store must keep messages
faithfully and in order, scope listing and search to the user, rank search results, and
lose nothing under concurrent writers, survive being closed and reopened, and keep
system prompts (repeated in every session) out of search.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from hermes_core.types import Message, SessionRecord, ToolCall, Usage


class SessionStoreConformance:
    def make_store(self, path: Path) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    @pytest.fixture
    def folder(self, tmp_path: Path) -> Path:
        folder = tmp_path / "store"
        folder.mkdir()
        return folder

    @pytest.fixture
    def store(self, folder: Path) -> Any:
        return self.make_store(folder)

    @staticmethod
    def record(session_id: str, user: str = "alice", platform: str = "cli", **fields: Any) -> SessionRecord:
        return SessionRecord(id=session_id, user_id=user, platform=platform, **fields)

    async def test_create_and_get(self, store: Any) -> None:
        await store.create_session(self.record("s1", model="openai:m", title="first"))
        got = await store.get_session("s1")
        assert got is not None and got.id == "s1" and got.user_id == "alice" and got.title == "first"
        assert await store.get_session("missing") is None
        await store.aclose()

    async def test_messages_round_trip_in_order(self, store: Any) -> None:
        await store.create_session(self.record("s1"))
        messages = [
            Message(role="system", content="system prompt"),
            Message(role="user", content="list the files ✓"),
            Message(role="assistant", content=None, tool_calls=[ToolCall(id="c1", name="terminal", arguments='{"command": "ls"}')]),
            Message(role="tool", tool_call_id="c1", name="terminal", content="a.txt\nb.txt", meta={"is_error": False}),
            Message(role="assistant", content="Two files.", meta={"skill": "files"}),
        ]
        ids = await store.append_messages("s1", messages[:2])
        ids += await store.append_messages("s1", messages[2:])
        assert len(ids) == 5 and ids == sorted(ids)
        back = await store.get_messages("s1")
        assert [m.model_dump(exclude={"created_at"}) for m in back] == [m.model_dump(exclude={"created_at"}) for m in messages]
        got = await store.get_session("s1")
        assert got.message_count == 5
        await store.aclose()

    async def test_update_session(self, store: Any) -> None:
        await store.create_session(self.record("s1"))
        ended = time.time()
        await store.update_session("s1", title="renamed", ended_at=ended, end_reason="exit",
                                   usage=Usage(prompt_tokens=10, completion_tokens=5, requests=2, cost=0.01))
        got = await store.get_session("s1")
        assert got.title == "renamed" and got.end_reason == "exit" and abs(got.ended_at - ended) < 1
        assert got.usage.prompt_tokens == 10 and got.usage.requests == 2 and got.usage.cost == pytest.approx(0.01)
        await store.aclose()

    async def test_listing_is_per_user_and_recent_first(self, store: Any) -> None:
        now = time.time()
        await store.create_session(self.record("old", started_at=now - 100))
        await store.create_session(self.record("new", started_at=now))
        await store.create_session(self.record("bobs", user="bob", started_at=now))
        await store.create_session(self.record("tg", platform="telegram", started_at=now - 50))
        assert [s.id for s in await store.list_sessions("alice")] == ["new", "tg", "old"]
        assert [s.id for s in await store.list_sessions("alice", platform="cli")] == ["new", "old"]
        assert [s.id for s in await store.list_sessions("alice", limit=1, offset=1)] == ["tg"]
        assert [s.id for s in await store.list_sessions("bob")] == ["bobs"]
        await store.aclose()

    async def test_search_ranks_and_is_scoped(self, store: Any) -> None:
        await store.create_session(self.record("s1", title="deploy"))
        await store.create_session(self.record("s2"))
        await store.create_session(self.record("b1", user="bob"))
        await store.append_messages("s1", [
            Message(role="user", content="How do I configure the nginx reverse proxy for the staging server?"),
            Message(role="assistant", content="Edit /etc/nginx/sites-enabled/staging and reload nginx."),
        ])
        await store.append_messages("s2", [Message(role="user", content="What is the weather like today?")])
        await store.append_messages("b1", [Message(role="user", content="nginx proxy secrets of bob")])
        hits = await store.search("nginx proxy", "alice")
        assert hits and all(h.session_id == "s1" for h in hits)
        assert "nginx" in hits[0].snippet.lower()
        assert not await store.search("weather nginx zebra", "carol")
        assert [h.session_id for h in await store.search("nginx", "bob")] == ["b1"]
        await store.aclose()

    async def test_search_finds_tool_names_and_arguments(self, store: Any) -> None:
        await store.create_session(self.record("s1"))
        await store.append_messages("s1", [
            Message(role="assistant", tool_calls=[ToolCall(id="c", name="terminal", arguments='{"command": "kubectl rollout restart"}')]),
        ])
        hits = await store.search("kubectl", "alice")
        assert [h.session_id for h in hits] == ["s1"]
        await store.aclose()

    async def test_search_tolerates_odd_queries(self, store: Any) -> None:
        await store.create_session(self.record("s1"))
        await store.append_messages("s1", [Message(role="user", content="quotes \" and (parens) AND OR NOT * ^")])
        for query in ['"', "(", "AND", "*", "NOT OR", "a:b", "héllo", ""]:
            assert isinstance(await store.search(query, "alice"), list)
        await store.aclose()

    async def test_delete(self, store: Any) -> None:
        await store.create_session(self.record("s1"))
        await store.append_messages("s1", [Message(role="user", content="delete me please")])
        assert await store.delete_session("s1") is True
        assert await store.get_session("s1") is None
        assert await store.search("delete", "alice") == []
        assert await store.delete_session("s1") is False
        await store.aclose()

    async def test_two_stores_on_one_folder_see_each_other(self, folder: Path) -> None:
        one, two = self.make_store(folder), self.make_store(folder)
        await one.create_session(self.record("s1"))
        await two.append_messages("s1", [Message(role="user", content="written by the second process")])
        assert (await one.get_messages("s1"))[0].content == "written by the second process"
        await one.aclose()
        await two.aclose()

    async def test_concurrent_writers_lose_nothing(self, folder: Path) -> None:
        stores = [self.make_store(folder) for _ in range(3)]
        await stores[0].create_session(self.record("busy"))

        async def writer(store: Any, n: int) -> None:
            for i in range(50):
                await store.append_messages("busy", [Message(role="user", content=f"writer {n} message {i}")])

        await asyncio.gather(*(writer(s, n) for n, s in enumerate(stores)))
        messages = await stores[0].get_messages("busy")
        assert len(messages) == 150
        for n in range(3):
            mine = [m.content for m in messages if m.content.startswith(f"writer {n} ")]
            assert mine == [f"writer {n} message {i}" for i in range(50)]
        for store in stores:
            await store.aclose()

    async def test_reopening_keeps_everything(self, folder: Path) -> None:
        store = self.make_store(folder)
        await store.create_session(self.record("s1", title="kept"))
        await store.append_messages("s1", [Message(role="user", content="remember the blue door")])
        await store.update_session("s1", ended_at=time.time(), end_reason="exit")
        await store.aclose()
        again = self.make_store(folder)
        got = await again.get_session("s1")
        assert got is not None and got.title == "kept" and got.end_reason == "exit" and got.message_count == 1
        assert [m.content for m in await again.get_messages("s1")] == ["remember the blue door"]
        assert [h.session_id for h in await again.search("blue door", "alice")] == ["s1"]
        await again.aclose()

    async def test_system_prompts_are_not_searched(self, store: Any) -> None:
        await store.create_session(self.record("s1"))
        await store.append_messages("s1", [
            Message(role="system", content="You are an agent. Codeword xylophone."),
            Message(role="user", content="hello"),
        ])
        assert await store.search("xylophone", "alice") == []
        assert [m.role for m in await store.get_messages("s1")] == ["system", "user"]
        await store.aclose()

    async def test_large_and_unusual_text_round_trips(self, store: Any) -> None:
        await store.create_session(self.record("s1", title="ünïcödé 标题 🚀"))
        big = "line of tool output 0123456789\n" * 8000
        odd = "emoji 🚀, RTL שלום, combining é, tab\tand a NUL \x00 inside"
        await store.append_messages("s1", [Message(role="tool", tool_call_id="c", name="terminal", content=big),
                                           Message(role="user", content=odd)])
        back = await store.get_messages("s1")
        assert back[0].content == big and back[1].content == odd
        assert (await store.get_session("s1")).title == "ünïcödé 标题 🚀"
        assert [h.session_id for h in await store.search("שלום", "alice")] == ["s1"]
        await store.aclose()

    async def test_a_hit_carries_its_neighbours(self, store: Any) -> None:
        await store.create_session(self.record("s1"))
        await store.append_messages("s1", [
            Message(role="user", content="which port does the gateway use?"),
            Message(role="assistant", content="The gateway listens on port 8642."),
            Message(role="user", content="thanks"),
        ])
        (hit,) = await store.search("8642", "alice")
        assert hit.role == "assistant" and hit.message_id is not None and hit.created_at is not None
        texts = [m.content for m in hit.context]
        assert "The gateway listens on port 8642." in texts and "which port does the gateway use?" in texts
        await store.aclose()

    async def test_delete_removes_the_messages(self, store: Any) -> None:
        await store.create_session(self.record("s1"))
        await store.append_messages("s1", [Message(role="user", content="to be removed")])
        assert await store.delete_session("s1") is True
        assert await store.get_messages("s1") == []
        assert await store.list_sessions("alice") == []
        await store.aclose()

    async def test_concurrent_appends_on_one_store(self, store: Any) -> None:
        await store.create_session(self.record("s1"))
        batches = await asyncio.gather(*(
            store.append_messages("s1", [Message(role="user", content=f"task {n}")]) for n in range(60)
        ))
        ids = [i for batch in batches for i in batch]
        assert len(set(ids)) == 60
        assert sorted(m.content for m in await store.get_messages("s1")) == sorted(f"task {n}" for n in range(60))
        await store.aclose()
