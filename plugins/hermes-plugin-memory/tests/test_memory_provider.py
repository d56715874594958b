"""The ``builtin`` memory provider: conformance, the snapshot, and recall from the archive."""

from __future__ import annotations

import hermes_plugin_memory
from hermes_core.testing.conformance import MemoryProviderConformance
from hermes_core.types import MemoryContext
from hermes_plugin_memory.config import BuiltinMemorySettings
from hermes_plugin_memory.operations import MemoryOperation
from hermes_plugin_memory.provider import BuiltinMemoryProvider, create_provider


class TestBuiltinConformance(MemoryProviderConformance):
    def make_provider(self, host, tmp_path):
        return create_provider({}, tmp_path / "home")

    async def remember(self, provider, ctx, fact):
        outcome = await provider.write(ctx, MemoryOperation(action="add", target="user", content=fact))
        assert outcome.ok, outcome.message


def ctx(user="local", session="s1"):
    return MemoryContext(user_id=user, session_id=session)


def provider_at(tmp_path, **settings):
    return BuiltinMemoryProvider(BuiltinMemorySettings(**settings), tmp_path)


async def add(provider, content, target="memory", user="local"):
    outcome = await provider.write(ctx(user), MemoryOperation(action="add", target=target, content=content))
    assert outcome.ok, outcome.message


async def test_registered_through_the_host(host):
    host.register(hermes_plugin_memory, name="memory")
    assert host.problems == []
    assert set(host.memory.providers) == {"builtin"}
    assert host.memory.providers["builtin"].name == "builtin"
    assert "memory.builtin" in host.config_sections()


async def test_snapshot_renders_both_files_with_usage(tmp_path):
    provider = provider_at(tmp_path)
    assert await provider.snapshot(ctx()) is None
    await add(provider, "Project uses Python 3.11.\nTests: pytest -q.")
    await add(provider, "Name: Ada; prefers short answers.", target="user")
    text = await provider.snapshot(ctx())
    assert "MEMORY.md" in text and "USER.md" in text
    assert "/2,200 chars]" in text and "/1,375 chars]" in text
    assert "Project uses Python 3.11.\nTests: pytest -q." in text and "Name: Ada" in text
    assert await provider.snapshot(ctx("someone-else")) is None


async def test_snapshot_shows_an_empty_file_as_empty(tmp_path):
    provider = provider_at(tmp_path)
    await add(provider, "Only a user fact.", target="user")
    assert "(empty)" in await provider.snapshot(ctx())


async def test_recall_finds_archived_entries_only(tmp_path):
    provider = provider_at(tmp_path)
    await add(provider, "The staging database is postgres on port 5433.")
    await add(provider, "Deploys go through the blue-green pipeline.")
    await provider.write(ctx(), MemoryOperation(action="remove", target="memory", old_text="staging database"))
    items = await provider.recall("which port does the staging database use?", ctx())
    assert len(items) == 1 and "5433" in items[0].text and "removed" in items[0].text
    assert 0 < items[0].score <= 1 and items[0].source == "builtin"
    # What is still in the files is in the prompt already: recall leaves it out.
    assert await provider.recall("blue-green pipeline deploys", ctx()) == []
    assert await provider.recall("staging database port", ctx("bob")) == []


async def test_recall_says_what_replaced_an_entry(tmp_path):
    provider = provider_at(tmp_path)
    await add(provider, "The user prefers dark mode.", target="user")
    await provider.write(ctx(), MemoryOperation(action="replace", target="user", old_text="dark",
                                                content="The user prefers light mode."))
    (item,) = await provider.recall("does the user prefer dark mode", ctx())
    assert "replaced by: The user prefers light mode." in item.text


async def test_recall_respects_limit_and_switch(tmp_path):
    provider = provider_at(tmp_path, when_full="archive_oldest", memory_char_limit=100)
    for n in range(12):
        await add(provider, f"Server alpha-{n} runs nginx release {n}.")
    assert len(await provider.recall("which release does nginx run", ctx(), limit=3)) == 3
    quiet = provider_at(tmp_path, recall_archive=False)
    assert await quiet.recall("nginx release", ctx()) == []


async def test_recall_skips_torn_archive_lines(tmp_path):
    provider = provider_at(tmp_path)
    await add(provider, "Cache lives in /var/cache/app.")
    await provider.write(ctx(), MemoryOperation(action="remove", target="memory", old_text="Cache"))
    archive = provider.store.files("local").archive
    with archive.open("a", encoding="utf-8") as handle:
        handle.write('{"text": "half a rec')
    (item,) = await provider.recall("where is the cache", ctx())
    assert "/var/cache/app" in item.text
