"""The plugin as hermes loads it: entry point, import-light entry module, registration,
and the kernel's approval gate acting on its verdicts (with a fake tool that records
commands instead of running them)."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path
from types import SimpleNamespace

import hermes_plugin_approval
from hermes_core.testing import ScriptedInteraction, call_tool, make_session
from hermes_core.types import ToolSpec, Verdict
from hermes_plugin_approval.rules import RULES

README = Path(__file__).resolve().parent.parent / "README.md"


def test_entry_point_is_named_approval() -> None:
    (ep,) = [ep for ep in entry_points(group="hermes.plugins") if ep.name == "approval"]
    assert ep.value == "hermes_plugin_approval"


def test_entry_module_is_import_light() -> None:
    code = ("import sys, hermes_plugin_approval; "
            "print(sorted(m for m in sys.modules if m.startswith(('bashlex', 'hermes_plugin_approval.'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_registers_the_command_scanner(host) -> None:
    host.register(hermes_plugin_approval, name="approval")
    spec = host.scanners()["dangerous-commands"]
    assert spec.targets == frozenset({"command"})
    assert spec.plugin == "approval"
    assert host.scan("rm -rf /", "command").verdict == Verdict.BLOCK
    assert host.scan("git push -f", "command").verdict == Verdict.ASK
    assert host.scan("ls -la", "command").verdict == Verdict.ALLOW
    assert host.scan("rm -rf /", "context_file").verdict == Verdict.ALLOW  # not its target


def _recording_tool(ran: list[str]) -> ToolSpec:
    def handler(args, ctx):  # noqa: ANN001, ANN202 - records, never runs
        ran.append(args["command"])
        return "ok"

    return ToolSpec(name="terminal", description="records commands", handler=handler, command_arg="command",
                    parameters={"type": "object", "properties": {"command": {"type": "string"}},
                                "required": ["command"]})


def _host_with_tool(make_host, ran: list[str], config: dict | None = None):  # noqa: ANN001, ANN202
    tools = SimpleNamespace(hermes_tools=lambda: [_recording_tool(ran)])
    from hermes_core import hookimpl

    tools.hermes_tools = hookimpl(tools.hermes_tools)
    return make_host(config=config, plugins={"approval": hermes_plugin_approval, "fake-terminal": tools})


def test_gate_blocks_hardline_even_with_approvals_off(make_host) -> None:
    ran: list[str] = []
    host = _host_with_tool(make_host, ran, {"approvals": {"mode": "off"}})
    result = call_tool(host, "terminal", {"command": "sudo rm -rf --no-preserve-root /"})
    assert result.is_error and result.content.startswith("Blocked: recursive delete of /")
    assert call_tool(host, "terminal", {"command": "git push --force"}).content == "ok"
    assert ran == ["git push --force"]


def test_gate_asks_and_uses_the_rule_key(make_host) -> None:
    ran: list[str] = []
    host = _host_with_tool(make_host, ran)
    interaction = ScriptedInteraction(approvals=["session"])
    session = make_session(host, interaction=interaction)
    assert call_tool(host, "terminal", {"command": "rm -rf build"}, session=session).content == "ok"
    (request,) = interaction.approval_requests
    assert request.key == "terminal:recursive-delete"
    assert request.reason == "recursive delete of build"


def test_readme_documents_every_rule() -> None:
    text = README.read_text("utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \| (?:block|ask) \|", text, re.M))
    assert documented == {rule.id for rule in RULES}
    for rule in RULES:
        assert re.search(rf"^\| `{rule.id}` \| {rule.verdict.value} \|", text, re.M), rule.id
