"""Putting a skill into a conversation, and keeping it there.

``skill_view`` returns the skill's instructions as its tool result, so the model reads
them in its very next step. A tool result cannot be pinned (compression must keep tool
calls and results together), so the plugin remembers which call loaded which skill; if
compression drops that result, the instructions come back as a message marked
``meta={"skill": name}``, which the compressor keeps verbatim from then on. ``/<skill>``
in chat adds that pinned message directly.

Per session (``session.state("skills")``): ``loaded`` maps each skill to the tool call
that loaded it; ``turn`` tracks skills loaded in the current turn and whether a tool call
failed after them (for usage counts and the nudge to patch a skill whose steps failed).
"""

from __future__ import annotations


from typing import Any

from hermes_core.types import Message, ToolResult

from . import frontmatter
from .catalog import Catalog
from .fsutil import is_within
from .locations import home_skills_dir
from .model import Skill
from .usage import UsageStore

STATE = "skills"
MAX_LISTED_FILES = 40


def state(session: Any) -> dict[str, Any]:
    """This plugin's per-session state, with its keys in place."""
    data = session.state(STATE)
    data.setdefault("loaded", {})
    data.setdefault("turn", {})
    return data


def skill_files(skill: Skill, limit: int = MAX_LISTED_FILES) -> tuple[list[str], int]:
    """The skill's files other than SKILL.md (relative paths, at most ``limit``) and how
    many there are in all."""
    files: list[str] = []
    total = 0
    try:
        for path in sorted(skill.path.rglob("*")):
            if not path.is_file() or path.name in ("SKILL.md", "skill.md") and path.parent == skill.path:
                continue
            relative = path.relative_to(skill.path)
            if any(part.startswith(".") for part in relative.parts):
                continue
            total += 1
            if len(files) < limit:
                files.append(relative.as_posix())
    except OSError:
        pass
    return files, total


def _bounded(text: str, limit: int, what: str) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n\n[... {what} cut at {limit:,} of {len(text):,} characters]"


def render_skill(host: Any, skill: Skill, *, max_chars: int, session: Any = None) -> str:
    """The text that brings a skill into a conversation: a short header and the body."""
    try:
        raw = skill.skill_md.read_text(encoding="utf-8", errors="replace")
        _, body, _ = frontmatter.read_skill_text(raw)
    except (OSError, frontmatter.FrontmatterError) as exc:
        raise LookupError(f"cannot read the skill '{skill.name}': {exc}") from None
    if not skill.trusted:
        body = host.guard_text(body, "skill", source=f"skill:{skill.name}", session=session)
    files, total = skill_files(skill)
    lines = [f'<skill name="{skill.name}" source="{skill.source}" folder="{skill.path}">',
             f"Description: {skill.description}"]
    if skill.compatibility:
        lines.append(f"Compatibility: {skill.compatibility}")
    if skill.allowed_tools:
        lines.append(f"Allowed tools: {skill.allowed_tools}")
    related = skill.hermes("related-skills") or skill.hermes("related_skills")
    if related:
        lines.append(f"Related skills: {related}")
    if files:
        more = f" (and {total - len(files)} more)" if total > len(files) else ""
        lines.append(f"Files{more}: {', '.join(files)} - read one with skill_view(name=\"{skill.name}\", "
                     "file_path=...); run scripts from the folder above.")
    lines.append("")
    lines.append(_bounded(body.strip(), max_chars, "the skill"))
    lines.append("</skill>")
    return "\n".join(lines)


def render_file(host: Any, skill: Skill, file_path: str, *, max_chars: int, session: Any = None) -> str:
    """One file of a skill, bounded; refuses paths leaving the skill folder and binaries."""
    from pathlib import PurePosixPath

    pure = PurePosixPath(file_path.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise LookupError(f"file_path '{file_path}' must be relative to the skill folder, without '..'")
    target = skill.path.joinpath(*pure.parts)
    if not is_within(target, skill.path):
        raise LookupError(f"file_path '{file_path}' leaves the skill folder")
    if not target.is_file():
        files, _ = skill_files(skill)
        listing = ", ".join(files) or "none"
        raise LookupError(f"'{skill.name}' has no file '{file_path}' (its files: {listing})")
    with target.open("rb") as handle:
        head = handle.read(max_chars * 4 + 1)
    size = target.stat().st_size
    if b"\x00" in head[:8192]:
        raise LookupError(f"'{file_path}' is a binary file ({size:,} bytes); it cannot be shown as text")
    text = head.decode("utf-8", errors="replace")
    if not skill.trusted:
        text = host.guard_text(text, "skill", source=f"skill:{skill.name}/{pure.as_posix()}", session=session)
    if len(text) > max_chars or size > len(head):
        text = text[:max_chars] + f"\n\n[... {file_path} cut at {max_chars:,} characters of {size:,} bytes]"
    return f'<skill-file skill="{skill.name}" path="{pure.as_posix()}">\n{text}\n</skill-file>'


def note_loaded(session: Any, skill: Skill, *, call_id: str | None) -> None:
    """Remember that ``skill`` entered the conversation (and count it)."""
    data = state(session)
    data["loaded"][skill.name] = {"call_id": call_id}
    if session.origin == "review":
        return  # a review reading a skill to improve it is not a use of the skill
    data["turn"].setdefault(skill.name, {"failed": 0, "hinted": False})
    UsageStore(home_skills_dir(session.host.home)).record(skill.name, "loaded")


def pinned_message(text: str, name: str, why: str) -> Message:
    """A user-role message carrying a skill, kept verbatim by compression."""
    return Message(role="user", content=f"[hermes: {why}]\n\n{text}", meta={"skill": name})


def restore_after_compress(session: Any, dropped: list[Message], catalog: Catalog, max_chars: int) -> list[str]:
    """Bring back skills whose ``skill_view`` result compression just dropped; return
    their names."""
    data = state(session)
    dropped_ids = {m.tool_call_id for m in dropped if m.role == "tool" and m.tool_call_id}
    restored = []
    for name, info in list(data["loaded"].items()):
        if info.get("call_id") not in dropped_ids:
            continue
        skill = catalog.get(name)
        if skill is None:
            continue
        try:
            text = render_skill(session.host, skill, max_chars=max_chars, session=session)
        except LookupError:
            continue
        session.add_message(pinned_message(
            text, name, f"the skill '{name}' was loaded earlier in this session; it is kept here through context "
            "compression"))
        data["loaded"][name] = {"call_id": None, "pinned": True}
        restored.append(name)
    return restored


def on_tool_result(session: Any, tool_name: str, result: ToolResult) -> ToolResult | None:
    """After a failing tool call in a turn that loaded a skill: count the failure and, once
    per skill and turn, remind the model to fix the skill if its steps were wrong."""
    if not result.is_error or tool_name in ("skill_view", "skill_manage", "skills_list", "skills_search"):
        return None
    data = state(session)
    hints = []
    for name, info in list(data["turn"].items()):  # skill_view may add one from a worker thread
        info["failed"] += 1
        if not info["hinted"]:
            info["hinted"] = True
            hints.append(name)
    if not hints:
        return None
    names = ", ".join(f"'{n}'" for n in hints)
    note = (f"\n\n[hermes: this failed while you were following the skill {names}. Once you find what works, fix the "
            "skill with skill_manage(action='patch') so the next run does not hit the same problem.]")
    return result.model_copy(update={"content": result.content + note})


def finish_turn(session: Any) -> dict[str, int]:
    """At turn end: count each skill loaded this turn as succeeded or failed; return
    ``{name: failed calls}`` and reset the turn's tracking."""
    data = state(session)
    outcome = {name: int(info.get("failed", 0)) for name, info in data["turn"].items()}
    data["turn"] = {}
    if outcome:
        usage = UsageStore(home_skills_dir(session.host.home))
        for name, failed in outcome.items():
            usage.record(name, "failed" if failed else "succeeded")
    return outcome


