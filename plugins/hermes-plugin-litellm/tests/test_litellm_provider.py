"""The litellm provider, driving the real litellm code against the scripted server.

litellm's OpenAI route (``openai/<model>`` with ``api_base``) is the one backend that can
run here; every other route shares the same request/response handling in this plugin.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

import hermes_plugin_litellm
from hermes_core import ProviderError, ProviderSettings
from hermes_core.testing import Reply
from hermes_core.testing.conformance import ProviderConformance


class TestLiteLLMConformance(ProviderConformance):
    # litellm ends a stream the server cut off with a synthesized finish_reason "stop", so
    # a truncated answer cannot be told from a complete one through it.
    detects_truncated_streams = False

    def qualify(self, model):
        return f"openai/{model}"

    def make_provider(self, settings):
        from hermes_plugin_litellm.client import LiteLLMProvider

        return LiteLLMProvider(settings)


def test_entry_module_does_not_import_litellm(host):
    code = "import sys, hermes_plugin_litellm; print('litellm' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
    host.register(hermes_plugin_litellm, name="litellm")
    assert {"litellm", "anthropic", "gemini", "bedrock"} <= set(host.providers())
    assert host.providers()["anthropic"].env == ["ANTHROPIC_API_KEY"]


def test_no_network_at_import_or_creation(tmp_path):
    """An audit hook fails any connection that is not to loopback while litellm loads."""
    script = textwrap.dedent('''
        import sys
        def guard(event, args):
            if event == "socket.connect":
                address = args[1]
                host = address[0] if isinstance(address, tuple) else str(address)
                if host not in ("127.0.0.1", "::1", "localhost"):
                    raise RuntimeError(f"network access to {address!r}")
            if event == "socket.getaddrinfo" and args[0] not in ("127.0.0.1", "localhost", "::1", None):
                raise RuntimeError(f"DNS lookup of {args[0]!r}")
        sys.addaudithook(guard)
        from hermes_core import ProviderSettings
        from hermes_plugin_litellm.client import LiteLLMProvider
        provider = LiteLLMProvider(ProviderSettings(provider="anthropic", model="claude-sonnet-4-5"), route_prefix="anthropic")
        print(provider.context_window("claude-sonnet-4-5"))
    ''')
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("LITELLM")}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stdout.strip().splitlines()[-1]) >= 100_000


def test_shortcut_routes_to_the_prefixed_model():
    from hermes_plugin_litellm.client import LiteLLMProvider

    provider = LiteLLMProvider(ProviderSettings(provider="anthropic", model="claude-x"), route_prefix="anthropic")
    assert provider.route("claude-x") == "anthropic/claude-x"
    assert provider.route("anthropic/claude-x") == "anthropic/claude-x"


async def test_lists_models_from_the_bundled_map_offline():
    from hermes_plugin_litellm.client import LiteLLMProvider

    provider = LiteLLMProvider(ProviderSettings(provider="anthropic", model="x"), route_prefix="anthropic")
    names = [m.name for m in await provider.list_models()]
    assert any(name.startswith("claude") for name in names)


async def test_cost_is_computed_for_known_models(llm_server):
    """The server says it is gpt-4o-mini, so litellm's bundled prices apply."""
    from hermes_core import LLMRequest, Message
    from hermes_plugin_litellm.client import LiteLLMProvider

    llm_server.script(Reply.text("priced", usage={"prompt_tokens": 1000, "completion_tokens": 1000, "total_tokens": 2000}))
    provider = LiteLLMProvider(ProviderSettings(provider="litellm", model="openai/gpt-4o-mini", base_url=llm_server.base_url,
                                                api_key="k", max_retries=0))
    response = await provider.complete(LLMRequest(model="openai/gpt-4o-mini", messages=[Message(role="user", content="hi")]))
    assert response.message.content == "priced"
    assert response.usage.cost is not None and response.usage.cost > 0


async def test_provider_without_credentials_is_a_clear_error(monkeypatch):
    from hermes_core import LLMRequest, Message
    from hermes_plugin_litellm.client import LiteLLMProvider

    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    provider = LiteLLMProvider(ProviderSettings(provider="anthropic", model="claude-x", max_retries=0), route_prefix="anthropic")
    with pytest.raises(ProviderError) as info:
        await provider.complete(LLMRequest(model="claude-x", messages=[Message(role="user", content="hi")]))
    assert "anthropic/claude-x" in str(info.value)


async def test_whole_conversation_through_litellm(make_host, llm_server):
    from hermes_core import ToolSpec, hookimpl
    from hermes_core.testing import run_agent

    class Tools:
        @hookimpl
        def hermes_tools(self):
            yield ToolSpec(name="add", description="Add two numbers.", handler=lambda a, c: str(a["a"] + a["b"]),
                           parameters={"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
                                       "required": ["a", "b"]})

    host = make_host(plugins={"litellm": hermes_plugin_litellm, "tools": Tools()})
    llm_server.script(Reply.tool_call("add", {"a": 2, "b": 3}), Reply.text("2 + 3 = 5"))
    from hermes_plugin_litellm.client import LiteLLMProvider

    provider = LiteLLMProvider(ProviderSettings(provider="litellm", model="openai/test-model", base_url=llm_server.base_url,
                                                api_key="k", max_retries=0))
    from hermes_core.agent.loop import Agent

    agent = await Agent.open(host, provider=provider, settings=provider.settings)
    result = await agent.run_turn("what is 2+3?")
    await agent.close()
    assert result.text == "2 + 3 = 5"
    assert json.loads(json.dumps(llm_server.chat_requests[1].messages[-1]))["content"] == "5"
