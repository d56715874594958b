"""``hermes skills list|show|validate|install|uninstall|search|curate``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from . import curate as curation
from . import frontmatter, install as installing, loading
from .catalog import _skill_files, load_catalog
from .config import settings_of
from .locations import home_skills_dir
from .usage import UsageStore


def _host(ctx: click.Context) -> Any:
    from hermes_core.cli._root import state_of

    return state_of(ctx).host


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _SkillsGroup(click.Group):
    """Turns errors users can act on into click errors (exit 1, the message on stderr),
    also when the group runs outside the hermes root command."""

    def invoke(self, ctx: click.Context) -> Any:
        from hermes_core.errors import HermesError

        try:
            return super().invoke(ctx)
        except HermesError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_SkillsGroup)
def skills() -> None:
    """List, show, validate, install, search and curate skills (agentskills.io format)."""


@skills.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--source", type=click.Choice(["home", "project", "plugin", "bundled"]), help="Only skills from here.")
@click.pass_context
def list_(ctx: click.Context, as_json: bool, source: str | None) -> None:
    """Every skill hermes can see: name, source, uses and description."""
    host = _host(ctx)
    catalog = load_catalog(host, Path.cwd())
    usage = UsageStore(home_skills_dir(host.home)).read()
    skills_ = [s for s in catalog.sorted() if source is None or s.source == source]
    if as_json:
        click.echo(json.dumps([{
            "name": s.name, "description": s.description, "source": s.source, "path": str(s.path),
            "category": s.category, "uses": usage[s.name].loaded if s.name in usage else 0, "warnings": s.warnings,
        } for s in skills_], indent=1))
        return
    if not skills_:
        click.echo("no skills found")
    width = max((len(s.name) for s in skills_), default=4)
    for skill in skills_:
        used = usage.get(skill.name)
        uses = f"{used.loaded:>4}" if used and used.loaded else "   -"
        flag = " !" if skill.warnings else "  "
        click.echo(f"{skill.name:<{width}}  {skill.source:<8}{uses}{flag} {_short(skill.description, 90)}")
    click.echo(f"\n{len(skills_)} skill(s); '!' = loaded with warnings (hermes skills validate shows them)")
    for problem in catalog.problems:
        click.echo(f"skipped {problem.path}: {problem.message}", err=True)
    for note in catalog.notes:
        click.echo(f"note: {note}", err=True)


@skills.command("show")
@click.argument("name")
@click.pass_context
def show(ctx: click.Context, name: str) -> None:
    """A skill's details and instructions."""
    host = _host(ctx)
    catalog = load_catalog(host, Path.cwd())
    skill = catalog.get(name)
    if skill is None:
        hits = [s.name for s, _ in catalog.search(name.replace("-", " "), 3)]
        raise click.ClickException(f"no skill named '{name}'" + (f" (similar: {', '.join(hits)})" if hits else ""))
    usage = UsageStore(home_skills_dir(host.home)).get(name)
    click.echo(f"name:        {skill.name}\nsource:      {skill.source}\npath:        {skill.path}")
    for label, value in (("category", skill.category), ("license", skill.license),
                         ("compatibility", skill.compatibility), ("allowed-tools", skill.allowed_tools)):
        if value:
            click.echo(f"{label + ':':<13}{value}")
    for key, value in sorted(skill.metadata.items()):
        click.echo(f"{'metadata:':<13}{key} = {value}")
    click.echo(f"usage:       loaded {usage.loaded}, succeeded {usage.succeeded}, failed {usage.failed}, "
               f"patched {usage.patched}")
    for warning in skill.warnings:
        click.echo(f"warning:     {warning}")
    click.echo("")
    text = loading.render_skill(host, skill, max_chars=settings_of(host).view_max_chars)
    click.echo(text)


@skills.command("validate")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.pass_context
def validate(ctx: click.Context, path: Path | None) -> None:
    """Check skills against the agentskills.io specification.

    PATH is a skill folder, a SKILL.md or a folder of skills; without it, every skill
    hermes can see. Exits 1 when any skill is invalid.
    """
    if path is not None:
        path = path.resolve()
        if path.is_file():
            path = path.parent
        folders = [path] if (path / "SKILL.md").is_file() or (path / "skill.md").is_file() else [
            folder for folder, _ in _skill_files(path)]
        if not folders:
            raise click.ClickException(f"{path}: no SKILL.md in it or in its sub-folders")
    else:
        host = _host(ctx)
        catalog = load_catalog(host, Path.cwd())
        folders = [s.path for s in catalog.sorted()] + [p.path for p in catalog.problems]
    bad = 0
    for folder in folders:
        skill_md = folder / "SKILL.md" if (folder / "SKILL.md").is_file() else folder / "skill.md"
        try:
            text = skill_md.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            errors = [f"cannot read {skill_md.name}: {exc}"]
        else:
            errors = frontmatter.check_skill_text(text, dir_name=folder.name)
        if errors:
            bad += 1
            click.echo(f"FAIL {folder}")
            for error in errors:
                click.echo(f"     - {error}")
        else:
            click.echo(f"ok   {folder}")
    click.echo(f"\n{len(folders) - bad} valid, {bad} invalid")
    if bad:
        ctx.exit(1)


@skills.command("install")
@click.argument("source")
@click.option("--force", is_flag=True, help="Install despite security findings, replacing a skill of the same name.")
@click.pass_context
def install(ctx: click.Context, source: str, force: bool) -> None:
    """Install skills from a folder or a git URL (URL#sub/folder for part of a repository)."""
    host = _host(ctx)
    outcomes = installing.install(host, source, force=force, trusted_sources=settings_of(host).trusted_sources)
    failed = 0
    for outcome in outcomes:
        mark = "ok  " if outcome.installed else "FAIL"
        failed += not outcome.installed
        click.echo(f"{mark} {outcome.name}: {outcome.message}")
        for finding in outcome.report.findings:
            click.echo(f"       {finding}")
    if failed:
        ctx.exit(1)


@skills.command("uninstall")
@click.argument("name")
@click.pass_context
def uninstall(ctx: click.Context, name: str) -> None:
    """Remove a skill from $HERMES_HOME/skills (it is moved to the archive)."""
    click.echo(installing.uninstall(_host(ctx), name))


@skills.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("-n", "--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], limit: int) -> None:
    """Full-text search over names, descriptions and instructions."""
    host = _host(ctx)
    hits = load_catalog(host, Path.cwd()).search(" ".join(query), limit)
    if not hits:
        click.echo("no skill matches")
    for skill, score in hits:
        click.echo(f"{score:6.2f}  {skill.name}  [{skill.source}]  {_short(skill.description, 100)}")


@skills.command("curate")
@click.option("--dry-run", is_flag=True, help="Only say what would be archived.")
@click.pass_context
def curate(ctx: click.Context, dry_run: bool) -> None:
    """Archive agent-made skills unused for skills.curate_unused_days; flag near-duplicates.

    Nothing is deleted: archived skills move to $HERMES_HOME/skills/.archive/.
    """
    host = _host(ctx)
    catalog = load_catalog(host, Path.cwd())
    actions = curation.plan(host, catalog, settings_of(host))
    if not actions:
        click.echo("nothing to curate")
        return
    for action in actions:
        verb = "would archive" if action.kind == "archive" and dry_run else (
            "archive" if action.kind == "archive" else "near-duplicates")
        click.echo(f"{verb}: {', '.join(action.skills)} ({action.reason})")
    if not dry_run:
        for line in curation.apply(host, catalog, actions):
            click.echo(line)
    sys.stdout.flush()
