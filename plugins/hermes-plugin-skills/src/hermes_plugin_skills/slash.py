"""``/<skill-name> [request]`` in chat: load a skill into the conversation."""

from __future__ import annotations

from typing import Any

from . import loading
from .catalog import session_catalog
from .config import settings_of


def handle(session: Any, name: str, args: str, ctx: Any) -> str | None:
    """Load skill ``name`` (None when no skill has that name, so other handlers run)."""
    catalog = session_catalog(session)
    skill = catalog.get(name)
    if skill is None:
        return None
    try:
        text = loading.render_skill(session.host, skill, max_chars=settings_of(session.host).view_max_chars,
                                    session=session)
    except LookupError as exc:
        return f"cannot load /{name}: {exc}"
    why = f"the user loaded the skill '{name}' with /{name}; follow it for their request"
    try:
        session.add_message(loading.pinned_message(text, name, why))
    except RuntimeError as exc:
        return f"cannot load /{name}: {exc}"
    loading.note_loaded(session, skill, call_id=None)
    if args.strip():
        ctx.submit(args.strip())
        return f"loaded skill '{name}'"
    return f"loaded skill '{name}' into the conversation; now say what you need"
