"""``hermes plugins list|info|enable|disable|install|uninstall|new``."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click

from hermes_core._configfile import read_yaml, set_path, write_yaml_atomic

from ._root import state_of

_KIND_METHODS = {
    "providers": "providers",
    "tools": "tools",
    "terminal backends": "terminal_backends",
    "memory providers": "memory_providers",
    "gateways": "gateways",
    "scanners": "scanners",
    "session stores": "session_stores",
    "commands": "cli_commands",
    "slash commands": "slash_commands",
    "config sections": "config_sections",
}


def _capabilities(host: Any) -> dict[str, dict[str, list[str]]]:
    """plugin -> kind -> names."""
    out: dict[str, dict[str, list[str]]] = {}
    for label, method in _KIND_METHODS.items():
        for name, spec in getattr(host, method)().items():
            out.setdefault(spec.plugin or "?", {}).setdefault(label, []).append(name)
    for spec in host.skill_dirs():
        out.setdefault(spec.plugin or "?", {}).setdefault("skill folders", []).append(str(spec.path))
    return out


@click.group()
def plugins() -> None:
    """List, inspect, enable, install and create plugins."""


@plugins.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_(ctx: click.Context, as_json: bool) -> None:
    """Every plugin found: source, version, status and what it provides."""
    host = state_of(ctx).host
    caps = _capabilities(host)
    rows = []
    order = {"builtin": 0, "entrypoint": 1, "dropin": 2, "project": 3, "explicit": 4}
    for info in sorted(host.plugins.values(), key=lambda p: (order.get(p.source, 9), p.name)):
        problems = host.problems_for(info.name)
        if not info.enabled:
            status = "disabled"
        elif problems:
            status = "problem" if info.loaded else "failed"
        else:
            status = "ok"
        provides = "; ".join(f"{kind}: {', '.join(names)}" for kind, names in caps.get(info.name, {}).items())
        rows.append(
            {
                "name": info.name,
                "source": info.source,
                "version": info.version or "",
                "status": status,
                "provides": provides,
                "problems": [p.message for p in problems],
            }
        )
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("No plugins found. Install some with `hermes plugins install NAME`.")
        return
    from ._table import render

    colors = {"ok": "green", "disabled": "bright_black", "problem": "yellow", "failed": "red"}
    click.echo(render(
        [(r["name"], r["source"], r["version"], r["status"], r["provides"]) for r in rows],
        headers=("plugin", "source", "version", "status", "provides"),
        cell_style=lambda column, value: {"fg": colors[value]} if column == 3 else None,
    ))
    failing = [r for r in rows if r["problems"]]
    if failing:
        click.secho(f"\n{len(failing)} plugin(s) with problems: run `hermes doctor` or `hermes plugins info NAME`.", fg="yellow")


@plugins.command()
@click.argument("name")
@click.pass_context
def info(ctx: click.Context, name: str) -> None:
    """Details of one plugin: where it comes from, its hooks, capabilities and problems."""
    host = state_of(ctx).host
    plugin = host.plugins.get(name)
    if plugin is None:
        raise click.ClickException(f"no plugin named '{name}' (see `hermes plugins list`)")
    click.echo(f"name:      {plugin.name}")
    click.echo(f"source:    {plugin.source}")
    click.echo(f"location:  {plugin.location}")
    if plugin.distribution:
        click.echo(f"package:   {plugin.distribution} {plugin.version or ''}".rstrip())
    click.echo(f"enabled:   {'yes' if plugin.enabled else 'no (hermes plugins enable ' + name + ')'}")
    click.echo(f"loaded:    {'yes' if plugin.loaded else 'no'}")
    if plugin.hooks:
        click.echo(f"hooks:     {', '.join(plugin.hooks)}")
    for kind, names in _capabilities(host).get(name, {}).items():
        click.echo(f"{kind + ':':<11}{', '.join(names)}")
    for problem in host.problems_for(name):
        click.secho(f"problem:   {problem.kind}{' in ' + problem.hook if problem.hook else ''}: {problem.message}", fg="red")
        if problem.detail:
            click.echo("           " + problem.detail.rstrip().replace("\n", "\n           "))


def _set_disabled(ctx: click.Context, name: str, disabled: bool) -> None:
    host = state_of(ctx).host
    path = host.layout.config_file
    data = read_yaml(path)
    current = list(((data.get("plugins") or {}).get("disabled")) or [])
    if disabled and name not in current:
        current.append(name)
    elif not disabled and name in current:
        current.remove(name)
    elif not disabled:
        click.echo(f"'{name}' is not disabled")
        return
    set_path(data, "plugins.disabled", current)
    write_yaml_atomic(path, data)
    if name not in host.plugins:
        click.secho(f"note: no plugin named '{name}' is installed right now", fg="yellow", err=True)
    click.echo(f"{'disabled' if disabled else 'enabled'} {name}  ({path})")


@plugins.command()
@click.argument("name")
@click.pass_context
def enable(ctx: click.Context, name: str) -> None:
    """Re-enable a disabled plugin."""
    _set_disabled(ctx, name, False)


@plugins.command()
@click.argument("name")
@click.pass_context
def disable(ctx: click.Context, name: str) -> None:
    """Disable a plugin: it is not even imported (config plugins.disabled)."""
    _set_disabled(ctx, name, True)


# ---------------------------------------------------------------------------------------
# install / uninstall
# ---------------------------------------------------------------------------------------


def _installer() -> list[str]:
    """The command that installs into hermes's own environment: pip, or uv where pip is absent."""
    probe = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True)
    if probe.returncode == 0:
        return [sys.executable, "-m", "pip"]
    uv = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    if Path(uv).exists():
        return [uv, "pip", "--python", sys.executable]
    raise click.ClickException(f"neither pip nor uv is available for {sys.executable}")


def _is_git(spec: str) -> bool:
    return spec.startswith(("git+", "git@")) or (spec.startswith(("https://", "http://")) and spec.endswith(".git"))


def _fresh_entry_points() -> dict[str, str]:
    from hermes_core._loader import _scan_entry_points

    return {r.name: r.distribution or "" for r in _scan_entry_points()}


@plugins.command()
@click.argument("spec")
@click.option("-e", "--editable", is_flag=True, help="Install a local package in editable mode.")
@click.option("--force", is_flag=True, help="Overwrite an existing drop-in plugin of the same name.")
@click.option("--upgrade", "-U", is_flag=True, help="Upgrade the package if already installed.")
@click.pass_context
def install(ctx: click.Context, spec: str, editable: bool, force: bool, upgrade: bool) -> None:
    """Install a plugin: a PyPI package name, a local folder, a git URL, or a .py file.

    Packages go into hermes's own Python environment; a .py file (or a folder that is a
    plain Python package without pyproject.toml) is copied into $HERMES_HOME/plugins.
    """
    host = state_of(ctx).host
    local = Path(spec).expanduser()
    if local.is_file() and local.suffix == ".py" or (
        local.is_dir() and (local / "__init__.py").is_file() and not (local / "pyproject.toml").exists()
    ):
        target = host.layout.plugins_dir / local.name
        if target.exists() and not force:
            raise click.ClickException(f"{target} already exists (use --force to replace it)")
        host.layout.plugins_dir.mkdir(parents=True, exist_ok=True)
        if local.is_dir():
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(local, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(local, target)
        click.echo(f"copied {local} -> {target}")
        click.echo(f"check it with: hermes plugins info {target.stem}")
        return
    if _is_git(spec):
        requirement = spec if spec.startswith("git+") else f"git+{spec}"
        args = [requirement]
    elif local.exists():
        if not ((local / "pyproject.toml").exists() or (local / "setup.py").exists()):
            raise click.ClickException(f"{local} is neither a .py file, a Python package folder, nor a project with pyproject.toml")
        args = ["-e", str(local)] if editable else [str(local)]
    else:
        args = [spec]
    before = _fresh_entry_points()
    command = [*_installer(), "install", *(["--upgrade"] if upgrade else []), *args]
    click.echo("$ " + " ".join(command))
    result = subprocess.run(command)
    if result.returncode != 0:
        raise click.ClickException(f"installation failed (exit code {result.returncode})")
    added = {name: dist for name, dist in _fresh_entry_points().items() if name not in before}
    if added:
        for name, dist in added.items():
            click.echo(f"installed plugin '{name}' from {dist}")
    else:
        click.secho("installed, but no new hermes plugin entry point appeared (already installed, or not a hermes plugin?)", fg="yellow")


@plugins.command()
@click.argument("name")
@click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def uninstall(ctx: click.Context, name: str, yes: bool) -> None:
    """Remove a plugin: delete a drop-in, or uninstall its package.

    Works without importing any plugin, so a broken plugin cannot stop it.
    """
    state = state_of(ctx)
    from hermes_core.paths import HomeLayout, resolve_home

    layout = HomeLayout(state.home or resolve_home())
    for candidate in (layout.plugins_dir / f"{name}.py", layout.plugins_dir / name):
        if candidate.exists():
            if not yes:
                click.confirm(f"delete {candidate}?", abort=True)
            if candidate.is_dir():
                shutil.rmtree(candidate)
            else:
                candidate.unlink()
            click.echo(f"removed {candidate}")
            return
    entry_points = _fresh_entry_points()
    dist = entry_points.get(name) or (name if name in entry_points.values() else None)
    if not dist:
        raise click.ClickException(f"no plugin named '{name}' is installed (see `hermes plugins list`)")
    if not yes:
        click.confirm(f"uninstall the package {dist}?", abort=True)
    installer = _installer()
    uses_pip = installer[1:] == ["-m", "pip"]
    command = [*installer, "uninstall", *(["-y"] if uses_pip else []), dist]
    click.echo("$ " + " ".join(command))
    result = subprocess.run(command)
    if result.returncode != 0:
        raise click.ClickException(f"uninstall failed (exit code {result.returncode})")


@plugins.command()
@click.argument("name")
@click.option("--dir", "parent", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Where to create the package folder.")
@click.option("--description", default=None, help="One line saying what the plugin does.")
def new(name: str, parent: Path, description: str | None) -> None:
    """Scaffold a plugin package (pyproject, entry point, example tool, passing tests)."""
    from ._scaffold import scaffold

    try:
        root = scaffold(name, parent, description=description)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {root}")
    click.echo("next:")
    click.echo(f"  cd {root}")
    click.echo("  pip install -e . pytest    # into hermes's environment")
    click.echo("  pytest                     # the generated tests pass as they are")
    click.echo(f"  hermes tools list          # shows the {name.replace('-', '_')}_hello tool")
