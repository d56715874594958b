"""``hermes doctor``."""

from __future__ import annotations

import json

import click

from ._root import state_of


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def doctor(ctx: click.Context, as_json: bool) -> None:
    """Check config, plugins, capabilities and secrets; exit 1 if anything is broken."""
    from hermes_core.doctor import run_checks

    checks = run_checks(state_of(ctx).host)
    if as_json:
        click.echo(json.dumps([c.model_dump() for c in checks], indent=2))
    else:
        from rich.console import Console
        from rich.markup import escape

        console = Console(highlight=False, soft_wrap=True)  # messages name paths: never wrap them
        marks = {"ok": "[green]✓[/]", "info": "[blue]·[/]", "warning": "[yellow]![/]", "error": "[red]✗[/]"}
        section = None
        for check in checks:
            if check.section != section:
                section = check.section
                console.print(f"\n[bold]{section}[/]")
            console.print(f"  {marks[check.level]} {escape(check.message)}")
            if check.hint and check.level in ("warning", "error"):
                console.print(f"      [dim]→ {escape(check.hint)}[/]")
        errors = sum(c.level == "error" for c in checks)
        warnings = sum(c.level == "warning" for c in checks)
        console.print(f"\n{errors} error(s), {warnings} warning(s)")
    if any(c.level == "error" for c in checks):
        ctx.exit(1)
