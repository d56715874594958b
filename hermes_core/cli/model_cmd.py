"""``hermes model``: providers and models; set the default."""

from __future__ import annotations

import asyncio
import json

import click

from hermes_core._configfile import read_yaml, set_path, write_yaml_atomic
from hermes_core.errors import HermesError

from ._root import state_of


@click.group(invoke_without_command=True)
@click.pass_context
def model(ctx: click.Context) -> None:
    """Show the default model and the installed providers (`hermes model set` changes it)."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_)


@model.command("list")
@click.argument("provider", required=False)
@click.option("--remote", is_flag=True, help="Ask the provider's server for its models (network).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_(ctx: click.Context, provider: str | None, remote: bool, as_json: bool) -> None:
    """List providers (and, with --remote, the models a provider's server offers)."""
    host = state_of(ctx).host
    cfg = host.config.model
    specs = host.providers()
    if provider is not None and provider not in specs:
        raise click.ClickException(f"unknown provider '{provider}' (installed: {', '.join(sorted(specs)) or 'none'})")
    rows = []
    for name, spec in sorted(specs.items()):
        if provider is not None and name != provider:
            continue
        _, settings = host.provider_settings(name)
        rows.append({
            "provider": name,
            "plugin": spec.plugin,
            "description": spec.description,
            "default": name == cfg.provider,
            "model": settings.model,
            "base_url": settings.base_url,
            "key": ("set" if settings.api_key else f"missing ({', '.join(spec.env)})") if spec.env else "not needed",
        })
    if remote:
        for row in rows:
            try:
                row["models"] = [m.name for m in asyncio.run(_remote_models(host, row["provider"]))]
            except HermesError as exc:
                row["models_error"] = str(exc)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(f"default: {cfg.provider}:{host.provider_settings()[1].model if cfg.provider in specs else cfg.name}")
    if not rows:
        click.echo("no providers installed: pip install hermes-plugin-openai")
    for row in rows:
        marker = "*" if row["default"] else " "
        click.echo(f"{marker} {row['provider']:<12} {row['description']}  [{row['plugin']}]")
        click.echo(f"    model: {row['model'] or '(none: hermes model set ' + row['provider'] + ':<model>)'}")
        if row["base_url"]:
            click.echo(f"    url:   {row['base_url']}")
        click.echo(f"    key:   {row['key']}")
        for name in row.get("models", []):
            click.echo(f"      - {name}")
        if "models_error" in row:
            click.secho(f"    could not list models: {row['models_error']}", fg="red")


async def _remote_models(host, provider_name):  # noqa: ANN001, ANN202
    provider, _ = host.create_provider(provider_name, "list-models")
    try:
        return await provider.list_models()
    finally:
        await provider.aclose()


@model.command("set")
@click.argument("spec", metavar="PROVIDER:MODEL")
@click.pass_context
def set_(ctx: click.Context, spec: str) -> None:
    """Set the default model, e.g. `hermes model set openrouter:anthropic/claude-sonnet-4`."""
    from hermes_core.agent.loop import parse_model_spec

    host = state_of(ctx).host
    provider, name = parse_model_spec(spec, host.providers())
    provider = provider or host.config.model.provider
    if provider not in host.providers():
        raise click.ClickException(f"unknown provider '{provider}' (installed: {', '.join(sorted(host.providers())) or 'none'})")
    path = host.layout.config_file
    data = read_yaml(path)
    set_path(data, "model.provider", provider)
    if name:
        set_path(data, "model.name", name)
    if provider != host.config.model.provider:
        # a base URL or key variable set for another provider would not apply to this one
        for key in ("base_url", "api_key_env"):
            (data.get("model") or {}).pop(key, None)
    write_yaml_atomic(path, data)
    click.echo(f"default model: {provider}:{name or host.provider_settings(provider)[1].model}  ({path})")
