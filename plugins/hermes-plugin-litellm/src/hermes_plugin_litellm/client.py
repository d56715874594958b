"""The litellm-backed provider.

litellm answers in the OpenAI Chat Completions shape whatever the backend, so requests
and answers go through the kernel's wire format helpers (:mod:`hermes_core.wire`).
"""

from __future__ import annotations

import asyncio
import os
import warnings
from collections.abc import Callable
from typing import Any

from hermes_core import LLMRequest, LLMResponse, ModelInfo, ProviderError, ProviderSettings, StreamEvent
from hermes_core.errors import MissingDependency
from hermes_core.wire import StreamAssembler, build_payload, parse_completion


def _import_litellm() -> Any:
    # litellm downloads its model cost map from GitHub at import time unless this is set;
    # hermes never lets an import reach the network.
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    try:
        import litellm
    except ImportError:
        raise MissingDependency("litellm", plugin="litellm") from None
    # litellm trips pydantic's warnings on every streamed answer (its ReadOnly TypedDicts,
    # deprecated attribute access). They are litellm's matter, not the user's, so they are
    # silenced for litellm's code only.
    warnings.filterwarnings("ignore", message=r"Item .* is using the `ReadOnly` qualifier", category=UserWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"litellm(\.|$)")
    litellm.suppress_debug_info = True
    litellm.drop_params = True  # a parameter a backend does not take is dropped, not an error
    if hasattr(litellm, "telemetry"):
        litellm.telemetry = False
    return litellm


class LiteLLMProvider:
    """An :class:`~hermes_core.protocols.LLMProvider` over ``litellm.acompletion``."""

    def __init__(self, settings: ProviderSettings, *, route_prefix: str | None = None) -> None:
        self.settings = settings
        self.route_prefix = route_prefix
        self._litellm = _import_litellm()

    def route(self, model: str) -> str:
        """The litellm model name: ``anthropic/claude-x`` for ``anthropic:claude-x``."""
        if self.route_prefix and not model.startswith(self.route_prefix + "/"):
            return f"{self.route_prefix}/{model}"
        return model

    # -- protocol -----------------------------------------------------------------------

    def context_window(self, model: str) -> int | None:
        try:
            info = self._litellm.get_model_info(self.route(model))
        except Exception:  # unknown to the bundled map
            return None
        value = info.get("max_input_tokens") or info.get("max_tokens")
        return int(value) if value else None

    async def list_models(self) -> list[ModelInfo]:
        """Models in litellm's bundled map (no network), for this route prefix."""
        prefix = f"{self.route_prefix}/" if self.route_prefix else ""
        models = []
        for name, info in sorted(self._litellm.model_cost.items()):
            if not isinstance(info, dict) or info.get("mode") not in (None, "chat"):
                continue
            if prefix and not (name.startswith(prefix) or info.get("litellm_provider") == self.route_prefix):
                continue
            models.append(ModelInfo(name=name.removeprefix(prefix), provider=self.settings.provider,
                                    context_window=info.get("max_input_tokens")))
        return models

    async def complete(self, request: LLMRequest, on_event: Callable[[StreamEvent], None] | None = None) -> LLMResponse:
        payload = build_payload(request)
        payload["model"] = self.route(request.model or self.settings.model or "")
        payload.pop("stream_options", None)
        options: dict[str, Any] = {
            "timeout": self.settings.timeout,
            "num_retries": self.settings.max_retries,
        }
        if request.stream:
            options["stream_options"] = {"include_usage": True}
        if self.settings.api_key:
            options["api_key"] = self.settings.api_key
        if self.settings.base_url:
            options["api_base"] = self.settings.base_url
        try:
            if request.stream:
                response = await self._stream(payload, options, on_event)
            else:
                raw = await self._litellm.acompletion(**payload, **options)
                response = parse_completion(_as_dict(raw))
        except asyncio.CancelledError:
            raise
        except ProviderError:
            raise
        except Exception as exc:
            raise _translate(exc, payload["model"]) from None
        return self._with_cost(response, payload["model"])

    async def aclose(self) -> None:
        return None

    # -- internals ----------------------------------------------------------------------

    async def _stream(self, payload: dict[str, Any], options: dict[str, Any],
                      on_event: Callable[[StreamEvent], None] | None) -> LLMResponse:
        assembler = StreamAssembler(on_event)
        stream = await self._litellm.acompletion(**payload, **options)
        async for chunk in stream:
            assembler.feed(_as_dict(chunk))
        if assembler.chunks == 0 or assembler.finish_reason is None:
            raise ProviderError(f"the stream for '{payload['model']}' ended before the answer was complete", retryable=True)
        return assembler.response()

    def _with_cost(self, response: LLMResponse, model: str) -> LLMResponse:
        usage = response.usage
        if usage.cost is not None or not (usage.prompt_tokens or usage.completion_tokens):
            return response
        try:
            prompt_cost, completion_cost = self._litellm.cost_per_token(
                model=model, prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens
            )
        except Exception:  # a model the bundled price list does not know
            return response
        return response.model_copy(update={"usage": usage.model_copy(update={"cost": prompt_cost + completion_cost})})


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump()
    return dict(value)


def _translate(exc: Exception, model: str) -> ProviderError:
    status = getattr(exc, "status_code", None)
    message = str(getattr(exc, "message", "") or exc).strip()
    name = type(exc).__name__
    if status == 401 or name == "AuthenticationError":
        return ProviderError(f"authentication failed for '{model}' (HTTP 401): {message}. Check the provider's API key "
                             "(e.g. ANTHROPIC_API_KEY in $HERMES_HOME/.env).", status=401)
    if status == 404 or name == "NotFoundError":
        return ProviderError(f"model '{model}' not found (HTTP 404): {message}. Check the name "
                             "(hermes model list litellm).", status=404)
    if name == "BadRequestError" and "model" in message.lower():
        return ProviderError(f"the provider rejected model '{model}': {message}", status=status or 400)
    retryable = name in ("RateLimitError", "APIConnectionError", "Timeout", "ServiceUnavailableError", "InternalServerError")
    code = f" (HTTP {status})" if status else ""
    return ProviderError(f"{name}{code} from '{model}': {message}", status=status, retryable=retryable)
