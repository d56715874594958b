"""The approval gate: what happens when a tool call needs the user's yes.

A call reaches the gate with an ``ask`` decision (from a command scanner or a
``hermes_before_tool_call`` hook). The gate allows it when approvals are off, when the
same approval key was granted for this session, or when ``approvals.allow`` in config
lists the key or a glob pattern matching the command. Otherwise an interactive session
asks the user (once / this session / always / deny) and a non-interactive one follows
``approvals.non_interactive`` (deny by default). "Always" is written to config.
"""

from __future__ import annotations

import asyncio
import fnmatch
from typing import TYPE_CHECKING

from ..context import ApprovalRequest

if TYPE_CHECKING:
    from ..context import SessionInfo
    from ..host import Host


def matches_any(command: str | None, key: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        if pattern == key:
            return True
        if command is not None and fnmatch.fnmatchcase(command.strip(), pattern):
            return True
    return False


class ApprovalGate:
    """Per-session approval memory on top of the config's allow and deny lists."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.session_keys: set[str] = set()
        self._lock = asyncio.Lock()

    def denied_by_config(self, command: str | None, key: str) -> bool:
        return matches_any(command, key, self.host.config.approvals.deny)

    async def check(self, session: SessionInfo, request: ApprovalRequest, command: str | None) -> tuple[bool, str]:
        """(allowed, explanation)."""
        cfg = self.host.config.approvals
        if cfg.mode == "off":
            return True, "approvals are off"
        if request.key in self.session_keys:
            return True, "approved earlier in this session"
        if matches_any(command, request.key, cfg.allow):
            return True, "allowed by approvals.allow"
        if not session.interaction.interactive:
            if cfg.non_interactive == "allow":
                return True, "allowed: approvals.non_interactive is allow"
            return False, (
                f"needs the user's approval ({request.reason}), and nobody can approve in this "
                "non-interactive run; it was not executed"
            )
        async with self._lock:  # one question at a time, even for parallel calls
            if request.key in self.session_keys:
                return True, "approved earlier in this session"
            answer = await asyncio.to_thread(session.interaction.approve, request)
        if answer == "deny":
            return False, "the user denied it"
        if answer in ("session", "always"):
            self.session_keys.add(request.key)
        if answer == "always":
            self._persist(request.key)
        return True, f"approved by the user ({answer})"

    def _persist(self, key: str) -> None:
        from ..config import read_yaml, set_path, write_yaml_atomic

        path = self.host.layout.config_file
        data = read_yaml(path)
        current = list(((data.get("approvals") or {}).get("allow")) or [])
        if key not in current:
            current.append(key)
            set_path(data, "approvals.allow", current)
            write_yaml_atomic(path, data)
        if key not in self.host.config.approvals.allow:
            self.host.config.approvals.allow.append(key)
