"""How command results and process statuses read to the model: compact text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hermes_core import CommandResult

#: How much new output ``poll`` and ``wait`` show at most (the tail is kept).
OUTPUT_PREVIEW_CHARS = 4000


def command_text(result: CommandResult, timeout: float) -> str:
    """The output, then one bracketed note per fact: exit code, truncation, timeout,
    interruption."""
    output = result.output.rstrip("\n")
    lines = [output if output.strip() else "(no output)"]
    lines.append(f"[exit code: {result.exit_code}]" if result.exit_code is not None else "[exit code: unknown]")
    if result.truncated:
        lines.append("[output truncated: the middle was left out; write it to a file and read parts to see all]")
    if result.timed_out:
        lines.append(f"[timed out after {timeout:g}s: the command and everything it started were killed]")
    if result.interrupted:
        lines.append("[interrupted: the command was stopped]")
    return "\n".join(lines)


def status_line(status: Mapping[str, Any]) -> str:
    """``proc_1: running (pid 42, 3.1s): <command>`` and the like."""
    pid = status.get("id", "?")
    duration = status.get("duration")
    took = f"{float(duration):.1f}s" if isinstance(duration, (int, float)) else "?"
    command = " ".join(str(status.get("command", "")).split())
    if len(command) > 120:
        command = command[:119] + "…"
    if status.get("running"):
        state = f"running (pid {status.get('pid', '?')}, {took})"
    elif status.get("status") == "killed":
        state = f"killed after {took}"
    elif status.get("exit_code") is not None:
        state = f"exited with code {status['exit_code']} after {took}"
    else:
        state = f"ended after {took}"
    return f"{pid}: {state}: {command}" if command else f"{pid}: {state}"


def preview(text: str, limit: int = OUTPUT_PREVIEW_CHARS) -> str:
    """``text``, or its last ``limit`` characters with a note saying how much is left out."""
    if len(text) <= limit:
        return text
    return f"[... {len(text) - limit} earlier characters left out; use action='log' to read them]\n" + text[-limit:]


def log_slice(text: str, offset: int | None, limit: int) -> tuple[str, int, int, int]:
    """Lines ``offset`` .. ``offset + limit`` of ``text`` (the last ``limit`` lines when
    ``offset`` is None; negative offsets count from the end): (text, first, last, total)."""
    lines = text.splitlines()
    total = len(lines)
    limit = max(1, limit)
    if offset is None:
        start = max(0, total - limit)
    elif offset < 0:
        start = max(0, total + offset)
    else:
        start = min(offset, total)
    chosen = lines[start:start + limit]
    return "\n".join(chosen), start, start + len(chosen), total
