"""Conformance suite for tool plugins.

Subclass :class:`ToolConformance` and set ``plugin`` to the plugin object (usually the
module). The suite registers it on a fresh host and checks every tool it provides: a
valid name, a description, a well-formed and compact argument schema, an availability
check that answers without raising, and that calls with missing arguments come back as
tool errors instead of exceptions.
"""

from __future__ import annotations

import json
from typing import Any

from hermes_core.types import Availability, ToolSpec

from ..helpers import call_tool

#: A tool's schema (name, description, parameters) is sent with every request; keep it small.
MAX_SCHEMA_BYTES = 2500


class ToolConformance:
    plugin: Any = None
    plugin_name: str = "plugin-under-test"

    def _tools(self, host: Any) -> list[ToolSpec]:
        assert self.plugin is not None, "set `plugin` on the conformance subclass"
        host.register(self.plugin, name=self.plugin_name)
        tools = [t for t in host.tools().values() if t.plugin == self.plugin_name]
        assert host.problems == [], host.problems
        return tools

    def test_provides_tools_without_problems(self, host: Any) -> None:
        assert self._tools(host), "the plugin registers no tools"

    def test_schemas_are_well_formed(self, host: Any) -> None:
        for tool in self._tools(host):
            schema = tool.parameters
            assert tool.description.strip(), f"{tool.name}: empty description"
            assert schema.get("type") == "object", f"{tool.name}: parameters must be an object schema"
            properties = schema.get("properties", {})
            assert isinstance(properties, dict), f"{tool.name}: properties must be a mapping"
            for required in schema.get("required", []):
                assert required in properties, f"{tool.name}: required '{required}' is not a property"
            for name, prop in properties.items():
                assert isinstance(prop, dict) and ("type" in prop or "anyOf" in prop or "enum" in prop), (
                    f"{tool.name}.{name}: every property needs a type"
                )
            size = len(json.dumps(tool.schema_for_model(), separators=(",", ":")))
            assert size <= MAX_SCHEMA_BYTES, f"{tool.name}: schema is {size} bytes (limit {MAX_SCHEMA_BYTES})"

    def test_availability_checks_answer(self, host: Any) -> None:
        for tool in self._tools(host):
            assert isinstance(host.availability(tool), Availability)

    def test_missing_arguments_are_tool_errors(self, host: Any) -> None:
        for tool in self._tools(host):
            if not tool.parameters.get("required") or not host.availability(tool).available:
                continue
            result = call_tool(host, tool.name, {})
            assert result.is_error, f"{tool.name}: a call without its required arguments did not fail"
            assert "required but missing" in result.content
