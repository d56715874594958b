"""The stable system prompt, built once per session in tiers.

Order: identity (``SOUL.md``) 10, tool guidance 20, plugin sections (the skills index is
30), context files from the working directory 40, the memory snapshot 50, then date and
model 90. It is frozen for the session so provider prefix caches stay warm; anything that
changes per turn goes into the user turn instead.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..types import PromptSection, ToolSpec

if TYPE_CHECKING:
    from ..context import SessionInfo
    from ..host import Host

DEFAULT_SOUL = """\
You are Hermes, a capable and candid AI agent running on the user's own machine.
You help by doing: you use your tools to inspect, run, change and verify things rather than
guessing, and you say plainly what you did, what you found and what you are unsure of.
Be concise. Prefer small, reversible steps; ask before anything destructive or irreversible.
"""

CONTEXT_FILE_NAMES = ("AGENTS.md", ".hermes.md", "HERMES.md")
MAX_CONTEXT_FILE_CHARS = 20_000
MAX_CONTEXT_FILES = 6


def ensure_soul(home: Path) -> Path:
    """``$HERMES_HOME/SOUL.md``, created with the default identity if missing."""
    path = home / "SOUL.md"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="utf-8") as handle:
                handle.write(DEFAULT_SOUL)
        except FileExistsError:
            pass
    return path


def find_context_files(cwd: Path) -> list[Path]:
    """Context files from the project root down to ``cwd`` (the nearest comes last).

    The search stops at the first folder holding ``.git`` (the project root), or after a
    few levels when there is none.
    """
    folders: list[Path] = []
    for folder in [cwd, *cwd.parents][:8]:
        folders.append(folder)
        if (folder / ".git").exists():
            break
    else:
        folders = folders[:1]
    found: list[Path] = []
    for folder in reversed(folders):
        for name in CONTEXT_FILE_NAMES:
            candidate = folder / name
            if candidate.is_file():
                found.append(candidate)
    return found[-MAX_CONTEXT_FILES:]


def _tool_guidance(tools: list[ToolSpec]) -> str:
    if not tools:
        return ""
    names = {t.name for t in tools}
    lines = [
        "# Tools",
        "Use tools to act and to check facts; don't claim results you have not seen. "
        "Independent read-only calls can go in one turn. If a tool returns an error, read it and fix the call.",
    ]
    if "terminal" in names:
        lines.append("Shell state (cwd, env) persists between `terminal` calls; use `background` for servers.")
    if names & {"read_file", "patch"}:
        lines.append("Read a file before editing it; prefer `patch` for small edits over rewriting files.")
    if "clarify" in names:
        lines.append("Use `clarify` only when you cannot proceed without the user's answer.")
    return "\n".join(lines)


def _read_limited(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"[could not read {path.name}: {exc.strerror}]"
    if len(text) > MAX_CONTEXT_FILE_CHARS:
        text = text[:MAX_CONTEXT_FILE_CHARS] + f"\n[... {path.name} truncated at {MAX_CONTEXT_FILE_CHARS} characters]"
    return text


async def build_system_prompt(
    host: Host,
    session: SessionInfo,
    tools: list[ToolSpec],
    memory_sections: list[PromptSection],
) -> str:
    """Assemble the tiers into one system prompt string."""
    sections: list[PromptSection] = []
    soul = ensure_soul(host.home)
    identity = host.guard_text(_read_limited(soul).strip() or DEFAULT_SOUL, "context_file", source="SOUL.md", session=session)
    sections.append(PromptSection(name="identity", text=identity, order=10, source="kernel"))
    guidance = _tool_guidance(tools)
    if guidance:
        sections.append(PromptSection(name="tools", text=guidance, order=20, source="kernel"))
    sections.extend(await host.hooks.system_prompt(session))
    for path in find_context_files(session.cwd):
        text = host.guard_text(_read_limited(path), "context_file", source=str(path), session=session)
        sections.append(
            PromptSection(name=f"context:{path.name}", text=f"# Project context: {path}\n{text.strip()}", order=40, source="kernel")
        )
    sections.extend(memory_sections)
    sections.append(
        PromptSection(
            name="environment",
            text=(
                f"Current date: {time.strftime('%Y-%m-%d (%A)')}. Model: {session.provider}:{session.model}. "
                f"Working directory: {session.cwd}. Platform: {session.platform}."
            ),
            order=90,
            source="kernel",
        )
    )
    sections.sort(key=lambda s: s.order)
    return "\n\n".join(s.text.strip() for s in sections if s.text and s.text.strip())
