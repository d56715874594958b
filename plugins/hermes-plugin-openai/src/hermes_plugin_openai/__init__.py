"""hermes provider plugin for OpenAI-compatible Chat Completions endpoints.

This entry module imports only ``hermes_core``; httpx and the client load when a
provider is created.
"""

from __future__ import annotations

from hermes_core import ProviderSpec, hookimpl

_PRESETS = [
    # name, description, key variables, base URL variable, default base URL, default model
    ("openai", "OpenAI or any OpenAI-compatible endpoint ($OPENAI_BASE_URL)", ["OPENAI_API_KEY"], "OPENAI_BASE_URL",
     "https://api.openai.com/v1", "gpt-4o-mini"),
    ("openrouter", "OpenRouter (hundreds of models, one key)", ["OPENROUTER_API_KEY"], None,
     "https://openrouter.ai/api/v1", None),
    ("ollama", "Ollama on this machine", [], "OLLAMA_BASE_URL", "http://127.0.0.1:11434/v1", None),
    ("vllm", "a vLLM server", ["VLLM_API_KEY"], "VLLM_BASE_URL", "http://127.0.0.1:8000/v1", None),
    ("llamacpp", "a llama.cpp server", [], "LLAMACPP_BASE_URL", "http://127.0.0.1:8080/v1", None),
    ("lmstudio", "LM Studio's local server", [], "LMSTUDIO_BASE_URL", "http://127.0.0.1:1234/v1", None),
]


def _factory(settings):  # noqa: ANN001, ANN202 - typed in client.OpenAICompatProvider
    from .client import OpenAICompatProvider

    return OpenAICompatProvider(settings)


@hookimpl
def hermes_providers():
    for name, description, env, base_url_env, base_url, model in _PRESETS:
        yield ProviderSpec(
            name=name,
            description=description,
            factory=_factory,
            env=env,
            base_url_env=base_url_env,
            default_base_url=base_url,
            default_model=model,
        )
