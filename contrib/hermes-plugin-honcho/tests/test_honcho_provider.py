"""The Honcho provider: the real honcho-ai SDK against the fake Honcho API on 127.0.0.1."""

from __future__ import annotations

import sys

import pytest

import hermes_plugin_honcho
from hermes_core.errors import ConfigError, HermesError, MissingDependency
from hermes_core.testing import Reply, run_agent
from hermes_core.testing.conformance import MemoryProviderConformance
from hermes_core.types import MemoryContext, TurnRecord
from hermes_plugin_honcho.ids import honcho_id
from hermes_plugin_honcho.provider import MAX_MESSAGE_CHARS, create_provider


class TestHonchoConformance(MemoryProviderConformance):
    @pytest.fixture(autouse=True)
    def _server(self, honcho_settings):
        self.settings = honcho_settings

    def make_provider(self, host, tmp_path):
        return create_provider(self.settings, tmp_path / "home")


def ctx(user="alice", session="s1"):
    return MemoryContext(user_id=user, session_id=session, platform="cli")


def turn(text, answer="Noted.", user="alice", session="s1"):
    return TurnRecord(session_id=session, user_id=user, user_message=text, assistant_message=answer)


#: Every route this plugin may use (the SDK's get-or-create, messages, context, chat).
EXPECTED_ROUTES = {
    "POST /v3/workspaces",
    "POST /v3/workspaces/{id}/peers",
    "POST /v3/workspaces/{id}/sessions",
    "POST /v3/workspaces/{id}/sessions/{id}/messages",
    "GET /v3/workspaces/{id}/sessions/{id}/context",
    "POST /v3/workspaces/{id}/peers/{id}/chat",
    "GET /v3/workspaces/{id}/peers/{id}/context",
}


async def test_a_turn_becomes_two_attributed_messages(honcho_server, honcho_settings, tmp_path):
    provider = create_provider(honcho_settings, tmp_path)
    await provider.on_turn(turn("I live in Lisbon.", "Lisbon is lovely."), ctx())
    await provider.on_turn(turn("I cycle to work.", "Good for you."), ctx())
    await provider.aclose()
    ws = honcho_server.workspaces["hermes"]
    session = ws.sessions["s1"]
    assert [(m["peer_id"], m["content"]) for m in session["messages"]] == [
        ("alice", "I live in Lisbon."), ("hermes", "Lisbon is lovely."),
        ("alice", "I cycle to work."), ("hermes", "Good for you."),
    ]
    assert session["messages"][0]["metadata"] == {"hermes_session": "s1", "platform": "cli"}
    assert session["peers"] == {"alice": {"observe_me": True}, "hermes": {"observe_me": False}}
    # The session was created once, then reused.
    creates = [r for r in honcho_server.requests if r.method == "POST" and r.path == "/v3/workspaces/hermes/sessions"]
    assert len(creates) == 1
    assert all(r.headers.get("authorization") == f"Bearer {honcho_server.api_key}" for r in honcho_server.requests)
    assert honcho_server.unknown_routes == []


async def test_snapshot_is_honchos_model_of_the_user(honcho_server, honcho_settings, tmp_path):
    provider = create_provider(honcho_settings, tmp_path)
    assert await provider.snapshot(ctx(session="s0")) is None
    await provider.on_turn(turn("I am vegetarian.", "I will suggest vegetarian recipes."), ctx())
    snapshot = await provider.snapshot(ctx(session="s2"))
    await provider.aclose()
    assert snapshot.startswith("# User model (Honcho)") and "vegetarian" in snapshot
    assert "suggest" not in snapshot  # the assistant is not observed
    context_calls = [r for r in honcho_server.requests if r.path.endswith("/sessions/s2/context")]
    assert context_calls and context_calls[0].query["peer_target"] == ["alice"]


async def test_recall_asks_the_dialectic_endpoint(honcho_server, honcho_settings, tmp_path):
    provider = create_provider({**honcho_settings, "reasoning_level": "medium"}, tmp_path)
    await provider.on_turn(turn("My daughter is called Inês."), ctx())
    (item,) = await provider.recall("what is my daughter called", ctx(session="s2"))
    assert "Inês" in item.text and item.source == "honcho" and item.metadata == {"kind": "dialectic"}
    (chat,) = [r for r in honcho_server.requests if r.path.endswith("/peers/alice/chat")]
    assert "what is my daughter called" in chat.body["query"] and chat.body["reasoning_level"] == "medium"
    assert await provider.recall("favourite football club", ctx()) == []
    await provider.aclose()


async def test_recall_by_representation_and_off(honcho_server, honcho_settings, tmp_path):
    provider = create_provider({**honcho_settings, "recall": "representation"}, tmp_path)
    await provider.on_turn(turn("My laptop runs Fedora 41."), ctx())
    (item,) = await provider.recall("which OS is on the laptop", ctx())
    assert "Fedora" in item.text and item.metadata == {"kind": "representation"}
    assert not [r for r in honcho_server.requests if r.path.endswith("/chat")]
    await provider.aclose()

    quiet = create_provider({**honcho_settings, "recall": "off", "snapshot": False}, tmp_path)
    before = len(honcho_server.requests)
    assert await quiet.recall("laptop", ctx()) == [] and await quiet.snapshot(ctx()) is None
    assert len(honcho_server.requests) == before
    await quiet.aclose()


async def test_only_known_routes_are_used(honcho_server, honcho_settings, tmp_path):
    for mode in ("dialectic", "representation"):
        provider = create_provider({**honcho_settings, "recall": mode}, tmp_path)
        await provider.snapshot(ctx())
        await provider.on_turn(turn("I like tea."), ctx())
        await provider.recall("tea", ctx())
        await provider.aclose()
    assert honcho_server.routes_used() <= EXPECTED_ROUTES, honcho_server.routes_used() - EXPECTED_ROUTES
    assert honcho_server.unknown_routes == []


def test_ids_fit_honcho():
    assert honcho_id("alice") == "alice"
    assert honcho_id("20261121_012818_ae1df192") == "20261121_012818_ae1df192"
    for value in ("telegram:42", "Ada Lovelace", "../x", "ü", "h-sneaky"):
        made = honcho_id(value)
        assert made.startswith("h-") and all(c.isalnum() or c in "_-" for c in made)
    assert honcho_id("a:b") != honcho_id("a/b")
    assert honcho_id("hermes", reserved={"hermes"}) != "hermes"


async def test_gateway_users_get_their_own_peers(honcho_server, honcho_settings, tmp_path):
    provider = create_provider(honcho_settings, tmp_path)
    await provider.on_turn(turn("I am Tomás.", user="telegram:42"), ctx("telegram:42"))
    await provider.on_turn(turn("I am the real hermes.", user="hermes"), ctx("hermes", "s9"))
    await provider.aclose()
    peers = set(honcho_server.workspaces["hermes"].peers)
    assert honcho_id("telegram:42") in peers and "telegram:42" not in peers
    authors = {m["peer_id"] for m in honcho_server.messages() if m["content"] == "I am the real hermes."}
    assert authors == {honcho_id("hermes", reserved={"hermes"})}


async def test_long_turns_are_cut_to_honchos_limit(honcho_server, honcho_settings, tmp_path):
    provider = create_provider(honcho_settings, tmp_path)
    await provider.on_turn(turn("x" * 60_000, "y" * 30_000), ctx())
    await provider.aclose()
    assert all(len(m["content"]) <= MAX_MESSAGE_CHARS for m in honcho_server.messages())
    assert all(m["content"].endswith("limit]") for m in honcho_server.messages())


async def test_errors_name_the_server_and_what_to_check(honcho_server, honcho_settings, tmp_path, monkeypatch):
    monkeypatch.setenv("HONCHO_TEST_KEY", "wrong-key")
    provider = create_provider(honcho_settings, tmp_path)
    with pytest.raises(HermesError, match=r"Honcho at http://127\.0\.0\.1:\d+ failed: AuthenticationError"):
        await provider.on_turn(turn("hello"), ctx())
    await provider.aclose()

    dead = create_provider({**honcho_settings, "base_url": "http://127.0.0.1:9"}, tmp_path)
    with pytest.raises(HermesError, match="memory.honcho.base_url"):
        await dead.recall("anything", ctx())
    await dead.aclose()


async def test_server_errors_are_retried(honcho_server, honcho_settings, tmp_path):
    provider = create_provider({**honcho_settings, "max_retries": 1}, tmp_path)
    honcho_server.fail_next(503)
    await provider.on_turn(turn("I drink oat milk."), ctx())
    await provider.aclose()
    assert [m["content"] for m in honcho_server.messages()][0] == "I drink oat milk."


async def test_api_key_from_hermes_dotenv(honcho_server, honcho_settings, tmp_path, monkeypatch):
    monkeypatch.delenv("HONCHO_TEST_KEY")
    (tmp_path / ".env").write_text(f"HONCHO_TEST_KEY={honcho_server.api_key}\n", encoding="utf-8")
    provider = create_provider(honcho_settings, tmp_path)
    await provider.on_turn(turn("I use a split keyboard."), ctx())
    await provider.aclose()
    assert honcho_server.messages()


async def test_user_model_carries_into_the_next_conversation(make_host, llm_server, honcho_server, honcho_settings):
    host = make_host(
        plugins={"honcho": hermes_plugin_honcho},
        config={"memory": {"providers": ["honcho"], "honcho": honcho_settings, "recall_timeout": 10}},
        env={"HONCHO_TEST_KEY": honcho_server.api_key},
    )
    llm_server.script(Reply.text("Noted: Porto it is."), Reply.text("You live in Porto."))
    await run_agent(host, llm_server, "I live in Porto now.")
    await run_agent(host, llm_server, "Which city do I live in?")
    await host.aclose()
    second = llm_server.chat_requests[1]
    assert "User model (Honcho)" in second.system_prompt and "Porto" in second.system_prompt
    assert "Recalled from memory" in second.last_user_text and "Porto" in second.last_user_text
    assert "Porto" not in llm_server.chat_requests[0].system_prompt


async def test_a_down_honcho_does_not_break_a_turn(make_host, llm_server, honcho_settings):
    settings = {**honcho_settings, "base_url": "http://127.0.0.1:9"}
    host = make_host(plugins={"honcho": hermes_plugin_honcho},
                     config={"memory": {"providers": ["honcho"], "honcho": settings}})
    llm_server.script(Reply.text("Still answering."))
    agent = await run_agent(host, llm_server, "hello")
    await host.aclose()
    assert agent.last_result.text == "Still answering."


def test_missing_sdk_is_reported_with_the_fix(host, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "honcho", None)
    host.register(hermes_plugin_honcho, name="honcho")
    availability = host.availability(host.memory_providers()["honcho"])
    assert not availability.available and "pip install" in availability.reason
    with pytest.raises(MissingDependency, match="honcho-ai"):
        create_provider({}, tmp_path)


def test_config_is_validated(make_host):
    host = make_host(plugins={"honcho": hermes_plugin_honcho},
                     config={"memory": {"honcho": {"workspace": "my workspace!"}}})
    with pytest.raises(ConfigError, match="workspace"):
        host.plugin_config("memory.honcho")
