"""The ripgrep engine: ``rg --json`` for contents, ``rg --files`` for names.

The flags make ripgrep pick exactly the files the pure-Python walker picks: hidden files
included but ``.git`` excluded, ``.gitignore`` honoured inside and outside repositories,
no user config, global ignore or ``.ignore`` files, ``--crlf`` so ``$`` ignores ``\\r``.
Name globs go in as a custom file type, which (unlike ``--glob``) does not override the
ignore rules; path globs are applied to the results.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hermes_core import ToolError

from .globs import FileFilter
from .hits import Collector
from .walk import repo_root

_TYPE = "hermesglob"


def _base_args(rg: str, root: Path) -> list[str]:
    args = [rg, "--no-config", "--hidden", "--glob", "!.git", "--no-require-git",
            "--no-ignore-dot", "--no-ignore-global", "--sort", "path"]
    if repo_root(root) is None:
        args.append("--no-ignore-parent")  # outside a repository only the searched folder's rules count
    return args


def _filter_args(file_filter: FileFilter | None) -> list[str]:
    if file_filter is None or file_filter.by_path:
        return []
    return ["--type-add", f"{_TYPE}:{file_filter.glob}", "-T" if file_filter.negated else "-t", _TYPE]


def _text(value: dict[str, Any]) -> str:
    if "text" in value:
        return value["text"]
    return os.fsdecode(base64.b64decode(value.get("bytes", "")))


class _Run:
    """A ripgrep process with a deadline; stdout read line by line."""

    def __init__(self, args: list[str], cwd: Path, deadline: float) -> None:
        # a file, not a pipe: a full stderr pipe would stall ripgrep while stdout is read
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=self.stderr,
                                     stdin=subprocess.DEVNULL)
        self.expired = threading.Event()
        self.timer = threading.Timer(min(max(0.0, deadline - time.monotonic()), 86_400.0), self._expire)
        self.timer.daemon = True
        self.timer.start()

    def _expire(self) -> None:
        self.expired.set()
        self.stop()

    def lines(self) -> Iterator[bytes]:
        assert self.proc.stdout is not None
        yield from self.proc.stdout

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()

    def close(self) -> tuple[int, str]:
        """Wait for the process; its exit code and what it printed on stderr."""
        self.timer.cancel()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        code = self.proc.wait()
        self.stderr.seek(0)
        errors = self.stderr.read(64 * 1024).decode("utf-8", "replace")
        self.stderr.close()
        return code, errors


def search_content(rg: str, root: Path, pattern: str, *, file_filter: FileFilter | None, context: int,
                   collector: Collector, deadline: float, cancelled: threading.Event) -> None:
    """Feed ``collector`` with ripgrep's matches of ``pattern`` under ``root``."""
    is_file = root.is_file()
    base = root.parent if is_file else root
    args = _base_args(rg, base) + ["--json", "--crlf"]
    if context:
        args += ["--context", str(context)]
    if not is_file:
        args += _filter_args(file_filter)
    args += ["--regexp", pattern]
    if is_file:
        args += ["--", root.name]
    post_filter = file_filter if (file_filter is not None and file_filter.by_path and not is_file) else None
    run = _Run(args, base, deadline)
    skipping = False
    try:
        for raw in run.lines():
            if cancelled.is_set():
                run.stop()
                break
            event = json.loads(raw)
            kind, data = event.get("type"), event.get("data", {})
            if kind == "begin":
                rel = _text(data["path"])
                skipping = post_filter is not None and not post_filter.matches(rel)
                if not skipping:
                    collector.begin(base / rel)
            elif skipping:
                continue
            elif kind in ("match", "context"):
                text = _text(data["lines"]).removesuffix("\n").removesuffix("\r")
                collector.line(data["line_number"], text, kind == "match")
                if collector.full:
                    run.stop()
                    break
            elif kind == "end":
                collector.end(binary=data.get("binary_offset") is not None)
    finally:
        code, errors = run.close()
        collector.finish()
    collector.timed_out = run.expired.is_set()
    if code == 2 and collector.total == 0 and "regex" in errors and not collector.timed_out:
        detail = errors.strip().splitlines()
        raise ToolError(f"invalid regex {pattern!r}: " + " ".join(line.strip() for line in detail[-4:])
                        + ". Escape special characters such as ( [ { . * + ? with a backslash")
    collector.unreadable += sum(1 for line in errors.splitlines() if "os error" in line)


def list_files(rg: str, root: Path, deadline: float) -> tuple[list[str], bool]:
    """The files under ``root`` a search covers, relative to it, and whether time ran out."""
    run = _Run(_base_args(rg, root) + ["--files", "--null"], root, deadline)
    try:
        output = b"".join(run.lines())
    finally:
        run.close()
    names = [os.fsdecode(name) for name in output.split(b"\0") if name]
    return names, run.expired.is_set()
