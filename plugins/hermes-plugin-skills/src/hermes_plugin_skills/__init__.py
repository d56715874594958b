"""hermes skills: skills in the agentskills.io format, and the loop that learns them.

What this plugin adds to hermes:

* the tools ``skills_list``, ``skill_view``, ``skills_search`` and ``skill_manage``;
* a bounded skill index in the system prompt (order 30);
* the bundled skills (the repository's ``skills/`` folder) through ``hermes_skill_dirs``;
* the ``skills-guard`` scanner for the ``skill`` target (exfiltration, persistence,
  destructive commands, obfuscation);
* a background review after busy turns, usage counts, and a nudge to patch a skill
  whose steps failed;
* ``/<skill-name>`` in chat and the ``hermes skills`` command;
* the ``skills`` config section.

This entry module imports only ``hermes_core`` and the standard library; each hook
imports the module doing the work when it is first called.
"""

from __future__ import annotations

from typing import Any

from hermes_core import hookimpl
from hermes_core.types import (
    CommandSpec,
    ConfigSectionSpec,
    PromptSection,
    ScannerSpec,
    SkillDirSpec,
    ToolResult,
    ToolsetSpec,
    ToolSpec,
)

__all__ = [
    "hermes_after_compress",
    "hermes_cli_commands",
    "hermes_config_sections",
    "hermes_scanners",
    "hermes_session_end",
    "hermes_skill_dirs",
    "hermes_slash_command",
    "hermes_system_prompt",
    "hermes_tools",
    "hermes_toolsets",
    "hermes_transform_tool_result",
    "hermes_turn_end",
]


# -- registries ---------------------------------------------------------------------------


@hookimpl
def hermes_tools() -> list[ToolSpec]:
    """``skills_list``, ``skill_view``, ``skills_search``, ``skill_manage``."""
    from .tools import tool_specs

    return tool_specs()


@hookimpl
def hermes_toolsets() -> ToolsetSpec:
    """The ``skills`` toolset."""
    return ToolsetSpec(name="skills", description="Find, load, create and improve skills (agentskills.io format)")


def _guard_factory() -> Any:
    from .guard import SkillGuard

    return SkillGuard()


@hookimpl
def hermes_scanners() -> ScannerSpec:
    """The skill guard, for skill content on create, install and load."""
    return ScannerSpec(
        name="skills-guard",
        description="exfiltration, persistence, destructive-command and obfuscation patterns in skills",
        factory=_guard_factory,
        targets=frozenset({"skill"}),
        order=60,
    )


@hookimpl
def hermes_skill_dirs() -> list[SkillDirSpec]:
    """The bundled skills (shipped in the wheel, or the repository folder when editable)."""
    from .locations import bundled_skills_dir

    folder = bundled_skills_dir()
    return [SkillDirSpec(path=folder, source="bundled", trusted=True)] if folder is not None else []


@hookimpl
def hermes_config_sections() -> ConfigSectionSpec:
    """The ``skills`` section."""
    from .config import SkillsConfig

    return ConfigSectionSpec(name="skills", description="skill index, review loop, curation and trust",
                             model=SkillsConfig)


def _cli_factory() -> Any:
    from .cli import skills

    return skills


@hookimpl
def hermes_cli_commands() -> CommandSpec:
    """``hermes skills ...`` (click is imported only when the command runs)."""
    return CommandSpec(name="skills", description="List, show, validate, install, search and curate skills.",
                       factory=_cli_factory)


# -- lifecycle ----------------------------------------------------------------------------


@hookimpl
def hermes_system_prompt(session: Any) -> PromptSection | None:
    """The skill index (bounded; ranked for this session when there are many skills)."""
    from .catalog import session_catalog
    from .config import settings_of
    from .prompt_index import section

    return section(session, session_catalog(session), settings_of(session.host))


@hookimpl
def hermes_transform_tool_result(session: Any, call: Any, tool: Any, result: ToolResult) -> ToolResult | None:
    """Count a failure after a skill was loaded, and remind the model to patch the skill."""
    if not result.is_error:
        return None
    from .loading import on_tool_result

    return on_tool_result(session, tool.name, result)


@hookimpl
async def hermes_turn_end(session: Any, turn: Any, iterations: int) -> None:
    """Count the turn's skill outcomes; start a background review after a busy turn."""
    from .config import settings_of
    from .loading import finish_turn
    from .review import should_review, start_review

    outcome = finish_turn(session)
    settings = settings_of(session.host)
    if should_review(session, turn, settings):
        start_review(session, turn, outcome, settings)


@hookimpl
async def hermes_session_end(session: Any, reason: str) -> None:
    """Give a running review a little time to finish, then cancel it."""
    from .config import settings_of
    from .review import join_review

    await join_review(session, settings_of(session.host).review_join_timeout)


@hookimpl
def hermes_after_compress(session: Any, summary: str, dropped: list[Any]) -> None:
    """Bring back skills whose ``skill_view`` result compression dropped."""
    from .catalog import session_catalog
    from .config import settings_of
    from .loading import restore_after_compress, state

    if not state(session)["loaded"]:
        return
    restore_after_compress(session, dropped, session_catalog(session), settings_of(session.host).view_max_chars)


@hookimpl
def hermes_slash_command(session: Any, name: str, args: str, ctx: Any) -> str | None:
    """``/<skill-name> [request]``: load the skill; send the request as the next message."""
    from .slash import handle

    return handle(session, name, args, ctx)
