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
        "command": {"type": "string", "description": "bash command"},
        "timeout": {"type": "number", "description": "seconds before it is killed"},
        "workdir": {"type": "string", "description": "directory for this call only"},
        "background": {
            "type": "boolean",
            "description": "return at once; manage it with process",
        },
    },
    "required": ["command"],
}

PROCESS_SCHEMA = {
    "type": "object",
    "properties": {
        "action": {"type": "string", "enum": ["list", "poll", "log", "wait", "write", "submit", "kill"]},
        "session_id": {"type": "string", "description": "id from terminal(background=true)"},
        "data": {"type": "string", "description": "stdin text (submit adds Enter)"},
        "timeout": {"type": "number", "description": "wait: max seconds (60)"},
        "offset": {"type": "integer", "description": "log: first line (negative: from end)"},
        "limit": {"type": "integer", "description": "log: lines (200)"},
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
            "Run a command in this session's persistent shell (cd, exports and aliases carry over; "
            "stdout+stderr merged). Non-interactive: pass -y, avoid pagers and editors. "
            "background=true for servers and long jobs."
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
            "Background processes from terminal(background=true): list, poll (status, new output), "
            "log, wait, write/submit stdin, kill."
        ),
        parameters=PROCESS_SCHEMA,
        handler=_process,
        toolset="terminal",
        progress_arg="action",
    )


@hookimpl
def hermes_toolsets():
    yield ToolsetSpec(name="terminal", description="shell commands and background processes on the terminal backend")
