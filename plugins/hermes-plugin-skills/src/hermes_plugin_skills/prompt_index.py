"""The skills section of the system prompt: a bounded index of name and description.

With a handful of skills installed every one is listed. With many, the index keeps to its
budget (``skills.index_max_skills`` entries and ``skills.index_max_chars`` characters):
it lists the skills most relevant to this session, ranked by full text against the first
request and the working directory (its name and the names of the files in it), topped up
with the most used; the rest are one ``skills_search`` away. So 1,000 installed skills
cost no more prompt than 50.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hermes_core.types import PromptSection

from . import ranking
from .catalog import Catalog
from .config import SkillsConfig
from .locations import home_skills_dir
from .model import split_list
from .usage import UsageStore

ORDER = 30
MAX_CWD_ENTRIES = 60
_GUIDANCE_LOAD = (
    "Skills are saved instructions for recurring tasks. Before you start a task, check the list below; when a "
    "skill matches, load it with skill_view(name) and follow it."
)
_GUIDANCE_SEARCH = "More skills are installed than listed: find them with skills_search(query)."
_GUIDANCE_SAVE = (
    "After a task that took several steps or some trial and error, save the working approach with "
    "skill_manage(action='create'). If a skill you followed was wrong or incomplete, fix it with "
    "skill_manage(action='patch') before you finish."
)


def cwd_text(cwd: Path) -> str:
    """The working directory's name and the names of the files in it (as query text)."""
    parts = [cwd.name]
    try:
        with os.scandir(cwd) as entries:
            for number, entry in enumerate(entries):
                if number >= MAX_CWD_ENTRIES:
                    break
                if not entry.name.startswith("."):
                    parts.append(entry.name.replace(".", " "))
    except OSError:
        pass
    return " ".join(parts)


def rank_for_session(catalog: Catalog, first_message: str, cwd: Path, usage: dict[str, Any]) -> list[str]:
    """Every skill name, most relevant to the session first: full-text matches against the
    request (and, weaker, the working directory), then the most used, then by name."""
    query = ranking.query_terms((first_message or "", 1.0), (cwd_text(cwd), 0.3))
    scores = catalog.index.scores(query) if query else {}

    def key(name: str) -> tuple[float, float, float, str]:
        used = usage.get(name)
        loads = float(used.loaded) if used else 0.0
        last = float(used.last_used or 0.0) if used else 0.0
        return (-scores.get(name, 0.0), -loads, -last, name)

    return sorted(catalog.skills, key=key)


def _line(name: str, description: str, limit: int) -> str:
    text = " ".join(description.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"- {name}: {text}"


def build_index(host: Any, catalog: Catalog, settings: SkillsConfig, *, first_message: str, cwd: Path,
                tool_names: set[str], session: Any = None) -> tuple[str, list[str]]:
    """The section text and the skill names it lists ("" when there is nothing to show)."""
    if not catalog.skills or settings.index_max_skills == 0 or "skill_view" not in tool_names:
        return "", []
    usage = UsageStore(home_skills_dir(host.home)).read()
    ranked = rank_for_session(catalog, first_message, cwd, usage)
    header = ["# Skills", _GUIDANCE_LOAD]
    if "skill_manage" in tool_names:
        header.append(_GUIDANCE_SAVE)
    bounded = len(ranked) > settings.index_max_skills
    footer_search = _GUIDANCE_SEARCH if "skills_search" in tool_names else (
        "More skills are installed than listed: see skills_list.")
    budget = settings.index_max_chars - sum(len(h) + 1 for h in header) - len(footer_search) - 40
    lines: list[str] = []
    listed: list[str] = []
    for name in ranked:
        if len(listed) >= settings.index_max_skills:
            break
        skill = catalog.skills[name]
        if set(split_list(skill.hermes("requires-tools"))) - tool_names:
            continue  # it needs a tool this session lacks; skills_search still finds it
        description = skill.description
        if not skill.trusted:
            description = host.guard_text(description, "skill", source=f"skill:{name}", session=session)
        line = _line(name, description, settings.index_description_chars)
        if len(line) + 1 > budget:
            bounded = True
            break
        budget -= len(line) + 1
        lines.append(line)
        listed.append(name)
    if not bounded:
        # Every skill fits: list them by name so the section is the same whatever was asked.
        order = sorted(range(len(listed)), key=lambda i: listed[i])
        lines = [lines[i] for i in order]
        listed = [listed[i] for i in order]
    text = "\n".join(header)
    if bounded:
        text += f"\n{footer_search} ({len(catalog.skills)} installed, the {len(listed)} most relevant listed)"
    text += "\n\n<available_skills>\n" + "\n".join(lines) + "\n</available_skills>"
    return text, listed


def section(session: Any, catalog: Catalog, settings: SkillsConfig) -> PromptSection | None:
    """The prompt section for a session starting now."""
    agent = session.agent
    tools = agent.tool_list if agent is not None else session.host.active_tools()
    names = {t.name for t in tools}
    text, _ = build_index(session.host, catalog, settings, first_message=session.first_message or "",
                               cwd=session.cwd, tool_names=names, session=session)
    if not text:
        return None
    return PromptSection(name="skills", text=text, order=ORDER)
