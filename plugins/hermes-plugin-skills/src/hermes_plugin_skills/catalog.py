"""Finding skills: every source folder, read leniently, cached, with clear precedence.

Sources, most preferred first when two skills share a name: ``$HERMES_HOME/skills``
(agent-made and installed skills, and local edits of other skills), the project's
``.hermes/skills`` and ``.agents/skills`` (only when the project is trusted), folders
plugins contribute through ``hermes_skill_dirs`` and last the bundled skills (which this
plugin contributes through the same hook).

Reading 1,000 SKILL.md files on every session start would cost most of a second, so the
parsed front matter and term bags are cached in ``$HERMES_HOME/cache/skills-catalog.json``
keyed on each file's modification time and size: a warm load only stats the files.
"""

from __future__ import annotations

import os
from stat import S_ISREG
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hermes_core.context import SessionInfo

from . import frontmatter, locations, ranking
from .fsutil import atomic_write_json, read_json
from .model import Problem, Skill, SkillRoot

CACHE_NAME = "skills-catalog.json"
_CACHE_VERSION = 4


class Catalog:
    """The skills visible to one session (or one CLI command)."""

    def __init__(self, roots: list[SkillRoot]) -> None:
        self.roots = roots
        self.skills: dict[str, Skill] = {}
        self.shadowed: list[Skill] = []
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.terms: dict[str, dict[str, float]] = {}
        #: What the catalog was built from (roots, disabled names, every SKILL.md's stamp).
        self.fingerprint: tuple[Any, ...] = ()
        self._index: ranking.SearchIndex | None = None

    def __len__(self) -> int:
        return len(self.skills)

    def __contains__(self, name: object) -> bool:
        return name in self.skills

    def get(self, name: str) -> Skill | None:
        """The skill called ``name``, or None."""
        return self.skills.get(name)

    def sorted(self) -> list[Skill]:
        """Every visible skill, by name."""
        return [self.skills[n] for n in sorted(self.skills)]

    @property
    def index(self) -> ranking.SearchIndex:
        """The BM25 index over every visible skill (built on first use)."""
        if self._index is None:
            self._index = ranking.SearchIndex({n: self.terms.get(n, {}) for n in self.skills})
        return self._index

    def search(self, query: str, limit: int = 10) -> list[tuple[Skill, float]]:
        """Skills matching ``query``, best first."""
        hits = self.index.search(ranking.query_terms((query, 1.0)), limit)
        return [(self.skills[name], score) for name, score in hits]


# ---------------------------------------------------------------------------------------
# Roots
# ---------------------------------------------------------------------------------------


def project_root(cwd: Path, home: Path) -> Path | None:
    """The project holding ``cwd``: the nearest folder with ``.hermes`` (not
    ``$HERMES_HOME``) or ``.agents/skills``, searching no higher than the git root."""
    from hermes_core._loader import find_project_root

    found = find_project_root(cwd, home)
    for folder in [cwd, *cwd.parents]:
        if found is not None and (folder == found or found in folder.parents):
            return found
        if (folder / ".agents" / "skills").is_dir():
            return folder
        if (folder / ".git").exists():
            break
    return found


def roots_for(host: Any, cwd: Path | None = None) -> tuple[list[SkillRoot], list[str]]:
    """Every skill folder for ``host`` (and ``cwd``), in precedence order, plus notes
    about folders left out (an untrusted project's skills)."""
    from hermes_core._loader import is_trusted

    notes: list[str] = []
    roots = [SkillRoot(path=locations.home_skills_dir(host.home), source="home", trusted=False)]
    project = project_root(Path(cwd or host.cwd), host.home)
    if project is not None:
        folders = [d for d in locations.project_skill_dirs(project) if d.is_dir()]
        if folders and is_trusted(project, host.config.projects.trusted):
            roots.extend(SkillRoot(path=d, source="project", trusted=False) for d in folders)
        elif folders:
            notes.append(
                f"skills in {', '.join(str(d) for d in folders)} were not loaded: the project {project} is not "
                f"trusted (add it with: hermes config set projects.trusted '[\"{project}\"]')"
            )
    for spec in host.skill_dirs():
        source = spec.source if spec.source in ("bundled",) else "plugin"
        roots.append(SkillRoot(path=spec.path, source=source, trusted=spec.trusted, plugin=spec.plugin))
    roots.sort(key=lambda r: r.rank)  # stable: keeps the order within a source
    return roots, notes


# ---------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------


def _skill_md(folder: str) -> tuple[str, os.stat_result] | None:
    """``(path, stat)`` of the folder's SKILL.md (or skill.md), or None."""
    for name in ("SKILL.md", "skill.md"):
        path = os.path.join(folder, name)
        try:
            stat = os.stat(path)
        except OSError:
            continue
        if S_ISREG(stat.st_mode):
            return path, stat
    return None


def _found(root: Path) -> Iterable[tuple[Path, str | None, str, os.stat_result]]:
    """``(skill folder, category, SKILL.md path, its stat)`` for ``<root>/<name>/`` and
    ``<root>/<category>/<name>/``. Names starting with a dot (the archive, staging and
    state files) are never skills. ``os.scandir`` keeps this to one stat per skill, which
    matters with a thousand of them."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") or not entry.is_dir():
            continue
        hit = _skill_md(entry.path)
        if hit is not None:
            yield Path(entry.path), None, hit[0], hit[1]
            continue
        try:
            children = sorted(os.scandir(entry.path), key=lambda e: e.name)
        except OSError:
            continue
        for child in children:
            if child.name.startswith(".") or not child.is_dir():
                continue
            hit = _skill_md(child.path)
            if hit is not None:
                yield Path(child.path), entry.name, hit[0], hit[1]


def _skill_files(root: Path) -> Iterable[tuple[Path, str | None]]:
    """``(skill folder, category)`` for every skill folder under ``root``."""
    for folder, category, _, _ in _found(root):
        yield folder, category


def parse_skill_file(skill_md: Path) -> dict[str, Any]:
    """Read one SKILL.md leniently into a cacheable dict: ``{"error": ...}`` when the skill
    cannot be used, else its front matter, warnings and term bag."""
    try:
        raw = skill_md.read_bytes()
    except OSError as exc:
        return {"error": f"cannot read {skill_md.name}: {exc.strerror or exc}"}
    text = raw.decode("utf-8", errors="replace")
    warnings = ["SKILL.md is not valid UTF-8; undecodable bytes were replaced"] if "\ufffd" in text else []
    try:
        front, body, more = frontmatter.read_skill_text(text)
    except frontmatter.FrontmatterError as exc:
        return {"error": str(exc)}
    warnings.extend(more)
    if not front.description:
        return {"error": "the front matter has no description, so the model could never know when to use it"}
    if not body.strip():
        warnings.append("the body is empty")
    folder = skill_md.parent.name
    name = front.name or folder
    if not front.name:
        warnings.append(f"no name in the front matter; using the folder name '{folder}'")
    else:
        warnings.extend(frontmatter.check_name(front.name, folder))
    tags = front.metadata.get("hermes.tags", "") + " " + front.metadata.get("hermes.category", "")
    terms = ranking.weighted_terms({"name": name.replace("-", " "), "description": front.description,
                                    "tags": tags, "body": body})
    return {"front": front.model_dump(), "name": name, "warnings": warnings, "terms": terms}


def load_catalog(host: Any, cwd: Path | None = None, *, use_cache: bool = True,
                 previous: Catalog | None = None) -> Catalog:
    """Every skill visible from ``cwd`` on ``host``. ``previous`` (a catalog loaded earlier
    in the same session) is returned as it is when no SKILL.md was added, removed or
    changed since, which saves re-reading the cache and rebuilding the search index."""
    roots, notes = roots_for(host, cwd)
    disabled = sorted(_disabled(host))
    found = [(root, *item) for root in roots for item in _found(root.path)]
    fingerprint = (tuple(str(r.path) for r in roots), tuple(disabled),
                   tuple((md, st.st_mtime_ns, st.st_size) for _, _, _, md, st in found))
    if previous is not None and previous.fingerprint == fingerprint:
        return previous
    catalog = Catalog(roots)
    catalog.fingerprint = fingerprint
    catalog.notes.extend(notes)
    cache_path = host.layout.cache_dir / CACHE_NAME
    cache = read_json(cache_path, {}) if use_cache else {}
    if not isinstance(cache, dict) or cache.get("version") != [_CACHE_VERSION, ranking.TOKENIZER_VERSION]:
        cache = {}
    entries: dict[str, Any] = cache.get("entries", {}) if isinstance(cache.get("entries"), dict) else {}
    fresh: dict[str, Any] = {}
    changed = False
    for root, folder, category, skill_md, stat in found:
        stamp = [stat.st_mtime_ns, stat.st_size]
        entry = entries.get(skill_md)
        if not (isinstance(entry, dict) and entry.get("stamp") == stamp):
            entry = {"stamp": stamp, **parse_skill_file(Path(skill_md))}
            changed = True
        fresh[skill_md] = entry
        if "error" in entry:
            catalog.problems.append(Problem(path=folder, source=root.source, message=entry["error"]))
            continue
        skill = _skill_from_entry(entry, folder, root, category)
        if skill.name in disabled:
            continue
        if skill.name in catalog.skills:
            winner = catalog.skills[skill.name]
            catalog.shadowed.append(skill.model_copy(update={"warnings": [
                *skill.warnings, f"shadowed by the {winner.source} skill of the same name at {winner.path}"]}))
            continue
        catalog.skills[skill.name] = skill
        catalog.terms[skill.name] = entry.get("terms", {})
    if use_cache and (changed or len(fresh) != len(entries)):
        try:
            atomic_write_json(cache_path, {"version": [_CACHE_VERSION, ranking.TOKENIZER_VERSION], "entries": fresh})
        except OSError:
            pass  # a read-only home only costs speed
    return catalog


def _skill_from_entry(entry: dict[str, Any], folder: Path, root: SkillRoot, category: str | None) -> Skill:
    front = entry["front"]
    metadata = dict(front.get("metadata") or {})
    # The entry was produced by parse_skill_file (now or when the cache was written, under
    # the same cache version), so building without validation is safe and 10x faster.
    return Skill.model_construct(
        name=entry["name"],
        description=front.get("description") or "",
        path=folder,
        source=root.source,
        trusted=root.trusted,
        category=category or metadata.get("hermes.category") or None,
        license=front.get("license"),
        compatibility=front.get("compatibility"),
        allowed_tools=front.get("allowed_tools"),
        metadata=metadata,
        warnings=list(entry.get("warnings", [])),
        plugin=root.plugin,
    )


def _disabled(host: Any) -> list[str]:
    from .config import settings_of

    return list(settings_of(host).disabled)


def session_catalog(session: SessionInfo) -> Catalog:
    """The catalog for a session: its host and working directory, reused within the
    session until a skill changes on disk."""
    data = session.state("skills")
    catalog = load_catalog(session.host, session.cwd, previous=data.get("catalog"))
    data["catalog"] = catalog
    return catalog
