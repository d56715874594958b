"""What the loop tells its user interface while a turn runs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..types import Usage


@dataclass(frozen=True)
class TextDelta:
    """A piece of the answer, as it streams."""

    text: str


@dataclass(frozen=True)
class ReasoningDelta:
    """A piece of the model's visible reasoning."""

    text: str


@dataclass(frozen=True)
class ToolStarted:
    call_id: str
    name: str
    summary: str


@dataclass(frozen=True)
class ToolFinished:
    call_id: str
    name: str
    ok: bool
    duration: float
    preview: str


@dataclass(frozen=True)
class Notice:
    """Something the user should know (compression, budget, a retry)."""

    text: str
    level: Literal["info", "warning", "error"] = "info"


@dataclass(frozen=True)
class AnswerDone:
    """The model finished a message (streamed text is complete)."""

    text: str
    usage: Usage


AgentEvent = TextDelta | ReasoningDelta | ToolStarted | ToolFinished | Notice | AnswerDone
