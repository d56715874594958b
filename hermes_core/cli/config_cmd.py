"""``hermes config show|get|set|unset|path``."""

from __future__ import annotations

import json
from typing import Any

import click

from hermes_core.config import (
    HermesConfig,
    coerce_value,
    field_annotation,
    get_path,
    mask_secrets,
    parse_scalar,
    read_yaml,
    set_path,
    unset_path,
    write_yaml_atomic,
)
from hermes_core.errors import ConfigError

from ._root import state_of


@click.group()
def config() -> None:
    """Show and change config.yaml (environment variables HERMES_<SECTION>__<KEY> override it)."""


def _effective(host: Any) -> dict[str, Any]:
    data = host.config.model_dump(mode="json")
    for name in host.config_sections():
        try:
            section = host.plugin_config(name).model_dump(mode="json")
        except ConfigError:
            continue
        set_path(data, name, section)
    return data


@config.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of YAML.")
@click.option("--file", "file_only", is_flag=True, help="Only what config.yaml itself says (no defaults).")
@click.pass_context
def show(ctx: click.Context, as_json: bool, file_only: bool) -> None:
    """Print the effective config (defaults, file and environment), secrets masked."""
    host = state_of(ctx).host
    data = mask_secrets(host.file_config if file_only else _effective(host))
    if as_json:
        click.echo(json.dumps(data, indent=2, default=str))
    else:
        import yaml

        click.echo(yaml.safe_dump(data, sort_keys=False, allow_unicode=True).rstrip())
    for issue in host.config_issues():
        click.secho(f"{issue.severity}: {issue}", fg="red" if issue.severity == "error" else "yellow", err=True)


@config.command()
@click.argument("key")
@click.pass_context
def get(ctx: click.Context, key: str) -> None:
    """Print one value, e.g. `hermes config get model.name`."""
    host = state_of(ctx).host
    try:
        value = get_path(_effective(host), key)
    except KeyError:
        try:
            value = get_path(host.raw_config, key)
        except KeyError:
            raise click.ClickException(f"{host.layout.config_file}: no key '{key}'") from None
    value = mask_secrets({key.rsplit(".", 1)[-1]: value})[key.rsplit(".", 1)[-1]]
    if isinstance(value, (dict, list)):
        click.echo(json.dumps(value, indent=2, default=str))
    elif value is None:
        click.echo("null")
    else:
        click.echo(str(value).lower() if isinstance(value, bool) else value)


def _annotation_for(host: Any, key: str) -> Any:
    """The declared type of ``key`` (kernel or plugin section), or raise KeyError."""
    try:
        return field_annotation(HermesConfig, key)
    except KeyError:
        pass
    for name, spec in sorted(host.config_sections().items(), key=lambda kv: -len(kv[0])):
        if key.startswith(name + "."):
            return field_annotation(spec.model, key[len(name) + 1:])
    raise KeyError(key)


def _validate_file(host: Any, data: dict[str, Any], key: str) -> None:
    """Validate ``data`` as a whole config; raise ConfigError naming the key if not."""
    from hermes_core.config import build_config, validate_section

    source = str(host.layout.config_file)
    _, issues = build_config(data, source=source)
    for name, spec in host.config_sections().items():
        try:
            section = get_path(data, name)
        except KeyError:
            continue
        _, more = validate_section(spec.model, section, key=name, source=source)
        issues.extend(more)
    if issues:
        raise ConfigError("; ".join(f"key '{i.key}': {i.message}" for i in issues), path=source)


@config.command("set")
@click.argument("key")
@click.argument("value")
@click.pass_context
def set_(ctx: click.Context, key: str, value: str) -> None:
    """Set a value, e.g. `hermes config set terminal.backend docker`.

    The value is converted to the key's type (numbers, true/false, lists as a,b,c or
    [a, b]); the change is refused, and the file left untouched, if it would make the
    config invalid.
    """
    host = state_of(ctx).host
    path = host.layout.config_file
    data = read_yaml(path)
    try:
        coerced = coerce_value(_annotation_for(host, key), value, key=key)
    except KeyError:
        section = key.split(".")[0]
        from hermes_core.config import KERNEL_SECTIONS

        if section in KERNEL_SECTIONS and section != "terminal":
            allowed = ", ".join(getattr(HermesConfig.model_fields[section].annotation, "model_fields", {}))
            raise ConfigError(f"unknown key; allowed keys in '{section}': {allowed}", path=path, key=key) from None
        coerced = parse_scalar(value)
        click.secho(f"note: '{key}' is not declared by the kernel or an installed plugin; stored as given", fg="yellow", err=True)
    except ConfigError as exc:
        raise ConfigError(str(exc).split(": ", 1)[-1], path=path, key=key) from None
    set_path(data, key, coerced)
    _validate_file(host, data, key)
    write_yaml_atomic(path, data)
    _warn_unknown_choice(host, key, coerced)
    click.echo(f"{key} = {json.dumps(coerced, default=str)}  ({path})")


def _warn_unknown_choice(host: Any, key: str, value: Any) -> None:
    registries = {
        "terminal.backend": host.terminal_backends,
        "model.provider": host.providers,
        "sessions.store": host.session_stores,
    }
    if key in registries and value not in registries[key]():
        installed = ", ".join(sorted(registries[key]())) or "none"
        click.secho(f"warning: no installed plugin provides '{value}' (installed: {installed})", fg="yellow", err=True)


@config.command()
@click.argument("key")
@click.pass_context
def unset(ctx: click.Context, key: str) -> None:
    """Remove a key from config.yaml (its default applies again)."""
    host = state_of(ctx).host
    path = host.layout.config_file
    data = read_yaml(path)
    if not unset_path(data, key):
        raise click.ClickException(f"{path}: key '{key}' is not set")
    write_yaml_atomic(path, data)
    click.echo(f"unset {key}  ({path})")


@config.command()
@click.option("--home", "home_dir", is_flag=True, help="Print the HERMES_HOME folder instead.")
@click.pass_context
def path(ctx: click.Context, home_dir: bool) -> None:
    """Print the path of config.yaml."""
    from hermes_core.paths import HomeLayout, resolve_home

    home = state_of(ctx).home or resolve_home()
    click.echo(home if home_dir else HomeLayout(home).config_file)
