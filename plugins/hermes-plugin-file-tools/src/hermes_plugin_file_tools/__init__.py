"""hermes file tools: ``read_file``, ``write_file``, ``patch`` and ``search_files``.

This entry module imports only ``hermes_core`` and the standard library; each tool's
module loads on its first call.
"""

from __future__ import annotations

from typing import Any

from hermes_core import ConfigSectionSpec, ToolsetSpec, ToolSpec, hookimpl

from . import schemas


def _read_file(args: dict[str, Any], ctx: Any) -> str:
    from .read import read_file

    return read_file(args, ctx)


def _write_file(args: dict[str, Any], ctx: Any) -> str:
    from .write import write_file

    return write_file(args, ctx)


def _patch(args: dict[str, Any], ctx: Any) -> str:
    from .patch import patch

    return patch(args, ctx)


def _search_files(args: dict[str, Any], ctx: Any) -> str:
    from .search import search_files

    return search_files(args, ctx)


@hookimpl
def hermes_tools():
    """The four file tools, in the ``file`` toolset."""
    yield ToolSpec(name="read_file", description=schemas.READ_FILE_DESCRIPTION, parameters=schemas.READ_FILE,
                   handler=_read_file, toolset="file", parallel_safe=True, progress_arg="path")
    yield ToolSpec(name="write_file", description=schemas.WRITE_FILE_DESCRIPTION, parameters=schemas.WRITE_FILE,
                   handler=_write_file, toolset="file", progress_arg="path")
    yield ToolSpec(name="patch", description=schemas.PATCH_DESCRIPTION, parameters=schemas.PATCH,
                   handler=_patch, toolset="file", progress_arg="path")
    yield ToolSpec(name="search_files", description=schemas.SEARCH_FILES_DESCRIPTION,
                   parameters=schemas.SEARCH_FILES, handler=_search_files, toolset="file",
                   parallel_safe=True, progress_arg="pattern")


@hookimpl
def hermes_toolsets():
    yield ToolsetSpec(name="file", description="read, write, patch and search files")


@hookimpl
def hermes_config_sections():
    from .config import SECTION, FileToolsConfig

    yield ConfigSectionSpec(name=SECTION, model=FileToolsConfig,
                            description="file tools: ripgrep use, read size, search time limit")
