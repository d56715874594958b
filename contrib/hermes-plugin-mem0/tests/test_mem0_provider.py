"""The mem0 provider: the real mem0 code against the test kit's scripted endpoint."""

from __future__ import annotations

import sys

import pytest

import hermes_plugin_mem0
from hermes_core.errors import ConfigError, MissingDependency
from hermes_core.testing import Reply, ScriptedLLMServer, run_agent
from hermes_core.testing.conformance import MemoryProviderConformance
from hermes_core.types import MemoryContext, TurnRecord
from hermes_plugin_mem0.provider import create_provider, mem0_user_id


class TestMem0Conformance(MemoryProviderConformance):
    @pytest.fixture(autouse=True)
    def _endpoint(self, mem0_settings):
        self.settings = mem0_settings

    def make_provider(self, host, tmp_path):
        return create_provider(self.settings, tmp_path / "home")


def turn(user, text, answer="Noted."):
    return TurnRecord(session_id="s1", user_id=user, user_message=text, assistant_message=answer)


def ctx(user="alice"):
    return MemoryContext(user_id=user, session_id="s1")


async def test_stores_and_recalls_a_fact_in_local_files(mem0_settings, tmp_path):
    home = tmp_path / "home"
    provider = create_provider(mem0_settings, home)
    await provider.on_turn(turn("alice", "Remember: my build server is called anvil."), ctx())
    items = await provider.recall("what is my build server called", ctx())
    await provider.aclose()
    assert items and "anvil" in items[0].text and items[0].source == "mem0"
    data = home / "data" / "mem0"
    assert (data / "qdrant").is_dir() and (data / "history.db").is_file()


async def test_requests_go_to_the_configured_endpoint_only(mem0_endpoint, mem0_settings, tmp_path, monkeypatch):
    # Keys for other services in the environment must not be picked up and sent.
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-should-not-be-sent")
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-or-should-not-be-sent")
    provider = create_provider(mem0_settings, tmp_path / "home")
    await provider.on_turn(turn("alice", "Remember: the VPN is wireguard."), ctx())
    await provider.recall("which VPN", ctx())
    await provider.aclose()
    paths = {r.path for r in mem0_endpoint.requests}
    assert paths == {"/v1/chat/completions", "/v1/embeddings"}
    models = {(r.json or {}).get("model") for r in mem0_endpoint.requests}
    assert models == {"test-model", "test-embedding"}
    keys = {r.headers.get("authorization") for r in mem0_endpoint.requests}
    assert keys == {"Bearer not-needed"}


async def test_api_key_comes_from_hermes_dotenv(mem0_reply, mem0_settings, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / ".env").write_text("LOCAL_LLM_KEY=sk-local\n", encoding="utf-8")
    with ScriptedLLMServer(api_key="sk-local", default=mem0_reply) as server:
        settings = {**mem0_settings, "base_url": server.base_url, "api_key_env": "LOCAL_LLM_KEY"}
        provider = create_provider(settings, home)
        await provider.on_turn(turn("alice", "Remember: backups run at 02:00."), ctx())
        items = await provider.recall("when do backups run", ctx())
        await provider.aclose()
    assert items and "02:00" in items[0].text
    assert {r.headers.get("authorization") for r in server.requests} == {"Bearer sk-local"}


async def test_whitespace_user_ids_are_kept_apart(mem0_settings, tmp_path):
    assert mem0_user_id("telegram:42") == "telegram:42"
    assert mem0_user_id("Ada Lovelace") != mem0_user_id("Ada  Lovelace")
    provider = create_provider(mem0_settings, tmp_path / "home")
    await provider.on_turn(turn("Ada Lovelace", "Remember: I write notes in Emacs org mode."), ctx("Ada Lovelace"))
    assert any("Emacs" in i.text for i in await provider.recall("which editor for notes", ctx("Ada Lovelace")))
    assert not await provider.recall("which editor for notes", ctx("Ada  Lovelace"))
    await provider.aclose()


async def test_snapshot_lists_memories_when_asked(mem0_settings, tmp_path):
    provider = create_provider({**mem0_settings, "snapshot_limit": 5}, tmp_path / "home")
    assert await provider.snapshot(ctx()) is None
    await provider.on_turn(turn("alice", "Remember: I am allergic to peanuts."), ctx())
    snapshot = await provider.snapshot(ctx())
    await provider.aclose()
    assert snapshot.startswith("# What mem0 remembers") and "peanuts" in snapshot


async def test_learns_in_one_conversation_and_recalls_in_the_next(make_host, mem0_endpoint, mem0_settings):
    host = make_host(
        plugins={"mem0": hermes_plugin_mem0},
        config={"memory": {"providers": ["mem0"], "mem0": mem0_settings, "recall_timeout": 10}},
    )
    await run_agent(host, mem0_endpoint, "Remember: my favourite text editor is Helix.")
    await run_agent(host, mem0_endpoint, "Which text editor is my favourite?")
    await host.aclose()
    agent_requests = [r for r in mem0_endpoint.chat_requests if not (r.json or {}).get("response_format")]
    last = agent_requests[-1].last_user_text
    assert "Recalled from memory" in last and "Helix" in last and "[mem0]" in last


async def test_a_dead_endpoint_does_not_break_a_turn(make_host, llm_server, tmp_path):
    settings = {"base_url": "http://127.0.0.1:9/v1", "embedding_dims": 64, "path": str(tmp_path / "m")}
    host = make_host(
        plugins={"mem0": hermes_plugin_mem0},
        config={"memory": {"providers": ["mem0"], "mem0": settings, "recall_timeout": 5}},
    )
    llm_server.script(Reply.text("Still here."))
    agent = await run_agent(host, llm_server, "hello")
    await host.aclose()
    assert agent.last_result.text == "Still here."


def test_missing_mem0_is_reported_with_the_fix(host, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "mem0", None)
    host.register(hermes_plugin_mem0, name="mem0")
    availability = host.availability(host.memory_providers()["mem0"])
    assert not availability.available and "pip install" in availability.reason
    with pytest.raises(MissingDependency, match="pip install"):
        create_provider({}, tmp_path)


def test_config_is_validated(make_host):
    host = make_host(plugins={"mem0": hermes_plugin_mem0}, config={"memory": {"mem0": {"embedding_dims": "many"}}})
    with pytest.raises(ConfigError, match="embedding_dims"):
        host.plugin_config("memory.mem0")
