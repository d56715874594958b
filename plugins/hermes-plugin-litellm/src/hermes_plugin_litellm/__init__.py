"""hermes provider plugin for every model litellm knows.

Select it with ``model.provider: litellm`` and a litellm model name
(``-m litellm:anthropic/claude-sonnet-4-5``), or through one of the named shortcuts below
(``-m anthropic:claude-sonnet-4-5`` is the same model). This module imports only
``hermes_core``: litellm itself (about a second of imports) loads when a provider is
created, with its cost map read from the copy bundled in the package, never fetched.
"""

from __future__ import annotations

from hermes_core import ProviderSpec, hookimpl

# name, litellm route prefix, key variables, description
_SHORTCUTS = [
    ("anthropic", "anthropic", ["ANTHROPIC_API_KEY"], "Anthropic Claude models (through litellm)"),
    ("gemini", "gemini", ["GEMINI_API_KEY", "GOOGLE_API_KEY"], "Google Gemini API (through litellm)"),
    ("bedrock", "bedrock", [], "AWS Bedrock, with the usual AWS credentials (through litellm)"),
    ("vertex_ai", "vertex_ai", [], "Google Vertex AI, with application default credentials (through litellm)"),
    ("mistral", "mistral", ["MISTRAL_API_KEY"], "Mistral AI (through litellm)"),
    ("groq", "groq", ["GROQ_API_KEY"], "Groq (through litellm)"),
    ("deepseek", "deepseek", ["DEEPSEEK_API_KEY"], "DeepSeek (through litellm)"),
    ("xai", "xai", ["XAI_API_KEY"], "xAI Grok (through litellm)"),
]


def _factory_for(prefix: str | None):  # noqa: ANN202 - returns a ProviderSpec factory
    def factory(settings):  # noqa: ANN001, ANN202
        from .client import LiteLLMProvider

        return LiteLLMProvider(settings, route_prefix=prefix)

    return factory


@hookimpl
def hermes_providers():
    yield ProviderSpec(
        name="litellm",
        description="any model litellm supports, named provider/model (anthropic/..., gemini/..., bedrock/...)",
        factory=_factory_for(None),
    )
    for name, prefix, env, description in _SHORTCUTS:
        yield ProviderSpec(name=name, description=description, factory=_factory_for(prefix), env=env)
