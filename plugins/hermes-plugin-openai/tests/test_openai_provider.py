"""The OpenAI-compatible provider against the test kit's scripted server."""

from __future__ import annotations

import pytest

import hermes_plugin_openai
from hermes_core import ProviderError
from hermes_core.testing import Reply
from hermes_core.testing.conformance import ProviderConformance
from hermes_plugin_openai.client import OpenAICompatProvider


class TestOpenAIConformance(ProviderConformance):
    def make_provider(self, settings):
        return OpenAICompatProvider(settings)


def test_registers_presets_without_importing_httpx(host):
    import sys

    sys.modules.pop("hermes_plugin_openai.client", None)
    host.register(hermes_plugin_openai, name="openai")
    specs = host.providers()
    assert {"openai", "openrouter", "ollama", "vllm", "llamacpp", "lmstudio"} <= set(specs)
    assert specs["openai"].base_url_env == "OPENAI_BASE_URL"
    assert "hermes_plugin_openai.client" not in sys.modules


def test_base_url_and_key_come_from_openai_env(make_host, llm_server):
    host = make_host(plugins={"openai": hermes_plugin_openai},
                     env={"OPENAI_BASE_URL": llm_server.base_url, "OPENAI_API_KEY": "sk-test"},
                     config={"model": {"name": "test-model"}})
    spec, settings = host.provider_settings()
    assert settings.base_url == llm_server.base_url
    assert settings.api_key == "sk-test"
    assert settings.model == "test-model"


def test_config_base_url_and_key_env_win(make_host):
    host = make_host(
        plugins={"openai": hermes_plugin_openai},
        env={"OPENAI_BASE_URL": "http://127.0.0.1:1/v1", "MY_KEY": "from-my-key", "OPENAI_API_KEY": "other"},
        config={"model": {"provider": "openai", "name": "m", "base_url": "http://127.0.0.1:2/v1", "api_key_env": "MY_KEY"}},
    )
    _, settings = host.provider_settings()
    assert settings.base_url == "http://127.0.0.1:2/v1"
    assert settings.api_key == "from-my-key"


async def test_lists_models(llm_server):
    from hermes_core import ProviderSettings

    provider = OpenAICompatProvider(ProviderSettings(provider="openai", model="x", base_url=llm_server.base_url))
    models = await provider.list_models()
    await provider.aclose()
    assert [m.name for m in models] == ["test-model"]


async def test_non_json_error_body_is_reported(llm_server):
    from hermes_core import LLMRequest, Message, ProviderSettings

    llm_server.script(Reply.raw(502, "<html>Bad Gateway</html>", headers={"Content-Type": "text/html"}))
    provider = OpenAICompatProvider(ProviderSettings(provider="openai", model="m", base_url=llm_server.base_url, max_retries=0))
    with pytest.raises(ProviderError, match="502"):
        await provider.complete(LLMRequest(model="m", messages=[Message(role="user", content="hi")]))
    await provider.aclose()


async def test_unreachable_server_is_a_clear_error():
    import socket

    from hermes_core import LLMRequest, Message, ProviderSettings

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    provider = OpenAICompatProvider(ProviderSettings(provider="openai", model="m", base_url=f"http://127.0.0.1:{port}/v1", max_retries=0))
    with pytest.raises(ProviderError, match=f"127.0.0.1:{port}"):
        await provider.complete(LLMRequest(model="m", messages=[Message(role="user", content="hi")]))
    await provider.aclose()


def test_official_openai_client_accepts_the_scripted_server(llm_server):
    """The test kit's server speaks the protocol well enough for the official client."""
    openai = pytest.importorskip("openai")
    llm_server.script(Reply.text("hi from the script"), Reply.tool_call("terminal", {"command": "ls"}))
    client = openai.OpenAI(base_url=llm_server.base_url, api_key="k")
    first = client.chat.completions.create(model="test-model", messages=[{"role": "user", "content": "hi"}])
    assert first.choices[0].message.content == "hi from the script"
    stream = client.chat.completions.create(model="test-model", messages=[{"role": "user", "content": "go"}], stream=True,
                                            stream_options={"include_usage": True})
    chunks = list(stream)
    names = [tc.function.name for c in chunks for ch in c.choices for tc in (ch.delta.tool_calls or []) if tc.function.name]
    assert names == ["terminal"]
    assert chunks[-1].usage is not None
