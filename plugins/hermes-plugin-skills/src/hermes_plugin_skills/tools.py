"""The model's skill tools: ``skills_list``, ``skill_view``, ``skills_search`` and
``skill_manage`` (names and arguments as in Hermes Agent)."""

from __future__ import annotations

import json
from typing import Any

from hermes_core.context import ToolContext
from hermes_core.errors import ToolError
from hermes_core.types import ToolSpec

from . import loading
from .catalog import session_catalog
from .config import settings_of
from .usage import UsageStore
from .locations import home_skills_dir
from .writer import SkillError, SkillWriter

TOOLSET = "skills"
LIST_LIMIT = 100


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def skills_list(args: dict[str, Any], ctx: ToolContext) -> str:
    """Every skill (name, description, category, source), optionally one category."""
    catalog = session_catalog(ctx.session)
    category = (args.get("category") or "").strip() or None
    skills = [s for s in catalog.sorted() if category is None or s.category == category]
    usage = UsageStore(home_skills_dir(ctx.hermes_home)).read()
    rows = []
    for skill in skills[:LIST_LIMIT]:
        row = {"name": skill.name, "description": _short(skill.description, 120), "source": skill.source}
        if skill.category:
            row["category"] = skill.category
        if skill.name in usage and usage[skill.name].loaded:
            row["uses"] = usage[skill.name].loaded
        rows.append(row)
    out: dict[str, Any] = {"count": len(skills), "skills": rows}
    if len(skills) > LIST_LIMIT:
        out["note"] = f"showing {LIST_LIMIT} of {len(skills)}; use skills_search(query) to find the one you need"
    categories = sorted({s.category for s in catalog.skills.values() if s.category})
    if categories and category is None:
        out["categories"] = categories
    if not skills:
        out["note"] = f"no skills in category '{category}'" if category else "no skills are installed yet"
    return _json(out)


def skills_search(args: dict[str, Any], ctx: ToolContext) -> str:
    """Full-text search over every skill's name, description, tags and instructions."""
    query = (args.get("query") or "").strip()
    if not query:
        raise ToolError("query is empty: describe the task, e.g. 'deploy a static site to S3'")
    limit = max(1, min(int(args.get("limit") or 8), 25))
    catalog = session_catalog(ctx.session)
    hits = catalog.search(query, limit)
    results = [{"name": s.name, "description": _short(s.description, 200), "score": round(score, 2), "source": s.source}
               for s, score in hits]
    out: dict[str, Any] = {"query": query, "results": results, "installed": len(catalog)}
    if not results:
        out["note"] = "no skill matches; try other words, or skills_list"
    return _json(out)


def skill_view(args: dict[str, Any], ctx: ToolContext) -> str:
    """A skill's instructions (loading it into the conversation), or one of its files."""
    name = (args.get("name") or "").strip()
    file_path = (args.get("file_path") or "").strip() or None
    catalog = session_catalog(ctx.session)
    skill = catalog.get(name)
    if skill is None:
        hits = [s.name for s, _ in catalog.search(name.replace("-", " "), 3)]
        hint = f" Did you mean: {', '.join(hits)}?" if hits else ""
        raise ToolError(f"no skill named '{name}'.{hint} Use skills_search(query) to find skills.")
    settings = settings_of(ctx.host)
    try:
        if file_path:
            return loading.render_file(ctx.host, skill, file_path, max_chars=settings.view_max_chars, session=ctx.session)
        text = loading.render_skill(ctx.host, skill, max_chars=settings.view_max_chars, session=ctx.session)
    except LookupError as exc:
        raise ToolError(str(exc)) from None
    loading.note_loaded(ctx.session, skill, call_id=ctx.call.id)
    return text


def skill_manage(args: dict[str, Any], ctx: ToolContext) -> str:
    """Create, change or delete agent-made skills (in ``$HERMES_HOME/skills``)."""
    action = args["action"]
    name = (args.get("name") or "").strip()
    writer = SkillWriter(ctx.host, session_catalog(ctx.session), session=ctx.session)

    def need(key: str) -> str:
        value = args.get(key)
        if value is None or (isinstance(value, str) and not value.strip() and key != "new_string"):
            raise ToolError(f"action '{action}' needs '{key}'")
        return value

    try:
        if not name:
            raise ToolError("'name' is required (the skill's name, like 'deploy-preview-app')")
        if action == "create":
            message = writer.create(name, need("content"), category=(args.get("category") or None))
        elif action == "edit":
            message = writer.edit(name, need("content"))
        elif action == "patch":
            message = writer.patch(name, need("old_string"), need("new_string"),
                                   replace_all=bool(args.get("replace_all")), file_path=args.get("file_path") or None)
        elif action == "delete":
            message = writer.delete(name)
        elif action == "write_file":
            message = writer.write_file(name, need("file_path"), need("file_content"))
        elif action == "remove_file":
            message = writer.remove_file(name, need("file_path"))
        else:  # the schema's enum stops this; kept for direct callers
            raise ToolError(f"unknown action '{action}'")
    except SkillError as exc:
        raise ToolError(str(exc)) from None
    return _json({"success": True, "action": action, "name": name, "message": message})


_MANAGE_DESCRIPTION = (
    "Your procedural memory. create a skill after a task that took several steps or a correction (content: "
    "SKILL.md with name/description front matter, steps, pitfalls); patch it (old_string -> new_string) as soon "
    "as its steps prove wrong; edit, delete, write_file/remove_file (references/, scripts/, assets/)."
)


def tool_specs() -> list[ToolSpec]:
    """The four skill tools."""
    return [
        ToolSpec(
            name="skills_list",
            description="List installed skills (name, description, category). Optionally only one category.",
            parameters={"type": "object", "properties": {
                "category": {"type": "string", "description": "only skills in this category"}}},
            handler=skills_list, toolset=TOOLSET, parallel_safe=True, max_result_chars=40_000,
        ),
        ToolSpec(
            name="skills_search",
            description="Find skills by meaning of the task (full-text over names, descriptions and instructions). "
                        "Use it when no skill in the system prompt's list fits.",
            parameters={"type": "object", "properties": {
                "query": {"type": "string", "description": "what you are trying to do"},
                "limit": {"type": "integer", "minimum": 1, "maximum": 25, "description": "results (default 8)"}},
                "required": ["query"]},
            handler=skills_search, toolset=TOOLSET, parallel_safe=True, progress_arg="query",
        ),
        ToolSpec(
            name="skill_view",
            description="Load a skill's instructions into the conversation, or read one of its files "
                        "(file_path, relative to the skill folder, e.g. references/api.md).",
            parameters={"type": "object", "properties": {
                "name": {"type": "string", "description": "the skill's name"},
                "file_path": {"type": "string", "description": "a file inside the skill to read instead"}},
                "required": ["name"]},
            handler=skill_view, toolset=TOOLSET, parallel_safe=True, progress_arg="name",
            max_result_chars=520_000,
        ),
        ToolSpec(
            name="skill_manage",
            description=_MANAGE_DESCRIPTION,
            parameters={"type": "object", "properties": {
                "action": {"type": "string", "enum": ["create", "patch", "edit", "delete", "write_file", "remove_file"]},
                "name": {"type": "string", "description": "lower-case-with-dashes"},
                "content": {"type": "string", "description": "full SKILL.md"},
                "category": {"type": "string"},
                "old_string": {"type": "string"},
                "new_string": {"type": "string"},
                "replace_all": {"type": "boolean"},
                "file_path": {"type": "string", "description": "file in the skill"},
                "file_content": {"type": "string"}},
                "required": ["action", "name"]},
            handler=skill_manage, toolset=TOOLSET, progress_arg="name",
        ),
    ]
