"""The plugin as the kernel sees it: conformance, schema size, metadata, config."""

from __future__ import annotations

import json

import hermes_plugin_file_tools

from hermes_core.testing import call_tool
from hermes_core.testing.conformance import ToolConformance


class TestFileToolsConformance(ToolConformance):
    plugin = hermes_plugin_file_tools
    plugin_name = "file-tools"


def test_tools_and_their_metadata(tools):
    specs = {name: spec for name, spec in tools.tools().items()}
    assert set(specs) == {"read_file", "write_file", "patch", "search_files"}
    assert {spec.toolset for spec in specs.values()} == {"file"}
    assert {n for n, s in specs.items() if s.parallel_safe} == {"read_file", "search_files"}
    assert {n: s.progress_arg for n, s in specs.items()} == {
        "read_file": "path", "write_file": "path", "patch": "path", "search_files": "pattern"}
    assert "file" in tools.toolsets()


def test_schemas_are_compact(tools):
    sizes = {name: len(json.dumps(spec.schema_for_model(), separators=(",", ":")))
             for name, spec in tools.tools().items()}
    assert all(size <= 800 for size in sizes.values()), sizes
    assert sum(sizes.values()) <= 2700, sizes


def test_argument_names_match_hermes_agent(tools):
    properties = {name: set(spec.parameters["properties"]) for name, spec in tools.tools().items()}
    assert properties["read_file"] == {"path", "offset", "limit"}
    assert properties["write_file"] == {"path", "content"}
    assert {"path", "old_string", "new_string", "replace_all"} <= properties["patch"]
    assert properties["search_files"] == {"pattern", "target", "path", "file_glob", "limit", "offset", "output_mode", "context"}


def test_invalid_config_is_reported_to_the_model(make_host):
    host = make_host(plugins={"file-tools": hermes_plugin_file_tools}, config={"file_tools": {"max_read_chars": 5}})
    (host.cwd / "a.txt").write_text("x\n")
    result = call_tool(host, "read_file", {"path": "a.txt"})
    assert result.is_error and "invalid config" in result.content and "file_tools" in result.content
