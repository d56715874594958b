"""Shared helpers for the kernel and integration tests (the test kit supplies the fixtures)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
HERMES = Path(sys.executable).with_name("hermes")


@pytest.fixture
def run_hermes(hermes_env, tmp_path):
    """Run the real ``hermes`` executable in a subprocess with a hermetic environment."""

    def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None, input: str | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
        full_env = {**hermes_env, **(env or {})}
        full_env["COLUMNS"] = "200"
        return subprocess.run(
            [str(HERMES), *args], capture_output=True, text=True, env=full_env,
            cwd=str(cwd or tmp_path), input=input, timeout=timeout,
        )

    return run


@pytest.fixture
def dropin(hermes_home):
    """``dropin(name, source)`` writes ``$HERMES_HOME/plugins/<name>.py``."""

    def write(name: str, source: str, folder: Path | None = None) -> Path:
        target = folder or hermes_home / "plugins"
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"{name}.py"
        path.write_text(source, encoding="utf-8")
        return path

    return write


@pytest.fixture
def samples():
    """Plugin sources used across tests."""
    import types

    return types.SimpleNamespace(
        good=GOOD_TOOL_PLUGIN,
        raises_at_import=RAISES_AT_IMPORT,
        raises_in_hook=RAISES_IN_HOOK,
        misspelled=MISSPELLED_HOOK,
    )


GOOD_TOOL_PLUGIN = '''
from hermes_core import hookimpl, ToolSpec

def _shout(args, ctx):
    return args["text"].upper()

@hookimpl
def hermes_tools():
    yield ToolSpec(
        name="shout",
        description="Upper-case the text.",
        parameters={"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
        handler=_shout,
        toolset="demo",
        parallel_safe=True,
    )
'''

RAISES_AT_IMPORT = '''
raise RuntimeError("boom at import")
'''

RAISES_IN_HOOK = '''
from hermes_core import hookimpl

@hookimpl
def hermes_tools():
    raise ValueError("boom inside the hook")
'''

MISSPELLED_HOOK = '''
from hermes_core import hookimpl

@hookimpl
def hermes_tool():
    return []
'''

