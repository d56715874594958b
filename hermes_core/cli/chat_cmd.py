"""``hermes chat``: the interactive session, or one answer with ``-q``."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path
from typing import Any

import click

from hermes_core.errors import HermesError

from ._root import state_of


@click.command()
@click.option("-q", "--query", help="Answer this one message, print the answer and exit.")
@click.option("-m", "--model", "model_spec", metavar="PROVIDER:MODEL", help="Use this model (e.g. openai:gpt-4o-mini).")
@click.option("-c", "--continue", "continue_", is_flag=True, help="Continue the most recent session.")
@click.option("--resume", "resume_id", metavar="ID", help="Resume a saved session by id.")
@click.option("--toolsets", metavar="A,B", help="Only offer tools from these toolsets.")
@click.option("--max-iterations", type=click.IntRange(1, 10_000), help="Model calls per turn before a final answer.")
@click.option("--save-trajectory", "trajectory", is_flag=True,
              help="Append the conversation as ShareGPT JSONL to $HERMES_HOME/trajectories/ (secrets redacted).")
@click.option("--trajectory-file", type=click.Path(dir_okay=False, path_type=Path), help="Where --save-trajectory writes.")
@click.option("--quiet", "-Q", is_flag=True, help="With -q: no tool progress, only the answer.")
@click.pass_context
def chat(
    ctx: click.Context,
    query: str | None,
    model_spec: str | None,
    continue_: bool,
    resume_id: str | None,
    toolsets: str | None,
    max_iterations: int | None,
    trajectory: bool,
    trajectory_file: Path | None,
    quiet: bool,
) -> None:
    """Talk to the agent. Without -q this opens an interactive session."""
    host = state_of(ctx).host
    errors = [i for i in host.config_issues(include_plugins=False) if i.severity == "error"]
    if errors:
        raise click.ClickException("config is invalid:\n  " + "\n  ".join(str(i) for i in errors) + "\n(run `hermes doctor`)")
    host.export_dotenv()
    options = {
        "model_spec": model_spec,
        "continue_": continue_,
        "resume_id": resume_id,
        "toolsets": [t.strip() for t in toolsets.split(",")] if toolsets else None,
        "max_iterations": max_iterations,
        "trajectory": trajectory_file or (host.layout.trajectories_dir / "trajectories.jsonl" if trajectory else None),
    }
    if query is not None:
        code = asyncio.run(_run_once(host, query, quiet=quiet, **options))
        ctx.exit(code)
    if not sys.stdin.isatty():
        text = sys.stdin.read()
        if not text.strip():
            raise click.ClickException("no input: pass -q MESSAGE, pipe a message in, or run in a terminal")
        ctx.exit(asyncio.run(_run_once(host, text, quiet=quiet, **options)))
    asyncio.run(_repl(host, **options))


async def _open_agent(host: Any, *, model_spec: str | None, continue_: bool, resume_id: str | None,
                      toolsets: list[str] | None, max_iterations: int | None, emit: Any, interaction: Any) -> Any:
    from hermes_core.agent.loop import Agent

    if continue_ and not resume_id:
        store = host.session_store()
        if store is None:
            raise HermesError(f"cannot continue: {host.session_store_error or 'no session store installed'}")
        recent = await store.list_sessions("local", limit=1, platform="cli")
        if not recent:
            raise HermesError("no saved session to continue")
        resume_id = recent[0].id
    tools = None
    if toolsets is not None:
        known = host.toolsets()
        unknown = [t for t in toolsets if t not in known]
        if unknown:
            raise HermesError(f"unknown toolset(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        tools = [t for t in host.active_tools() if t.toolset in toolsets]
    return await Agent.open(host, model=model_spec, interaction=interaction, emit=emit, resume=resume_id,
                            tools=tools, max_iterations=max_iterations, cwd=Path.cwd())


async def _run_turn_interruptibly(agent: Any, text: str) -> Any:
    """Run a turn; Ctrl-C cancels it (request and tools) and returns None."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(agent.run_turn(text))
    try:
        loop.add_signal_handler(signal.SIGINT, task.cancel)
    except (NotImplementedError, RuntimeError):  # not the main thread, or no signals here
        pass
    try:
        return await task
    except asyncio.CancelledError:
        if not task.cancelled():
            raise
        return None
    finally:
        try:
            loop.remove_signal_handler(signal.SIGINT)
        except (NotImplementedError, RuntimeError):
            pass


def _save_trajectory(host: Any, agent: Any, path: Path | None, completed: bool) -> None:
    if path is None:
        return
    from hermes_core.agent.trajectory import write_trajectory

    written = write_trajectory(path, agent.messages, redact=host.redact, model=f"{agent.settings.provider}:{agent.settings.model}",
                               session_id=agent.session.id, completed=completed)
    sys.stderr.write(f"trajectory saved to {written}\n")


async def _run_once(host: Any, text: str, *, quiet: bool, trajectory: Path | None, **options: Any) -> int:
    from hermes_core.context import NonInteractive

    from ._ui import CliInteraction, Renderer

    stream = sys.stdout.isatty()
    renderer = Renderer(show_tools=not quiet, stream_text=stream, show_reasoning=host.config.display.show_reasoning)
    interaction = CliInteraction(renderer) if sys.stdin.isatty() else NonInteractive()
    try:
        agent = await _open_agent(host, emit=renderer, interaction=interaction, **options)
    except HermesError as exc:
        sys.stderr.write(f"Error: {exc}\n")
        await host.aclose()
        return 1
    code = 0
    try:
        result = await _run_turn_interruptibly(agent, text)
        if result is None:
            sys.stderr.write("interrupted\n")
            code = 130
        elif not stream:
            sys.stdout.write(result.text.rstrip("\n") + "\n")
            sys.stdout.flush()
    except HermesError as exc:
        sys.stderr.write(f"Error: {exc}\n")
        code = 1
    finally:
        _save_trajectory(host, agent, trajectory, completed=code == 0)
        await agent.close("exit" if code == 0 else ("interrupted" if code == 130 else "error"))
        await host.aclose()
    return code


async def _repl(host: Any, *, trajectory: Path | None, **options: Any) -> None:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.completion import WordCompleter
    from prompt_toolkit.history import FileHistory
    from prompt_toolkit.key_binding import KeyBindings

    from hermes_core import __version__

    from ._slash import command_names, run_slash
    from ._ui import CliInteraction, Renderer

    renderer = Renderer(show_tools=host.config.display.tool_progress, show_reasoning=host.config.display.show_reasoning)
    agent = await _open_agent(host, emit=renderer, interaction=CliInteraction(renderer), **options)
    host.home.mkdir(parents=True, exist_ok=True)
    bindings = KeyBindings()

    @bindings.add("escape", "enter")
    def _newline(event: Any) -> None:
        event.current_buffer.insert_text("\n")

    completer = WordCompleter(["/" + n for n in command_names(host)], sentence=True)
    prompt = PromptSession(history=FileHistory(str(host.layout.history_file)), key_bindings=bindings,
                           completer=completer, complete_while_typing=False)
    print(f"hermes {__version__} · {agent.settings.provider}:{agent.settings.model} · "
          f"{len(agent.tool_list)} tools · session {agent.session.id} · /help for commands")
    reason = "exit"
    try:
        while True:
            try:
                text = await prompt.prompt_async("❯ ")
            except KeyboardInterrupt:
                continue
            except EOFError:
                break
            text = text.strip()
            if not text:
                continue
            to_send = [text]
            if text.startswith("/"):
                try:
                    outcome, to_send = await run_slash(text, agent, print)
                except HermesError as exc:
                    print(f"error: {exc}")
                    continue
                if outcome == "exit":
                    break
            for message in to_send:
                try:
                    result = await _run_turn_interruptibly(agent, message)
                except HermesError as exc:
                    renderer._end_text_line()
                    print(f"error: {exc}")
                    continue
                if result is None:
                    renderer._end_text_line()
                    print("  (interrupted: the conversation continues)")
    finally:
        _save_trajectory(host, agent, trajectory, completed=True)
        await agent.close(reason)
        await host.aclose()
