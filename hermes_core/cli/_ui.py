"""How the CLI shows a turn (streamed text, tool progress) and asks the user things."""

from __future__ import annotations

import sys
import threading
from typing import IO, Any

from hermes_core.agent.events import AgentEvent, AnswerDone, Notice, ReasoningDelta, TextDelta, ToolFinished, ToolStarted
from hermes_core.context import ApprovalAnswer, ApprovalRequest

_APPROVAL_KEYS: dict[str, ApprovalAnswer] = {
    "o": "once", "once": "once", "y": "once", "yes": "once",
    "s": "session", "session": "session",
    "a": "always", "always": "always",
    "d": "deny", "deny": "deny", "n": "deny", "no": "deny", "": "deny",
}


class Renderer:
    """Turns agent events into terminal output.

    The answer streams to ``out``; tool progress and notices go to ``err`` (so
    ``hermes chat -q ... > answer.txt`` captures only the answer).
    """

    def __init__(self, out: IO[str] | None = None, err: IO[str] | None = None, *, show_tools: bool = True,
                 show_reasoning: bool = False, stream_text: bool = True, color: bool | None = None) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.show_tools = show_tools
        self.show_reasoning = show_reasoning
        self.stream_text = stream_text
        self.color = color if color is not None else self.err.isatty()
        self._mid_line = False
        self._lock = threading.Lock()
        self._starts: dict[str, str] = {}

    def _style(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def _end_text_line(self) -> None:
        if self._mid_line:
            self.out.write("\n")
            self.out.flush()
            self._mid_line = False

    def __call__(self, event: AgentEvent) -> None:
        with self._lock:
            self._handle(event)

    def _handle(self, event: AgentEvent) -> None:
        if isinstance(event, TextDelta):
            if self.stream_text:
                self.out.write(event.text)
                self.out.flush()
                self._mid_line = not event.text.endswith("\n")
        elif isinstance(event, ReasoningDelta):
            if self.show_reasoning:
                self.err.write(self._style(event.text, "2"))
                self.err.flush()
        elif isinstance(event, ToolStarted):
            self._starts[event.call_id] = event.summary
            if self.show_tools:
                self._end_text_line()
                self.err.write(self._style(f"  ┊ {event.name}", "36") + (f"  {event.summary}" if event.summary else "") + "\n")
                self.err.flush()
        elif isinstance(event, ToolFinished):
            if self.show_tools:
                self._end_text_line()
                summary = self._starts.pop(event.call_id, "")
                mark = self._style("✓", "32") if event.ok else self._style("✗", "31")
                line = f"  ┊ {mark} {event.name} {event.duration:.2f}s"
                if not event.ok:
                    line += "  " + self._style(" ".join(event.preview.split())[:160], "31")
                elif summary and event.duration == 0:
                    line += f"  {summary}"
                self.err.write(line + "\n")
                self.err.flush()
        elif isinstance(event, Notice):
            self._end_text_line()
            color = {"info": "2", "warning": "33", "error": "31"}[event.level]
            self.err.write(self._style(f"  ! {event.text}", color) + "\n")
            self.err.flush()
        elif isinstance(event, AnswerDone):
            self._end_text_line()


class CliInteraction:
    """Asks the user at the terminal. Called from worker threads while the loop waits."""

    interactive = True

    def __init__(self, renderer: Renderer | None = None, input_fn: Any = None) -> None:
        self.renderer = renderer
        self._input = input_fn or input
        self._lock = threading.Lock()

    def _prompt(self, text: str) -> str | None:
        with self._lock:
            if self.renderer is not None:
                self.renderer._end_text_line()
            try:
                return self._input(text)
            except (EOFError, KeyboardInterrupt):
                return None

    def approve(self, request: ApprovalRequest) -> ApprovalAnswer:
        sys.stderr.write(
            f"\n  \x1b[33m⚠ {request.tool} needs your approval\x1b[0m: {request.reason}\n"
            f"    {request.summary}\n"
        )
        while True:
            answer = self._prompt("    allow? [o]nce, [s]ession, [a]lways, [d]eny: ")
            if answer is None:
                return "deny"
            choice = _APPROVAL_KEYS.get(answer.strip().lower())
            if choice is not None:
                return choice

    def ask(self, question: str, choices: list[str] | None = None) -> str | None:
        sys.stderr.write(f"\n  ? {question}\n")
        if choices:
            for number, choice in enumerate(choices, 1):
                sys.stderr.write(f"    {number}. {choice}\n")
        answer = self._prompt("    > ")
        if answer is None:
            return None
        if choices and answer.strip().isdigit() and 1 <= int(answer) <= len(choices):
            return choices[int(answer) - 1]
        return answer

    def notify(self, text: str) -> None:
        sys.stderr.write(f"  {text}\n")
