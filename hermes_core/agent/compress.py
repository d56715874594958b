"""Context compression: when a request nears the context window, summarise the middle.

The system prompt, the first ``keep_first`` messages and the last ``keep_last`` messages
stay as they are; the middle is summarised by the model itself. Messages pinned with
``meta["skill"]`` or ``meta["pinned"]`` (a skill loaded in this session) survive
verbatim. Tool calls are never separated from their results. If the summary request
fails, the middle is replaced by a note saying what was dropped, so the conversation can
always go on.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..types import LLMRequest, Message

if TYPE_CHECKING:
    from ..types import ProviderSettings

SUMMARY_INSTRUCTIONS = """\
You compress a conversation between a user and an AI agent so the agent can continue it.
Write a dense summary of the transcript you are given: the user's goals and requests, decisions
made, facts learned (paths, names, versions, numbers), files read or changed, commands run and
their outcomes, errors met and how they were solved, and what is still open. Keep exact
identifiers. Write in plain prose and short lists; no preamble."""

DEFAULT_CONTEXT_WINDOW = 128_000


def estimate_tokens(messages: list[Message], tools: list[dict[str, Any]] | None = None) -> int:
    """A quick estimate (4 characters per token) of a request's prompt size."""
    chars = sum(len(m.content or "") + sum(len(c.arguments) + len(c.name) for c in m.tool_calls) + 12 for m in messages)
    if tools:
        chars += len(json.dumps(tools))
    return chars // 4


def is_pinned(message: Message) -> bool:
    return bool(message.meta.get("skill") or message.meta.get("pinned"))


def split_for_compression(messages: list[Message], keep_first: int, keep_last: int) -> tuple[int, int] | None:
    """Indices ``(start, end)`` of the middle to summarise, or None if there is none.

    ``messages[0]`` is the system prompt. The head never ends on an assistant message
    whose tool results would be cut off; the tail never starts with a tool result.
    """
    n = len(messages)
    start = min(1 + keep_first, n)
    while start < n and messages[start].role == "tool":
        start += 1
    end = max(start, n - keep_last)
    while end > start and messages[end].role == "tool":
        end -= 1
    if end - start < 2:
        return None
    return start, end


def render_transcript(messages: list[Message], max_chars: int) -> str:
    per_tool = 2000
    lines = []
    for message in messages:
        if message.role == "tool":
            body = message.content or ""
            if len(body) > per_tool:
                body = body[:per_tool] + f" [... {len(body) - per_tool} characters omitted]"
            lines.append(f"[tool result {message.name or ''}]: {body}")
        elif message.role == "assistant":
            if message.content:
                lines.append(f"ASSISTANT: {message.content}")
            for call in message.tool_calls:
                lines.append(f"ASSISTANT called {call.name}({call.arguments[:1000]})")
        else:
            lines.append(f"{message.role.upper()}: {message.content or ''}")
    text = "\n".join(lines)
    if len(text) > max_chars:
        half = max_chars // 2
        text = text[:half] + "\n[... middle of the transcript omitted ...]\n" + text[-half:]
    return text


class Compressor:
    def __init__(self, provider: Any, settings: ProviderSettings, *, window: int, keep_first: int, keep_last: int,
                 threshold: float, enabled: bool = True) -> None:
        self.provider = provider
        self.settings = settings
        self.window = window
        self.keep_first = keep_first
        self.keep_last = keep_last
        self.threshold = threshold
        self.enabled = enabled

    def needed(self, estimated_tokens: int) -> bool:
        return self.enabled and estimated_tokens >= self.threshold * self.window

    async def compress(self, messages: list[Message]) -> tuple[list[Message], str, list[Message]] | None:
        """(new messages, summary text, dropped messages), or None if nothing can go."""
        span = split_for_compression(messages, self.keep_first, self.keep_last)
        if span is None:
            return None
        start, end = span
        middle = messages[start:end]
        pinned = [m for m in middle if is_pinned(m)]
        dropped = [m for m in middle if not is_pinned(m)]
        if not dropped:
            return None
        transcript = render_transcript(dropped, max_chars=int(self.window * 4 * 0.5))
        request = LLMRequest(
            model=self.settings.model or "",
            messages=[
                Message(role="system", content=SUMMARY_INSTRUCTIONS),
                Message(role="user", content=f"Transcript to summarise:\n\n{transcript}"),
            ],
            stream=False,
            metadata={"purpose": "compression"},
        )
        try:
            response = await self.provider.complete(request)
            summary = (response.message.content or "").strip()
        except Exception as exc:  # never let compression stop the conversation
            summary = ""
            failure = f"{type(exc).__name__}: {exc}"
        else:
            failure = "the model returned an empty summary"
        if summary:
            note = f"[Context summary: {len(dropped)} earlier messages were compressed to fit the context window.]\n{summary}"
        else:
            note = (
                f"[{len(dropped)} earlier messages were removed to fit the context window; "
                f"summarising them failed ({failure}).]"
            )
        summary_message = Message(role="user", content=note, meta={"summary": True})
        new_messages = [*messages[:start], summary_message, *pinned, *messages[end:]]
        return new_messages, note, dropped
