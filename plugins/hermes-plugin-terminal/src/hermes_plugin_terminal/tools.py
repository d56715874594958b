"""The ``terminal`` and ``process`` tool handlers, over the session's terminal backend."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from hermes_core import HermesError, ToolContext, ToolError, ToolResult

from .render import command_text, log_slice, preview, status_line

T = TypeVar("T")

#: ``process(action="wait")``: default and longest wait, in seconds.
WAIT_DEFAULT = 60.0
WAIT_MAX = 600.0
_WAIT_STEP = 0.2


def _backend(ctx: ToolContext) -> Any:
    try:
        return ctx.terminal()
    except HermesError as exc:  # not installed, unavailable, bad config: the message says what to do
        raise ToolError(str(exc)) from None
    except Exception as exc:  # the shell did not start
        raise ToolError(f"could not open the terminal: {exc}") from None


def _call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call the backend; its refusals (unknown id, process not running, ...) become errors
    the model reads."""
    try:
        return fn(*args, **kwargs)
    except ToolError:
        raise
    except (HermesError, LookupError, ValueError, RuntimeError, OSError) as exc:
        message = str(exc) or type(exc).__name__
        raise ToolError(message) from None


def _seconds(args: dict[str, Any], name: str) -> float | None:
    value = args.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ToolError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


# -- terminal ---------------------------------------------------------------------------------


def terminal(args: dict[str, Any], ctx: ToolContext) -> ToolResult:
    """Run ``command`` (or start it in the background) in the session's shell."""
    command = args.get("command")
    if not isinstance(command, str) or not command.strip():
        raise ToolError("command is empty: pass the shell command to run")
    timeout = _seconds(args, "timeout")
    workdir = args.get("workdir") or None
    if workdir is not None and not isinstance(workdir, str):
        raise ToolError("workdir must be a path")
    backend = _backend(ctx)
    if args.get("background"):
        process_id = _call(backend.start_background, command, workdir=workdir)
        status = _call(backend.poll, process_id)
        text = (
            f"Started background process {status_line(status)}\n"
            f"session_id: {process_id}. Check it with process(action='poll', session_id='{process_id}'); "
            "'log' reads its output, 'wait' waits for it, 'kill' stops it."
        )
        return ToolResult(content=text, metadata={"session_id": process_id, "background": True})
    result = _call(backend.run, command, timeout=timeout, workdir=workdir)
    limit = timeout if timeout is not None else ctx.config.terminal.timeout
    return ToolResult(
        content=command_text(result, limit),
        metadata={
            "exit_code": result.exit_code, "timed_out": result.timed_out, "truncated": result.truncated,
            "interrupted": result.interrupted, "duration": result.duration, "cwd": result.cwd,
        },
    )


# -- process -----------------------------------------------------------------------------------


def process(args: dict[str, Any], ctx: ToolContext) -> ToolResult:
    """``list``, ``poll``, ``log``, ``wait``, ``write``, ``submit`` or ``kill``."""
    action = args.get("action")
    handlers = {"list": _list, "poll": _poll, "log": _log, "wait": _wait, "write": _write,
                "submit": _write, "kill": _kill}
    if action not in handlers:
        raise ToolError(f"unknown action {action!r}: use one of {', '.join(handlers)}")
    backend = _backend(ctx)
    if action == "list":
        return _list(backend, "", args, ctx)
    process_id = args.get("session_id") or args.get("id")
    if not isinstance(process_id, str) or not process_id:
        raise ToolError(
            f"process(action='{action}') needs session_id: the id terminal(background=true) returned "
            "(action='list' shows them)"
        )
    return handlers[action](backend, process_id, args, ctx)


def _list(backend: Any, process_id: str, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
    statuses = _call(backend.list_processes)
    if not statuses:
        return ToolResult(content="No background processes in this session.")
    return ToolResult(content="\n".join(status_line(s) for s in statuses), metadata={"count": len(statuses)})


def _new_output(backend: Any, process_id: str, ctx: ToolContext) -> str:
    """Output since the last poll or wait of this process (this session remembers where)."""
    offsets: dict[str, int] = ctx.state().setdefault("read_offsets", {})
    start = offsets.get(process_id, 0)
    text = _call(backend.read_log, process_id, offset=start)
    offsets[process_id] = start + len(text)
    return text


def _report(backend: Any, process_id: str, ctx: ToolContext, extra: str = "") -> ToolResult:
    status = _call(backend.poll, process_id)
    fresh = _new_output(backend, process_id, ctx)
    parts = [status_line(status) + extra]
    parts.append("--- new output ---\n" + preview(fresh.rstrip("\n")) if fresh.strip() else "(no new output)")
    return ToolResult(content="\n".join(parts), metadata={k: status.get(k) for k in ("running", "exit_code", "status")})


def _poll(backend: Any, process_id: str, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
    return _report(backend, process_id, ctx)


def _log(backend: Any, process_id: str, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
    offset, limit = args.get("offset"), args.get("limit")
    if offset is not None and (isinstance(offset, bool) or not isinstance(offset, int)):
        raise ToolError("offset must be a line number")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0):
        raise ToolError("limit must be a positive number of lines")
    full = _call(backend.read_log, process_id)
    text, first, last, total = log_slice(full, offset, limit or 200)
    if total == 0:
        return ToolResult(content=f"{process_id}: no output yet")
    header = f"{process_id}: lines {first + 1}-{last} of {total}" if last > first else f"{process_id}: no lines there ({total} in all)"
    return ToolResult(content=f"{header}\n{text}" if text else header, metadata={"total_lines": total})


def _wait(backend: Any, process_id: str, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
    wanted = _seconds(args, "timeout") or WAIT_DEFAULT
    limit = min(wanted, WAIT_MAX)
    deadline = time.monotonic() + limit
    while _call(backend.poll, process_id).get("running"):
        if ctx.cancelled.is_set():
            return _report(backend, process_id, ctx, " (stopped waiting: interrupted)")
        if time.monotonic() >= deadline:
            clamped = f"; waits are capped at {WAIT_MAX:g}s" if wanted > WAIT_MAX else ""
            return _report(backend, process_id, ctx, f" (still running after waiting {limit:g}s{clamped})")
        time.sleep(_WAIT_STEP)
    return _report(backend, process_id, ctx)


def _write(backend: Any, process_id: str, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
    data = args.get("data")
    if not isinstance(data, str) or (args["action"] == "write" and not data):
        raise ToolError(f"process(action='{args['action']}') needs data: the text to send to its stdin")
    if args["action"] == "submit":
        data += "\n"
    _call(backend.write_stdin, process_id, data)
    return ToolResult(content=f"Sent {len(data)} characters to {process_id}'s stdin.")


def _kill(backend: Any, process_id: str, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
    _call(backend.kill, process_id)
    return _report(backend, process_id, ctx)
