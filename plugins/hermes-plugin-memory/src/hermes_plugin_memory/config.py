"""The ``memory.builtin`` config section."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class BuiltinMemorySettings(BaseModel):
    """Settings of the built-in memory (``memory.builtin`` in ``config.yaml``).

    The character limits are Hermes Agent's defaults (``memory_char_limit`` and
    ``user_char_limit`` there too): about 800 and 500 tokens of system prompt.
    """

    model_config = ConfigDict(extra="forbid")

    memory_char_limit: int = Field(
        2200, ge=100, le=200_000, description="characters MEMORY.md may hold (the agent's notes)"
    )
    user_char_limit: int = Field(
        1375, ge=100, le=200_000, description="characters USER.md may hold (the user's profile)"
    )
    when_full: Literal["refuse", "archive_oldest"] = Field(
        "refuse",
        description=(
            "an add that does not fit: 'refuse' asks the model to consolidate first; "
            "'archive_oldest' moves the oldest entries to the archive to make room"
        ),
    )
    archive_to_sessions: bool = Field(
        True, description="also index archived entries in the session store, for session_search"
    )
    recall_archive: bool = Field(
        True, description="search the archive for each user message and add matches to the turn"
    )

    def limit(self, target: str) -> int:
        """The character budget of ``target`` (``memory`` or ``user``)."""
        return self.memory_char_limit if target == "memory" else self.user_char_limit
