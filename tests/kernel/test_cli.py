"""The real ``hermes`` executable, run in subprocesses with a hermetic environment."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from hermes_core.testing import Reply

HEAVY = ("litellm", "docker", "paramiko", "telegram", "discord", "slack_sdk", "mcp", "openai", "httpx", "mem0", "honcho", "bashlex")


def _imported_modules(run_hermes, *args):
    result = run_hermes(*args, env={"PYTHONPROFILEIMPORTTIME": "1"})
    names = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return result, names


def test_version_imports_no_plugin_and_no_third_party_sdk(run_hermes):
    result, modules = _imported_modules(run_hermes, "--version")
    assert result.returncode == 0
    assert result.stdout.startswith("hermes ")
    assert not [m for m in modules if m.startswith("hermes_plugin")]
    for name in ("click", "pydantic", "pluggy", "yaml", "rich", *HEAVY):
        assert name not in {m.split(".")[0] for m in modules}, name


def test_help_lists_plugin_commands_without_heavy_imports(run_hermes, dropin):
    dropin("cmdplugin", '''
from hermes_core import hookimpl, CommandSpec

def _build():
    import click, json  # the command's own (heavy) imports go here
    @click.command()
    def hello():
        """Say hello."""
        click.echo("hello from a plugin command")
    return hello

@hookimpl
def hermes_cli_commands():
    yield CommandSpec(name="hello", description="Say hello from a plugin.", factory=_build)
''')
    result, modules = _imported_modules(run_hermes, "--help")
    assert result.returncode == 0, result.stderr
    assert "hello" in result.stdout and "Say hello from a plugin. [cmdplugin]" in result.stdout
    for name in ("chat", "model", "tools", "plugins", "config", "doctor"):
        assert f"  {name}" in result.stdout
    top = {m.split(".")[0] for m in modules}
    assert not top & set(HEAVY), top & set(HEAVY)
    assert "hermes_core.cli.chat_cmd" not in modules and "prompt_toolkit" not in top
    ran = run_hermes("hello")
    assert ran.stdout.strip() == "hello from a plugin command"


@pytest.mark.parametrize("command", [
    ["chat"], ["model"], ["model", "list"], ["model", "set"], ["tools"], ["tools", "list"], ["plugins"],
    ["plugins", "list"], ["plugins", "info"], ["plugins", "install"], ["plugins", "uninstall"], ["plugins", "new"],
    ["plugins", "enable"], ["plugins", "disable"], ["config"], ["config", "show"], ["config", "get"], ["config", "set"],
    ["config", "unset"], ["config", "path"], ["doctor"],
])
def test_every_command_has_help(command):
    from click.testing import CliRunner

    from hermes_core.cli._root import CliState, cli

    result = CliRunner().invoke(cli, [*command, "--help"], obj=CliState(), env={"HERMES_DISABLE_PLUGIN_AUTOLOAD": "1"})
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_dropin_tool_appears_in_tools_list(run_hermes, dropin, samples):
    dropin("shouter", samples.good)
    result = run_hermes("tools", "list")
    assert result.returncode == 0, result.stderr
    assert "shout" in result.stdout and "shouter" in result.stdout
    rows = json.loads(run_hermes("tools", "list", "--json").stdout)
    shout = next(r for r in rows if r["name"] == "shout")
    assert shout["plugin"] == "shouter" and shout["available"] and shout["toolset"] == "demo"


def test_three_broken_plugins_every_command_still_works(run_hermes, dropin, samples, hermes_home):
    dropin("bad_import", samples.raises_at_import)
    dropin("bad_hook", samples.raises_in_hook)
    dropin("misspelled", samples.misspelled)
    dropin("shouter", samples.good)
    for args in (["--version"], ["--help"], ["plugins", "list"], ["tools", "list"], ["config", "show"],
                 ["model"], ["plugins", "info", "bad_hook"], ["config", "path"]):
        result = run_hermes(*args)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr, args
    doctor = run_hermes("doctor")
    assert "Traceback" not in doctor.stderr
    out = doctor.stdout
    assert "plugin 'bad_import' (dropin): import: import failed: RuntimeError: boom at import" in out
    assert "plugin 'bad_hook' (dropin): hook-error in hermes_tools: raised ValueError: boom inside the hook" in out
    assert "plugin 'misspelled' (dropin): unknown-hook in hermes_tool: 'hermes_tool' is not a hermes hook; did you mean 'hermes_tools'?" in out
    assert doctor.returncode == 1
    listing = run_hermes("plugins", "list", "--json")
    status = {row["name"]: row["status"] for row in json.loads(listing.stdout)}
    assert status["bad_import"] == "failed" and status["shouter"] == "ok"
    assert "shout" in run_hermes("tools", "list").stdout


def test_plugins_enable_disable(run_hermes, dropin, samples, hermes_home):
    dropin("bad_import", samples.raises_at_import)
    assert run_hermes("plugins", "disable", "bad_import").returncode == 0
    assert "bad_import" in (hermes_home / "config.yaml").read_text()
    rows = {r["name"]: r for r in json.loads(run_hermes("plugins", "list", "--json").stdout)}
    assert rows["bad_import"]["status"] == "disabled"
    doctor = run_hermes("doctor")
    assert "bad_import" not in doctor.stdout.split("plugins")[1].split("model")[0].replace("disabled: bad_import", "")
    assert run_hermes("plugins", "enable", "bad_import").returncode == 0
    rows = {r["name"]: r for r in json.loads(run_hermes("plugins", "list", "--json").stdout)}
    assert rows["bad_import"]["status"] == "failed"


def test_plugins_install_and_uninstall_a_py_file(run_hermes, tmp_path, hermes_home, samples):
    source = tmp_path / "mytool.py"
    source.write_text(samples.good)
    result = run_hermes("plugins", "install", str(source))
    assert result.returncode == 0, result.stderr
    assert (hermes_home / "plugins" / "mytool.py").exists()
    assert "shout" in run_hermes("tools", "list").stdout
    again = run_hermes("plugins", "install", str(source))
    assert again.returncode != 0 and "already exists" in again.stderr
    removed = run_hermes("plugins", "uninstall", "mytool", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert not (hermes_home / "plugins" / "mytool.py").exists()


def test_plugins_uninstall_unknown_is_a_clear_error(run_hermes):
    result = run_hermes("plugins", "uninstall", "no-such-plugin", "--yes")
    assert result.returncode == 1 and "no plugin named 'no-such-plugin'" in result.stderr


def test_plugins_new_scaffold_passes_its_own_tests(run_hermes, tmp_path):
    result = run_hermes("plugins", "new", "weather", "--dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    root = tmp_path / "hermes-plugin-weather"
    assert (root / "pyproject.toml").exists() and (root / "src" / "hermes_plugin_weather" / "__init__.py").exists()
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=root,
                           capture_output=True, text=True, timeout=120)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "passed" in tests.stdout
    existing = run_hermes("plugins", "new", "weather", "--dir", str(tmp_path))
    assert existing.returncode != 0


def test_config_commands(run_hermes, hermes_home):
    assert run_hermes("config", "set", "agent.max_iterations", "42").returncode == 0
    assert run_hermes("config", "get", "agent.max_iterations").stdout.strip() == "42"
    bad = run_hermes("config", "set", "agent.max_iterations", "lots")
    assert bad.returncode == 1
    assert f"{hermes_home / 'config.yaml'}: key 'agent.max_iterations': expected a whole number, got 'lots'" in bad.stderr
    unknown = run_hermes("config", "set", "agent.max_iteration", "3")
    assert "allowed keys in 'agent': max_iterations" in unknown.stderr
    choice = run_hermes("config", "set", "approvals.mode", "sometimes")
    assert "expected one of ask, off" in choice.stderr
    assert run_hermes("config", "set", "terminal.backend", "docker").returncode == 0
    assert run_hermes("config", "get", "terminal.backend").stdout.strip() == "docker"
    assert run_hermes("config", "set", "tools.disabled", "a,b").returncode == 0
    assert run_hermes("config", "get", "tools.disabled").stdout.split() == ['[', '"a",', '"b"', ']']
    assert run_hermes("config", "unset", "agent.max_iterations").returncode == 0
    assert run_hermes("config", "get", "agent.max_iterations").stdout.strip() == "90"
    assert run_hermes("config", "path").stdout.strip() == str(hermes_home / "config.yaml")


def test_environment_overrides_config(run_hermes):
    result = run_hermes("config", "get", "agent.max_iterations", env={"HERMES_AGENT__MAX_ITERATIONS": "7"})
    assert result.stdout.strip() == "7"


def test_malformed_config_is_reported_not_fatal(run_hermes, hermes_home):
    (hermes_home / "config.yaml").write_text("model:\n  name: [unclosed\n")
    doctor = run_hermes("doctor")
    assert "Traceback" not in doctor.stderr
    assert "invalid YAML at line" in doctor.stdout
    assert run_hermes("plugins", "list").returncode == 0
    chat = run_hermes("chat", "-q", "hi")
    assert chat.returncode == 1 and "config is invalid" in chat.stderr


def test_config_show_masks_secrets(run_hermes, hermes_home):
    (hermes_home / "config.yaml").write_text("model:\n  extra:\n    api_key: sk-verysecretvalue1234\n")
    shown = run_hermes("config", "show").stdout
    assert "sk-verysecretvalue1234" not in shown and "****1234" in shown


# ----------------------------------------------------------------------------------------
# chat against the scripted server
# ----------------------------------------------------------------------------------------


def _model_env(server):
    return {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "sk-test", "HERMES_MODEL__NAME": "test-model"}


def test_chat_q_prints_the_answer(run_hermes, llm_server):
    llm_server.script(Reply.text("Hello from the model."))
    result = run_hermes("chat", "-q", "hello", env=_model_env(llm_server))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Hello from the model."
    assert llm_server.chat_requests[0].headers["authorization"] == "Bearer sk-test"


def test_chat_q_runs_a_tool_and_answers(run_hermes, llm_server, dropin, samples):
    dropin("shouter", samples.good)
    llm_server.script(Reply.tool_call("shout", {"text": "hi"}), Reply.text("It shouted HI."))
    result = run_hermes("chat", "-q", "shout hi", env=_model_env(llm_server))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "It shouted HI."
    assert "shout" in result.stderr  # tool progress goes to stderr
    assert llm_server.chat_requests[1].messages[-1]["content"] == "HI"


def test_chat_q_fails_with_a_clear_error(run_hermes, llm_server):
    env = {**_model_env(llm_server), "HERMES_MODEL__MAX_RETRIES": "0"}
    llm_server.script(Reply.error(401, "Incorrect API key provided"))
    result = run_hermes("chat", "-q", "hello", env=env)
    assert result.returncode == 1
    assert "authentication failed" in result.stderr and "API key" in result.stderr
    assert "Traceback" not in result.stderr


def test_chat_q_model_flag_and_unknown_provider(run_hermes, llm_server):
    llm_server.script(Reply.text("ok"))
    result = run_hermes("chat", "-q", "hi", "-m", "openai:other-model", env=_model_env(llm_server))
    assert result.returncode == 0, result.stderr
    assert llm_server.chat_requests[0].json["model"] == "other-model"
    bad = run_hermes("chat", "-q", "hi", "-m", "nosuch:model", env=_model_env(llm_server))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr


def test_chat_save_trajectory(run_hermes, llm_server, hermes_home):
    llm_server.script(Reply.text("saved"))
    result = run_hermes("chat", "-q", "hi", "--save-trajectory", env=_model_env(llm_server))
    assert result.returncode == 0, result.stderr
    lines = (hermes_home / "trajectories" / "trajectories.jsonl").read_text().splitlines()
    record = json.loads(lines[-1])
    assert [t["from"] for t in record["conversations"]] == ["system", "human", "gpt"]


def test_model_command(run_hermes, hermes_home, llm_server):
    listing = run_hermes("model")
    assert listing.returncode == 0 and "openai" in listing.stdout
    assert run_hermes("model", "set", "ollama:llama3:8b").returncode == 0
    text = (hermes_home / "config.yaml").read_text()
    assert "provider: ollama" in text and "name: llama3:8b" in text
    remote = run_hermes("model", "list", "openai", "--remote", "--json", env={"OPENAI_BASE_URL": llm_server.base_url})
    assert json.loads(remote.stdout)[0]["models"] == ["test-model"]


def test_chat_without_an_api_key_says_what_to_set(run_hermes, hermes_home):
    result = run_hermes("chat", "-q", "hello")
    assert result.returncode == 1
    assert "no API key for provider 'openai': set OPENAI_API_KEY" in result.stderr
    assert str(hermes_home / ".env") in result.stderr
