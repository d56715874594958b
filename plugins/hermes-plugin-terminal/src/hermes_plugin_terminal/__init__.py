"""hermes tools ``terminal`` and ``process`` (toolset ``terminal``).

``terminal`` runs a command in the session's persistent shell, on whichever backend
``terminal.backend`` names (local, sandbox, ssh, docker, ...); ``process`` manages the
commands it started in the background. The names and arguments follow Hermes Agent's, so
models tuned on it call them unchanged.

This entry module imports only ``hermes_core`` and the standard library.
"""

from __future__ import annotations

from hermes_core import ToolSpec, ToolsetSpec, hookimpl

__all__ = ["PROCESS_SCHEMA", "TERMINAL_SCHEMA", "hermes_tools", "hermes_toolsets"]

TERMINAL_SCHEMA = {
    "type": "object",
    "properties": {
        "command": {"type": "string", "description": "The shell command to run (bash)."},
        "timeout": {"type": "number", "description": "Seconds before the command is killed (default: terminal.timeout)."},
        "workdir": {"type": "string", "description": "Run in this directory for this call only."},
        "background": {
            "type": "boolean",
            "description": "Start it in the background and return its session_id at once (servers, watchers, long jobs).",
        },
    },
    "required": ["command"],
}

PROCESS_SCHEMA = {
    "type": "object",
    "properties": {
        "action": {"type": "string", "enum": ["list", "poll", "log", "wait", "write", "submit", "kill"]},
        "session_id": {"type": "string", "description": "The id terminal(background=true) returned."},
        "id": {"type": "string", "description": "Same as session_id."},
        "data": {"type": "string", "description": "write: text for its stdin; submit: a line (Enter is added)."},
        "timeout": {"type": "number", "description": "wait: seconds to wait at most (default 60)."},
        "offset": {"type": "integer", "description": "log: first line (0-based; negative counts from the end)."},
        "limit": {"type": "integer", "description": "log: number of lines (default 200)."},
    },
    "required": ["action"],
}


def _terminal(args, ctx):  # noqa: ANN001, ANN202 - the kernel's tool handler signature
    from .tools import terminal

    return terminal(args, ctx)


def _process(args, ctx):  # noqa: ANN001, ANN202
    from .tools import process

    return process(args, ctx)


@hookimpl
def hermes_tools():
    yield ToolSpec(
        name="terminal",
        description=(
            "Run a shell command in this session's persistent shell: cd, exported variables, "
            "aliases and functions carry over between calls. stdout and stderr are merged; long "
            "output keeps its start and end. Non-interactive (stdin is empty): pass -y flags, "
            "avoid pagers and editors. Use background=true for servers or jobs that outlive a "
            "call, then the process tool."
        ),
        parameters=TERMINAL_SCHEMA,
        handler=_terminal,
        toolset="terminal",
        command_arg="command",
        progress_arg="command",
    )
    yield ToolSpec(
        name="process",
        description=(
            "Manage background processes started with terminal(background=true): list them; poll "
            "one (status and new output); log (its output by lines); wait for it to end; write or "
            "submit input to its stdin; kill it and everything it started."
        ),
        parameters=PROCESS_SCHEMA,
        handler=_process,
        toolset="terminal",
        progress_arg="action",
    )


@hookimpl
def hermes_toolsets():
    yield ToolsetSpec(name="terminal", description="shell commands and background processes on the terminal backend")
