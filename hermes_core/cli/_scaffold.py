"""``hermes plugins new``: a plugin package whose tests pass as generated."""

from __future__ import annotations

import re
from pathlib import Path

from hermes_core import __version__

_PYPROJECT = '''\
[build-system]
requires = ["hatchling>=1.24"]
build-backend = "hatchling.build"

[project]
name = "hermes-plugin-{name}"
version = "0.1.0"
description = "{description}"
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["hermes-core>={core_major_minor},<{core_next}"]

[project.optional-dependencies]
test = ["pytest>=8.0"]

# This line is what makes hermes find the plugin once the package is installed.
[project.entry-points."hermes.plugins"]
{name} = "{module}"

[tool.hatch.build.targets.wheel]
packages = ["src/{module}"]

[tool.pytest.ini_options]
pythonpath = ["src"]
addopts = ["--import-mode=importlib"]
testpaths = ["tests"]
filterwarnings = ["error"]
'''

_MODULE = '''\
"""{description}

This entry module is imported when hermes starts, so it imports only ``hermes_core`` and
the standard library. Import heavy libraries inside the functions that need them.
"""

from __future__ import annotations

from hermes_core import ToolSpec, hookimpl


def {func}(args, ctx):
    """Handle a call of the {tool} tool. ``ctx`` is a hermes_core.ToolContext."""
    name = args.get("name") or "world"
    return f"Hello, {{name}}! (from the {name} plugin, session {{ctx.session.id}})"


@hookimpl
def hermes_tools():
    yield ToolSpec(
        name="{tool}",
        description="Greet someone by name.",
        parameters={{
            "type": "object",
            "properties": {{"name": {{"type": "string", "description": "who to greet"}}}},
        }},
        handler={func},
        toolset="{name}",
        parallel_safe=True,
    )
'''

_TESTS = '''\
"""Tests for the {name} plugin, using the hermes test kit (fixtures come with hermes-core)."""

from __future__ import annotations

import {module}
from hermes_core.testing import Reply, call_tool, run_agent
from hermes_core.testing.conformance import ToolConformance


def test_registers_its_tool(host):
    host.register({module}, name="{name}")
    assert "{tool}" in host.tools()
    assert host.problems == []


def test_tool_greets(host):
    host.register({module}, name="{name}")
    result = call_tool(host, "{tool}", {{"name": "Ada"}})
    assert not result.is_error
    assert "Hello, Ada!" in result.content


async def test_model_uses_the_tool(host, llm_server):
    """A whole conversation against the test kit's scripted OpenAI-compatible server."""
    host.register({module}, name="{name}")
    llm_server.script(Reply.tool_call("{tool}", {{"name": "Ada"}}), Reply.text("I greeted Ada."))
    agent = await run_agent(host, llm_server, "please greet Ada")
    assert agent.last_result.text == "I greeted Ada."
    assert "Hello, Ada!" in llm_server.chat_requests[1].messages[-1]["content"]


class TestConformance(ToolConformance):
    plugin = {module}
'''

_README = '''\
# hermes-plugin-{name}

{description}

## Install

    hermes plugins install ./hermes-plugin-{name}      # or: pip install -e .

Then `hermes tools list` shows the `{tool}` tool.

## Develop

    pip install -e . pytest
    pytest

The tests use the hermes test kit: the `host` fixture (a hermes host with a temporary
home and no other plugins), `call_tool`, and a scripted OpenAI-compatible server
(`llm_server`) for whole conversations. See hermes's docs/plugins.md.
'''


def scaffold(name: str, parent: Path, *, description: str | None = None) -> Path:
    """Create ``parent/hermes-plugin-<name>`` and return its path."""
    if not re.match(r"^[a-z][a-z0-9-]{0,40}$", name):
        raise ValueError(f"invalid plugin name {name!r}: use lower-case letters, digits and '-'")
    module = "hermes_plugin_" + name.replace("-", "_")
    tool = name.replace("-", "_") + "_hello"
    root = parent / f"hermes-plugin-{name}"
    if root.exists():
        raise ValueError(f"{root} already exists")
    description = description or f"A hermes plugin: {name}."
    major, minor = (int(p) for p in __version__.split(".")[:2])
    values = {
        "name": name,
        "module": module,
        "tool": tool,
        "func": f"_{tool}",
        "description": description.replace('"', "'"),
        "core_major_minor": f"{major}.{minor}",
        "core_next": f"{major}.{minor + 1}" if major == 0 else f"{major + 1}",
    }
    (root / "src" / module).mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "pyproject.toml").write_text(_PYPROJECT.format(**values), encoding="utf-8")
    (root / "src" / module / "__init__.py").write_text(_MODULE.format(**values), encoding="utf-8")
    (root / "tests" / f"test_{module[len('hermes_plugin_'):]}.py").write_text(_TESTS.format(**values), encoding="utf-8")
    (root / "README.md").write_text(_README.format(**values), encoding="utf-8")
    (root / ".gitignore").write_text("__pycache__/\n*.egg-info/\n.pytest_cache/\n", encoding="utf-8")
    return root
