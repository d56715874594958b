"""Fixtures for the file tools' tests: a host with the plugin, its working folder, and a
way to run code without root's power to read anything."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import hermes_plugin_file_tools
import pytest

from hermes_core import ToolCall, ToolContext
from hermes_core.testing import make_session

NOBODY = 65534


@pytest.fixture
def tools(make_host):
    """A host with the file tools registered (ripgrep on, the default)."""
    return make_host(plugins={"file-tools": hermes_plugin_file_tools})


@pytest.fixture
def work(tools) -> Path:
    """The session's working folder: relative paths in tool calls start here."""
    return tools.cwd


@pytest.fixture
def direct(tools):
    """Call a tool's handler directly, in this thread. Used while privileges are dropped:
    ``seteuid`` changes the whole process, so no event loop or worker thread (which might
    import modules root alone can read) should run meanwhile."""
    import importlib

    for module in ("read", "write", "patch", "search"):  # imported while root can still read them
        importlib.import_module(f"hermes_plugin_file_tools.{module}")

    def call(name: str, **arguments):
        spec = tools.tools()[name]
        ctx = ToolContext(session=make_session(tools), call=ToolCall(id="direct", name=name, arguments="{}"), tool=spec)
        return spec.handler(arguments, ctx)

    return call


@contextlib.contextmanager
def _lowered() -> Iterator[None]:
    if os.geteuid() != 0:
        yield
        return
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def as_nobody():
    """A context manager: inside it, file permissions apply (root ignores them), so
    permission-denied paths can be tested for real. Call tools with ``direct``."""
    return _lowered


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder every user can enter (pytest's temporary folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="hermes-file-tools-"))
    os.chmod(folder, 0o777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
