"""The ``web`` config section."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from hermes_core import ToolError

SECTION = "web"


class WebConfig(BaseModel):
    """``web`` in ``config.yaml``: limits for ``web_fetch``."""

    model_config = ConfigDict(extra="forbid")

    max_bytes: int = Field(2_000_000, ge=1024, description="download at most this many bytes of a response")
    timeout: float = Field(20.0, gt=0, le=600, description="seconds for a whole fetch, redirects included")
    max_redirects: int = Field(5, ge=0, le=30, description="redirects followed before giving up")
    max_chars: int = Field(15_000, ge=500, description="characters of text returned when the call names none")
    user_agent: str = Field("hermes-agent/0.1 (web_fetch)", min_length=1, description="User-Agent header sent")
    block_link_local: bool = Field(
        True, description="refuse link-local addresses, where cloud metadata services hand out credentials"
    )


def settings(ctx: Any) -> WebConfig:
    """The validated section (defaults when no plugin declared it)."""
    from hermes_core import ConfigError

    try:
        value = ctx.plugin_config(SECTION)
    except ConfigError as exc:
        if "no plugin declares" in str(exc):
            return WebConfig()
        raise ToolError(f"invalid config: {exc}. Fix the '{SECTION}' section of config.yaml.") from exc
    return value if isinstance(value, WebConfig) else WebConfig()
