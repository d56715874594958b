"""The click root: built-in command groups and plugin commands, all loaded lazily.

``hermes --help`` lists every command from names and one-line descriptions alone: no
built-in command module is imported and no plugin command factory is called, so a
plugin's heavy SDK loads only when its command runs.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import click

from hermes_core import __version__
from hermes_core.errors import HermesError

#: name -> (import path, one-line help). Modules are imported only when the command runs.
BUILTIN_COMMANDS: dict[str, tuple[str, str]] = {
    "chat": ("hermes_core.cli.chat_cmd:chat", "Talk to the agent: interactive, or -q for one answer."),
    "model": ("hermes_core.cli.model_cmd:model", "List providers and models; set the default model."),
    "tools": ("hermes_core.cli.tools_cmd:tools", "List tools by toolset, with availability."),
    "plugins": ("hermes_core.cli.plugins_cmd:plugins", "List, inspect, enable, install and create plugins."),
    "config": ("hermes_core.cli.config_cmd:config", "Show and change config.yaml."),
    "doctor": ("hermes_core.cli.doctor_cmd:doctor", "Check config, plugins, capabilities and secrets."),
}


class CliState:
    """Per-invocation state shared by commands: the home folder and a lazily built Host."""

    def __init__(self) -> None:
        self.home: Path | None = None
        self.overrides: dict[str, Any] = {}
        self._host: Any = None

    @property
    def host(self) -> Any:
        if self._host is None:
            from hermes_core.host import Host

            self._host = Host(self.home, overrides=self.overrides).load()
        return self._host

    def reset_host(self) -> None:
        self._host = None


def state_of(ctx: click.Context) -> CliState:
    obj = ctx.find_root().obj
    if not isinstance(obj, CliState):
        obj = CliState()
        ctx.find_root().obj = obj
    return obj


def _load(path: str) -> click.Command:
    module_name, _, attr = path.partition(":")
    return getattr(importlib.import_module(module_name), attr)


class _BrokenCommand(click.Command):
    """Stands in for a plugin command whose factory failed: says why and exits 1."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(name, help=f"(broken) {reason}", callback=self._fail)
        self.reason = reason

    def _fail(self) -> None:
        raise click.ClickException(f"the '{self.name}' command is unavailable: {self.reason}")


class HermesGroup(click.Group):
    """Lazy group: built-ins by import path, plugin commands from the host's registry."""

    def _plugin_commands(self, ctx: click.Context) -> dict[str, Any]:
        try:
            specs = state_of(ctx).host.cli_commands()
        except HermesError:
            return {}
        return {name: spec for name, spec in specs.items() if name not in BUILTIN_COMMANDS}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*BUILTIN_COMMANDS, *sorted(self._plugin_commands(ctx))]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in BUILTIN_COMMANDS:
            return _load(BUILTIN_COMMANDS[cmd_name][0])
        spec = self._plugin_commands(ctx).get(cmd_name)
        if spec is None:
            return None
        try:
            command = spec.factory()
        except Exception as exc:  # the plugin's problem, not the CLI's
            return _BrokenCommand(cmd_name, f"plugin '{spec.plugin}' failed to build it: {type(exc).__name__}: {exc}")
        if not isinstance(command, click.Command):
            return _BrokenCommand(cmd_name, f"plugin '{spec.plugin}' returned {type(command).__name__}, not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from hermes_core.paths import resolve_home

        from ._helpcache import plugin_commands

        def compute() -> list[list[str]]:
            return [[n, s.description, s.plugin or ""] for n, s in sorted(self._plugin_commands(ctx).items())]

        home = state_of(ctx).home or resolve_home()
        builtin_rows = [(name, help_text) for name, (_, help_text) in BUILTIN_COMMANDS.items()]
        plugin_rows = [
            (name, f"{description} [{plugin}]".strip()) for name, description, plugin in plugin_commands(home, Path.cwd(), compute)
        ]
        with formatter.section("Commands"):
            formatter.write_dl(builtin_rows)
        if plugin_rows:
            with formatter.section("Plugin commands"):
                formatter.write_dl(plugin_rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except HermesError as exc:
            raise click.ClickException(str(exc)) from exc


def _set_home(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        state_of(ctx).home = Path(value).expanduser()


@click.group(
    cls=HermesGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "-V", "--version", prog_name="hermes", message="%(prog)s %(version)s")
@click.option(
    "--home",
    metavar="PATH",
    is_eager=True,
    expose_value=False,
    callback=_set_home,
    help="Use this folder instead of $HERMES_HOME (~/.hermes).",
)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """hermes: a plugin-first AI agent that remembers you, learns skills and uses tools.

    Run without a command to chat. State lives in $HERMES_HOME (default ~/.hermes).
    """
    state_of(ctx)
    if ctx.invoked_subcommand is None:
        ctx.invoke(_load(BUILTIN_COMMANDS["chat"][0]))


def run(args: list[str]) -> None:
    cli.main(args=args, prog_name="hermes", obj=CliState())


if __name__ == "__main__":  # pragma: no cover
    run(sys.argv[1:])
