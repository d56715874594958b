"""``hermes skills curate``: archive agent-made skills nobody uses, flag near-duplicates.

Curation never deletes. Archived skills move to ``$HERMES_HOME/skills/.archive/`` (move
one back to restore it); near-duplicates are only reported, with the pair and their
similarity, for a person (or the agent, with ``skill_manage``) to merge.
"""

from __future__ import annotations

import time
from typing import Any, Literal

from pydantic import BaseModel

from . import ranking
from .catalog import Catalog
from .config import SkillsConfig
from .locations import home_skills_dir
from .usage import UsageStore
from .writer import archive_folder

DAY = 86_400.0
_TOP_TERMS = 12


class CurateAction(BaseModel):
    """One thing curation would do (``archive``) or points out (``duplicate``)."""

    kind: Literal["archive", "duplicate"]
    skills: list[str]
    reason: str
    similarity: float | None = None


def _last_activity(skill: Any, usage: Any) -> float:
    """When the skill was last used, else created, else its file's modification time."""
    times = [t for t in ((usage.last_used, usage.created_at) if usage else ()) if t]
    if times:
        return max(times)
    created = skill.hermes("created")
    if created:
        try:
            return time.mktime(time.strptime(created, "%Y-%m-%d"))
        except ValueError:
            pass
    try:
        return skill.skill_md.stat().st_mtime
    except OSError:
        return time.time()


def plan(host: Any, catalog: Catalog, settings: SkillsConfig, *, now: float | None = None) -> list[CurateAction]:
    """What curation would do, without doing it."""
    now = time.time() if now is None else now
    usage = UsageStore(home_skills_dir(host.home)).read()
    actions: list[CurateAction] = []
    cutoff = settings.curate_unused_days * DAY
    for skill in catalog.sorted():
        if not skill.agent_made:
            continue
        idle = now - _last_activity(skill, usage.get(skill.name))
        if idle >= cutoff:
            used = usage.get(skill.name)
            uses = f"used {used.loaded} time(s), last" if used and used.loaded else "never used;"
            actions.append(CurateAction(kind="archive", skills=[skill.name],
                                        reason=f"agent-made, {uses} active {idle / DAY:.0f} days ago "
                                               f"(limit {settings.curate_unused_days:g} days)"))
    actions.extend(duplicates(catalog, settings.curate_duplicate_threshold))
    return actions


def duplicates(catalog: Catalog, threshold: float) -> list[CurateAction]:
    """Pairs of skills (at least one agent-made) whose texts are at least ``threshold``
    similar. Candidates share one of each other's rarest terms, so 1,000 skills do not
    mean half a million comparisons."""
    index = catalog.index
    idf = index.idf
    top: dict[str, set[str]] = {}
    by_term: dict[str, set[str]] = {}
    for name, bag in catalog.terms.items():
        if name not in catalog.skills:
            continue
        best = sorted(bag, key=lambda t: -(bag[t] * idf.get(t, 0.0)))[:_TOP_TERMS]
        top[name] = set(best)
        for term in best:
            by_term.setdefault(term, set()).add(name)
    seen: set[tuple[str, str]] = set()
    found: list[CurateAction] = []
    for name in sorted(top):
        if not catalog.skills[name].agent_made:
            continue
        candidates = set().union(*(by_term[t] for t in top[name])) - {name}
        for other in sorted(candidates):
            pair = (min(name, other), max(name, other))
            if pair in seen:
                continue
            seen.add(pair)
            similarity = ranking.cosine(catalog.terms[name], catalog.terms[other], idf)
            if similarity >= threshold:
                found.append(CurateAction(kind="duplicate", skills=list(pair), similarity=round(similarity, 2),
                                          reason=f"{similarity:.0%} similar: merge one into the other "
                                                 "(skill_manage edit, then delete)"))
    return found


def apply(host: Any, catalog: Catalog, actions: list[CurateAction]) -> list[str]:
    """Carry out the archive actions; return a line per action taken."""
    home = home_skills_dir(host.home)
    done = []
    for action in actions:
        if action.kind != "archive":
            continue
        skill = catalog.get(action.skills[0])
        if skill is None or not skill.writable:
            continue
        target = archive_folder(home, skill.path, reason="unused")
        done.append(f"archived {skill.name} -> {target}")
    return done
