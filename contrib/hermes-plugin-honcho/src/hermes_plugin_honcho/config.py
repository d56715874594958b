"""The ``memory.honcho`` config section."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hermes_core.config import read_dotenv

#: What Honcho accepts as a workspace, peer or session id.
RESOURCE_NAME_PATTERN = r"^[a-zA-Z0-9_-]+$"


class HonchoSettings(BaseModel):
    """Settings of the Honcho provider (``memory.honcho`` in ``config.yaml``)."""

    model_config = ConfigDict(extra="forbid")

    base_url: str = Field("https://api.honcho.dev", description="Honcho API (a self-hosted one: http://127.0.0.1:8000)")
    api_key_env: str | None = Field("HONCHO_API_KEY", description="environment variable holding the API key")
    workspace: str = Field("hermes", pattern=RESOURCE_NAME_PATTERN, description="Honcho workspace (app) id")
    assistant_peer: str = Field("hermes", pattern=RESOURCE_NAME_PATTERN, description="the peer id hermes speaks as")
    observe_assistant: bool = Field(False, description="let Honcho model the assistant peer too")
    recall: Literal["dialectic", "representation", "off"] = Field(
        "dialectic",
        description=(
            "before each turn: 'dialectic' asks Honcho about the user (an LLM call on Honcho's side); "
            "'representation' fetches the facts closest to the message; 'off' skips recall"
        ),
    )
    reasoning_level: Literal["minimal", "low", "medium", "high", "max"] = Field(
        "low", description="reasoning depth of dialectic answers"
    )
    dialectic_prompt: str = Field(
        "What do you know about this user that helps with their message? Message: {message}",
        description="the question sent to the dialectic endpoint; {message} is the user's message",
    )
    snapshot: bool = Field(True, description="put Honcho's model of the user into the system prompt at session start")
    context_tokens: int = Field(1500, ge=100, le=50_000, description="token budget of the session-start context")
    timeout: float = Field(20.0, gt=0, le=600, description="seconds per HTTP attempt")
    max_retries: int = Field(1, ge=0, le=5, description="retries on 429, 5xx and connection errors")

    def api_key(self, home: Path) -> str | None:
        """The API key from the environment or ``$HERMES_HOME/.env`` (None for a server without auth)."""
        if not self.api_key_env:
            return None
        return os.environ.get(self.api_key_env) or read_dotenv(Path(home) / ".env").get(self.api_key_env) or None
