"""Discovery and loading: drop-ins, broken plugins, duplicates, switches, strict mode."""

from __future__ import annotations

import types

import pytest

from hermes_core import Host, PluginProblem, ToolSpec, hookimpl
from hermes_core.errors import PluginError


def _host(hermes_home, hermes_env, tmp_path, **kwargs):
    env = {**hermes_env, **kwargs.pop("env", {})}
    return Host(hermes_home, env=env, cwd=kwargs.pop("cwd", tmp_path), autoload=kwargs.pop("autoload", True), **kwargs)


def _dropins_only(hermes_env):
    # Drop-in tests must not depend on which entry-point plugins happen to be installed.
    return {**hermes_env, "HERMES_DISABLE_PLUGINS": ",".join(_installed_entry_point_names())}


def _installed_entry_point_names():
    from hermes_core._loader import _scan_entry_points

    return [r.name for r in _scan_entry_points()]


def test_dropin_tool_is_discovered(hermes_home, hermes_env, tmp_path, dropin, samples):
    dropin("shouter", samples.good)
    host = _host(hermes_home, _dropins_only(hermes_env), tmp_path).load()
    assert host.plugins["shouter"].source == "dropin"
    assert host.plugins["shouter"].loaded
    tool = host.tools()["shout"]
    assert tool.plugin == "shouter"
    assert tool.toolset == "demo"
    assert not host.problems


def test_dropin_package_folder(hermes_home, hermes_env, tmp_path, samples):
    pkg = hermes_home / "plugins" / "pkgplugin"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("from .impl import hermes_tools\n")
    (pkg / "impl.py").write_text(samples.good.replace("from hermes_core import hookimpl, ToolSpec", "from hermes_core import hookimpl, ToolSpec\n"))
    host = _host(hermes_home, _dropins_only(hermes_env), tmp_path).load()
    assert "shout" in host.tools()


def test_three_broken_plugins_are_recorded_not_fatal(hermes_home, hermes_env, tmp_path, dropin, samples):
    dropin("bad_import", samples.raises_at_import)
    dropin("bad_hook", samples.raises_in_hook)
    dropin("misspelled", samples.misspelled)
    dropin("good", samples.good)
    host = _host(hermes_home, _dropins_only(hermes_env), tmp_path).load()
    host.collect_all()
    assert "shout" in host.tools()  # the good one still works
    by_plugin = {p.plugin: p for p in host.problems}
    assert by_plugin["bad_import"].kind == "import"
    assert "boom at import" in by_plugin["bad_import"].message
    assert by_plugin["bad_import"].source == "dropin"
    assert by_plugin["bad_hook"].kind == "hook-error"
    assert by_plugin["bad_hook"].hook == "hermes_tools"
    assert "boom inside the hook" in by_plugin["bad_hook"].message
    assert by_plugin["misspelled"].kind == "unknown-hook"
    assert "did you mean 'hermes_tools'" in by_plugin["misspelled"].message


def test_unmarked_hermes_function_counts_as_hook(host):
    module = types.ModuleType("plain_plugin")
    exec("def hermes_tools():\n    return []\ndef hermes_tols():\n    return []\n", module.__dict__)
    host.register(module)
    assert host.plugins["plain_plugin"].hooks == ["hermes_tools"]
    assert [p.hook for p in host.problems] == ["hermes_tols"]


def test_imported_functions_are_not_mistaken_for_hooks(host):
    module = types.ModuleType("importer")
    exec("from hermes_core._loader import env_flag as hermes_helper\n", module.__dict__)
    host.register(module)
    assert host.problems == []


def test_bad_hook_signature_is_a_problem(host):
    class Plugin:
        @hookimpl
        def hermes_session_start(self, session, not_a_parameter):
            pass

    host.register(Plugin(), name="badsig")
    assert host.problems and host.problems[0].kind == "register"
    assert "not_a_parameter" in host.problems[0].message or "hermes_session_start" in host.problems[0].message


def _tool(name, toolset="t"):
    return ToolSpec(name=name, description=name, handler=lambda a, c: "ok", toolset=toolset)


def test_duplicate_tool_names_name_both_plugins(host):
    class First:
        @hookimpl
        def hermes_tools(self):
            return [_tool("same")]

    class Second:
        @hookimpl
        def hermes_tools(self):
            return [_tool("same"), _tool("other")]

    host.register(First(), name="first")
    host.register(Second(), name="second")
    tools = host.tools()
    assert tools["same"].plugin == "first"
    assert tools["other"].plugin == "second"
    (problem,) = host.problems
    assert problem.kind == "duplicate" and problem.plugin == "second"
    assert "'first'" in problem.message and "'second'" in problem.message


def test_registry_hook_returning_wrong_type(host):
    class Plugin:
        @hookimpl
        def hermes_tools(self):
            return ["not a spec"]

    host.register(Plugin(), name="wrongtype")
    assert host.tools() == {}
    assert host.problems[0].kind == "bad-result"


def test_disabled_plugin_is_never_imported(hermes_home, hermes_env, tmp_path, dropin, samples):
    dropin("bad_import", samples.raises_at_import)
    (hermes_home / "config.yaml").write_text("plugins:\n  disabled: [bad_import]\n")
    host = _host(hermes_home, _dropins_only(hermes_env), tmp_path).load()
    assert host.plugins["bad_import"].enabled is False
    assert not host.problems


def test_disable_by_env(hermes_home, hermes_env, tmp_path, dropin, samples):
    dropin("bad_import", samples.raises_at_import)
    env = _dropins_only(hermes_env)
    env["HERMES_DISABLE_PLUGINS"] += ",bad_import"
    host = _host(hermes_home, env, tmp_path).load()
    assert host.plugins["bad_import"].enabled is False
    assert not host.problems


def test_no_external_plugins_switch_skips_dropins(hermes_home, hermes_env, tmp_path, dropin, samples):
    dropin("shouter", samples.good)
    host = _host(hermes_home, {**hermes_env, "HERMES_NO_EXTERNAL_PLUGINS": "1"}, tmp_path).load()
    assert "shouter" not in host.plugins
    assert all(p.source == "builtin" for p in host.plugins.values())


def test_autoload_off_loads_nothing(hermes_home, hermes_env, tmp_path, dropin, samples):
    dropin("shouter", samples.good)
    host = _host(hermes_home, {**hermes_env, "HERMES_DISABLE_PLUGIN_AUTOLOAD": "1"}, tmp_path, autoload=None).load()
    assert host.plugins == {}


def test_strict_mode_raises(hermes_home, hermes_env, tmp_path, dropin, samples):
    dropin("bad_import", samples.raises_at_import)
    host = _host(hermes_home, {**_dropins_only(hermes_env), "HERMES_STRICT_PLUGINS": "1"}, tmp_path)
    with pytest.raises(PluginError, match="boom at import"):
        host.load()


def test_strict_mode_raises_for_hook_errors(hermes_home, hermes_env, tmp_path, dropin, samples):
    dropin("bad_hook", samples.raises_in_hook)
    host = _host(hermes_home, {**_dropins_only(hermes_env), "HERMES_STRICT_PLUGINS": "1"}, tmp_path).load()
    with pytest.raises(PluginError, match="boom inside the hook"):
        host.tools()


def test_trace_switch_prints_hook_calls(hermes_home, hermes_env, tmp_path, dropin, samples, capfd):
    dropin("shouter", samples.good)
    host = _host(hermes_home, {**_dropins_only(hermes_env), "HERMES_TRACE_HOOKS": "1"}, tmp_path).load()
    host.tools()
    err = capfd.readouterr().err
    assert "[hermes trace] shouter.hermes_tools -> 1 item(s)" in err


def test_project_plugins_need_trust(hermes_home, hermes_env, tmp_path, samples):
    project = tmp_path / "proj"
    plugins = project / ".hermes" / "plugins"
    plugins.mkdir(parents=True)
    (plugins / "projtool.py").write_text(samples.good)
    nested = project / "src" / "deep"
    nested.mkdir(parents=True)
    env = _dropins_only(hermes_env)
    untrusted = _host(hermes_home, env, tmp_path, cwd=nested).load()
    assert "projtool" not in untrusted.plugins
    (hermes_home / "config.yaml").write_text(f"projects:\n  trusted: ['{project}']\n")
    trusted = _host(hermes_home, env, tmp_path, cwd=nested).load()
    assert trusted.plugins["projtool"].source == "project"
    assert "shout" in trusted.tools()


def test_duplicate_plugin_names_across_sources(hermes_home, hermes_env, tmp_path, samples):
    project = tmp_path / "proj"
    (project / ".hermes" / "plugins").mkdir(parents=True)
    (project / ".hermes" / "plugins" / "same.py").write_text(samples.good)
    (hermes_home / "plugins").mkdir()
    (hermes_home / "plugins" / "same.py").write_text(samples.good)
    (hermes_home / "config.yaml").write_text(f"projects:\n  trusted: ['{project}']\n")
    host = _host(hermes_home, _dropins_only(hermes_env), tmp_path, cwd=project).load()
    assert host.plugins["same"].source == "dropin"
    assert any(p.kind == "duplicate" and p.plugin == "same" for p in host.problems)


def test_hosts_are_independent(make_host):
    class Plugin:
        @hookimpl
        def hermes_tools(self):
            return [_tool("only_here")]

    one = make_host(plugins=[Plugin()])
    two = make_host()
    assert "only_here" in one.tools()
    assert "only_here" not in two.tools()


async def test_lifecycle_hook_errors_do_not_escape(host):
    from hermes_core.testing import make_session

    class Plugin:
        @hookimpl
        def hermes_session_start(self, session):
            raise KeyError("oops")

        @hookimpl
        async def hermes_session_end(self, session, reason):
            raise RuntimeError("async oops")

    host.register(Plugin(), name="flaky")
    session = make_session(host)
    await host.hooks.session_start(session)
    await host.hooks.session_end(session, "exit")
    kinds = {(p.plugin, p.hook) for p in host.problems}
    assert kinds == {("flaky", "hermes_session_start"), ("flaky", "hermes_session_end")}
    assert all(isinstance(p, PluginProblem) for p in host.problems)


def test_entry_point_cache_is_refreshed_when_sys_path_changes(tmp_path, monkeypatch):
    import sys

    from hermes_core import _loader

    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    cache = tmp_path / "cache"
    before = {r.name for r in _loader.entry_point_records(cache)}
    assert "fresh_ep_plugin" not in before
    dist = site / "fresh_ep_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fresh-ep-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[hermes.plugins]\nfresh_ep_plugin = fresh_ep_plugin\n")
    import os
    import time

    os.utime(site, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    after = {r.name: r for r in _loader.entry_point_records(cache)}
    assert after["fresh_ep_plugin"].version == "1.0"
    assert after["fresh_ep_plugin"].distribution == "fresh-ep-plugin"
    assert sys.path[0] == str(site)


def test_plugins_without_hooks_can_coexist(host):
    import types

    host.register(types.ModuleType("empty_one"))
    host.register(types.ModuleType("empty_two"))
    assert host.problems == []
    assert host.plugins["empty_two"].loaded


def test_availability_checks_may_look_at_the_host(make_host):
    class Plugin:
        @hookimpl
        def hermes_tools(self):
            yield ToolSpec(name="needs_config", description="x", handler=lambda a, c: "",
                           check_available=lambda host: host.config.agent.max_iterations > 10 or "budget too small")
            yield ToolSpec(name="plain", description="x", handler=lambda a, c: "", check_available=lambda: True)

    roomy = make_host(plugins=[Plugin()])
    assert [t.name for t in roomy.active_tools()] == ["needs_config", "plain"]
    tight = make_host(plugins=[Plugin()], config={"agent": {"max_iterations": 5}})
    assert tight.availability(tight.tools()["needs_config"]).reason == "budget too small"
