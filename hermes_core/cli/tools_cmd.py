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
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not rows:
        console.print("No tools installed. Tools come from plugins: `hermes plugins list`.")
        return
    for set_name, members in sorted(by_set.items()):
        spec = toolsets.get(set_name)
        title = f"[bold]{set_name}[/]" + (f" - {spec.description}" if spec and spec.description else "")
        table = Table(title=title, title_justify="left", box=None, pad_edge=False, show_header=False)
        table.add_column("tool")
        table.add_column("status")
        table.add_column("plugin", style="dim")
        table.add_column("description", overflow="fold")
        for tool in members:
            row = next(r for r in rows if r["name"] == tool.name)
            if not row["enabled"]:
                status = "[dim]disabled[/]"
            elif row["available"]:
                status = "[green]available[/]"
            else:
                status = f"[red]unavailable[/]: {row['reason']}"
            table.add_row(tool.name, status, tool.plugin or "", row["description"])
        console.print(table)
        console.print()
    offered = sum(1 for r in rows if r["enabled"] and r["available"])
    console.print(f"{offered} of {len(rows)} tools offered to the model.")
