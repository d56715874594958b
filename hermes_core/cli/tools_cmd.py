"""``hermes tools list``."""

from __future__ import annotations

import json

import click

from ._root import state_of


@click.group()
def tools() -> None:
    """List tools by toolset, with availability."""


@tools.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--schemas", is_flag=True, help="With --json, include each tool's argument schema.")
@click.pass_context
def list_(ctx: click.Context, as_json: bool, schemas: bool) -> None:
    """Tools grouped by toolset: enabled, available (and why not), and the plugin of each."""
    host = state_of(ctx).host
    toolsets = host.toolsets()
    by_set: dict[str, list] = {}
    for tool in sorted(host.tools().values(), key=lambda t: (t.toolset, t.name)):
        by_set.setdefault(tool.toolset, []).append(tool)
    rows = []
    for set_name, members in sorted(by_set.items()):
        for tool in members:
            availability = host.availability(tool)
            row = {
                "name": tool.name,
                "toolset": set_name,
                "plugin": tool.plugin,
                "enabled": host.tool_enabled(tool),
                "available": availability.available,
                "reason": availability.reason,
                "parallel_safe": tool.parallel_safe,
                "description": tool.description.split("\n", 1)[0],
            }
            if schemas:
                row["parameters"] = tool.parameters
            rows.append(row)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("No tools installed. Tools come from plugins: `hermes plugins list`.")
        return
    from ._table import render

    for set_name, members in sorted(by_set.items()):
        spec = toolsets.get(set_name)
        click.secho(set_name, bold=True, nl=False)
        click.echo(f" - {spec.description}" if spec and spec.description else "")
        table = []
        for tool in members:
            row = next(r for r in rows if r["name"] == tool.name)
            if not row["enabled"]:
                status = "disabled"
            elif row["available"]:
                status = "available"
            else:
                status = f"unavailable: {row['reason']}"
            table.append(("  " + tool.name, status, tool.plugin or "", row["description"]))
        colors = {"available": "green", "disabled": "bright_black"}
        click.echo(render(table, cell_style=lambda column, value: (
            {"fg": colors.get(value, "red")} if column == 1 else {"dim": True} if column == 2 else None)))
        click.echo()
    offered = sum(1 for r in rows if r["enabled"] and r["available"])
    click.echo(f"{offered} of {len(rows)} tools offered to the model.")
