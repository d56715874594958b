"""The ``memory`` tool: add, replace and remove entries of MEMORY.md and USER.md.

A call passes, in order: the built-in provider being enabled, the write policy for the
session's origin (subagents and scheduled jobs need opting in), the ``memory`` scanners
(a BLOCK verdict refuses the write and says why), then the locked write. Entries pushed
out go to the archive and, when a session store is configured, into its index.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from pydantic import ValidationError

from hermes_core.errors import ConfigError, ToolError
from hermes_core.types import ToolResult, Verdict

from .archive_sessions import index_archived
from .config import BuiltinMemorySettings
from .operations import MemoryOperation
from .store import MemoryStore

log = logging.getLogger("hermes.memory.builtin")

SECTION = "memory.builtin"

_POLICY_KEYS = {"subagent": "memory.allow_subagent_writes", "cron": "memory.allow_cron_writes"}


def _settings(host: Any) -> BuiltinMemorySettings:
    try:
        settings = host.plugin_config(SECTION)
    except ConfigError as exc:
        raise ToolError(f"memory is misconfigured: {exc}. Fix it with `hermes config` and try again.") from None
    return settings if isinstance(settings, BuiltinMemorySettings) else BuiltinMemorySettings.model_validate(settings)


def _check_allowed(host: Any, origin: str) -> None:
    if "builtin" not in host.config.memory.providers:
        raise ToolError(
            "the built-in memory is turned off: 'builtin' is not in memory.providers in config.yaml "
            "(add it with `hermes config set memory.providers builtin,...`). Nothing was saved."
        )
    if not host.memory.writes_allowed(origin):
        key = _POLICY_KEYS.get(origin, "memory")
        raise ToolError(
            f"memory writes from a {origin} run are turned off by policy ({key} is false in config.yaml). "
            "Nothing was saved; put the fact in your final answer so the main session can save it."
        )


def _blocked(text: str, ctx: Any) -> tuple[str | None, str]:
    """(why the scanners block ``text`` or None, the text to store after any rewrite)."""
    result = ctx.scan(text, "memory", source="memory tool")
    if Verdict(result.verdict) == Verdict.BLOCK:
        reasons = sorted({f.message for f in result.findings if Verdict(f.verdict) == Verdict.BLOCK}) or [
            "flagged as unsafe"
        ]
        return "; ".join(reasons), text
    return None, result.text if result.text is not None else text


async def handle_memory(args: dict[str, Any], ctx: Any) -> ToolResult:
    """Run one ``memory`` call for the session's user."""
    session = ctx.session
    host = ctx.host
    _check_allowed(host, session.origin)
    try:
        op = MemoryOperation.model_validate({k: v for k, v in args.items() if v is not None})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'arguments'}: {e['msg']}" for e in exc.errors())
        raise ToolError(f"invalid memory call: {problems}") from None
    settings = _settings(host)
    if op.action in ("add", "replace") and op.content:
        reason, cleaned = await asyncio.to_thread(_blocked, op.content, ctx)
        if reason is not None:
            return _result({
                "success": False,
                "target": op.target,
                "action": op.action,
                "message": f"Refused by the security scanner: {reason}. Nothing was saved. "
                           "Memory is read into future system prompts, so it must not carry instructions "
                           "or secrets; save the plain fact only.",
            }, is_error=True)
        op = op.model_copy(update={"content": cleaned})
    store = MemoryStore(host.home, settings)
    outcome = await asyncio.to_thread(store.apply, session.user_id, op, session_id=session.id)
    result = outcome.to_result()
    if outcome.archived and settings.archive_to_sessions:
        sessions = host.session_store()
        if sessions is not None:
            try:
                await index_archived(sessions, session.user_id, outcome.archived)
            except Exception as exc:  # the archive file already holds the entry
                log.warning("could not index archived memory in the session store: %s", exc)
                result["note"] = "archived in ARCHIVE.jsonl; the session store could not index it"
    # A duplicate is a refusal with nothing to fix, so it is not reported as an error.
    return _result(result, is_error=not outcome.ok and outcome.kind != "duplicate")


def _result(payload: dict[str, Any], *, is_error: bool) -> ToolResult:
    return ToolResult(content=json.dumps(payload, ensure_ascii=False), is_error=is_error)
