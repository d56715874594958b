"""The ``file_tools`` config section and how a tool call reads it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from hermes_core import ToolError

SECTION = "file_tools"


class FileToolsConfig(BaseModel):
    """``file_tools`` in ``config.yaml``."""

    model_config = ConfigDict(extra="forbid")

    ripgrep: bool = Field(True, description="use ripgrep (rg) for search_files when it is on PATH")
    max_read_chars: int = Field(100_000, ge=1000, description="most characters one read_file call returns")
    search_timeout: float = Field(30.0, gt=0, description="seconds before search_files stops")


def settings(ctx: Any) -> FileToolsConfig:
    """The validated section for this call (defaults when no plugin declared it)."""
    from hermes_core import ConfigError

    try:
        value = ctx.plugin_config(SECTION)
    except ConfigError as exc:
        if "no plugin declares" in str(exc):
            return FileToolsConfig()
        raise ToolError(f"invalid config: {exc}. Fix the '{SECTION}' section of config.yaml.") from exc
    return value if isinstance(value, FileToolsConfig) else FileToolsConfig()


def output_budget(ctx: Any, own_limit: int) -> int:
    """How many characters a result may use: the tool's own limit, kept under the size at
    which the kernel would spill the result to a file (a spilled read_file is useless)."""
    kernel = ctx.tool.max_result_chars or ctx.config.tools.max_result_chars
    return max(1000, min(own_limit, kernel - 400))
