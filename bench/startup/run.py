"""Start-up benchmark: how fast hermes answers its cheapest commands.

Median wall time and peak memory of ``hermes --version``, ``hermes --help`` (with the
plugin-command listing cached, as on every run after the first, and uncached) and
``hermes plugins list``: first with hermes and its built-in plugins (a venv in .venv-bench,
as users install it), then again with 100 extra small plugins (50 installed
distributions with entry points, 50 drop-in files in $HERMES_HOME/plugins); and once in
the development .venv, which adds the contrib packages.

Targets on the 2-core reference machine: --version <= 60 ms, --help <= 120 ms, and the
100 extra plugins add <= 50 ms.

    .venv/bin/python bench/startup/run.py [--runs 20]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import (  # noqa: E402
    VENV_BIN,
    builtins_venv,
    compare,
    ensure_bytecode,
    load_previous,
    machine,
    median,
    run_with_rusage,
    save,
)

PLUGIN_SOURCE = '''\
from hermes_core import hookimpl, ToolSpec, CommandSpec


def _run(args, ctx):
    return "ok {n}"


def _command():
    import click

    @click.command()
    def command():
        """Bench command {n}."""

    return command


@hookimpl
def hermes_tools():
    yield ToolSpec(name="bench_tool_{n}", description="Bench tool {n}.", handler=_run, toolset="bench")


@hookimpl
def hermes_cli_commands():
    if {n} % 10 == 0:
        yield CommandSpec(name="bench-{n}", description="Bench command {n}.", factory=_command)
'''


def make_extra_plugins(root: Path, home: Path, count: int = 100) -> Path:
    """Half as installed distributions on a site folder, half as drop-in files."""
    site = root / "site"
    site.mkdir()
    (home / "plugins").mkdir(parents=True, exist_ok=True)
    for n in range(count):
        name = f"benchplugin{n:03d}"
        source = PLUGIN_SOURCE.replace("{n}", str(n))
        if n % 2 == 0:
            (site / f"{name}.py").write_text(source)
            dist = site / f"{name}-1.0.dist-info"
            dist.mkdir()
            (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
            (dist / "entry_points.txt").write_text(f"[hermes.plugins]\n{name} = {name}\n")
            (dist / "RECORD").write_text("")
        else:
            (home / "plugins" / f"{name}.py").write_text(source)
    import compileall

    compileall.compile_dir(str(site), quiet=1)
    compileall.compile_dir(str(home / "plugins"), quiet=1)
    return site


def measure(argv: list[str], env: dict[str, str], runs: int, before_each=None) -> dict[str, float]:
    times, peaks = [], []
    for _ in range(2):  # warm-up: disk cache, entry-point cache
        run_with_rusage(argv, env)
    for _ in range(runs):
        if before_each is not None:
            before_each()
        wall, peak, code, _, err = run_with_rusage(argv, env)
        if code != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {err.decode()[-500:]}")
        times.append(wall * 1000)
        peaks.append(peak)
    return {"median_ms": median(times), "min_ms": min(times), "peak_mb": max(peaks)}


def scenario(hermes: str, env: dict[str, str], home: Path, runs: int) -> dict[str, dict[str, float]]:
    def clear_help_cache() -> None:
        for path in (home / "cache").glob("help-*.json"):
            path.unlink()

    results = {
        "--version": measure([hermes, "--version"], env, runs),
        "--help": measure([hermes, "--help"], env, runs),
        "--help (uncached)": measure([hermes, "--help"], env, runs, before_each=clear_help_cache),
        "plugins list": measure([hermes, "plugins", "list"], env, runs),
    }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    ensure_bytecode()
    previous = load_previous("startup")
    with tempfile.TemporaryDirectory(prefix="hermes-bench-startup-") as tmp:
        root = Path(tmp)
        home = root / "home"
        home.mkdir()
        base_env = {k: v for k, v in os.environ.items() if not k.startswith(("HERMES_", "OPENAI_"))}
        base_env.update({"HERMES_HOME": str(home), "COLUMNS": "120"})
        hermes = str(builtins_venv() / "hermes")
        builtin = scenario(hermes, base_env, home, args.runs)
        full = scenario(str(VENV_BIN / "hermes"), base_env, home, args.runs)
        shutil.rmtree(home / "cache", ignore_errors=True)
        site = make_extra_plugins(root, home)
        extra_env = {**base_env, "PYTHONPATH": str(site)}
        listing = run_with_rusage([hermes, "plugins", "list", "--json"], extra_env)
        loaded = listing[3].decode().count('"status": "ok"')
        extra = scenario(hermes, extra_env, home, args.runs)
    targets = {"--version": 60, "--help": 120}
    print(f"hermes start-up, median of {args.runs} runs ({machine()['platform']}, {machine()['cpus']} CPUs)")
    print(f"{'command':<20} {'built-ins':>11} {'+100 plugins':>13} {'added':>8} {'peak MB':>9}  target   vs previous")
    data: dict[str, dict] = {"machine": machine(), "builtin": builtin, "extra": extra, "full": full,
                             "extra_plugins_loaded": loaded}
    for command in builtin:
        base, more = builtin[command]["median_ms"], extra[command]["median_ms"]
        prev = previous.get("builtin", {}).get(command, {}).get("median_ms")
        target = targets.get(command)
        verdict = ""
        if target is not None:
            verdict = f"<= {target}" + (" ok" if base <= target else " MISSED")
        added_ok = " ok" if more - base <= 50 else " MISSED"
        print(f"{command:<20} {base:>9.1f}ms {more:>11.1f}ms {more - base:>+7.1f}{added_ok:<3} "
              f"{builtin[command]['peak_mb']:>5.1f}/{extra[command]['peak_mb']:<5.1f} {verdict:<9} {compare(base, prev)}")
    print(f"(extra plugins loaded without problems: {loaded} of 100 plus built-ins)")
    print("with the contrib packages too (the development .venv): " + ", ".join(
        f"{command} {full[command]['median_ms']:.1f}ms" for command in full))
    path = save("startup", data)
    print(f"saved {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")


if __name__ == "__main__":
    main()
