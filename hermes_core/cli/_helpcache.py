"""A cache of plugin command names and descriptions, for ``hermes --help``.

Listing plugin commands means loading every plugin and pydantic (~60 ms). ``--help``
instead reads this cache when its fingerprint still matches: the installed packages
(``sys.path`` folder times), the source files of every entry-point plugin, the drop-in and
project plugin files, ``config.yaml`` and the plugin environment switches. Any change to
one of them rebuilds the listing the slow way. Running a command never uses the cache.
"""

from __future__ import annotations

import json
import os
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from hermes_core import __version__, _loader

_SWITCHES = (_loader.ENV_DISABLE, _loader.ENV_NO_EXTERNAL, _loader.ENV_DISABLE_AUTOLOAD)


def _stat_tree(path: Path, depth: int = 3) -> Iterator[list[object]]:
    try:
        info = os.stat(path)
    except OSError:
        return
    if not os.path.isdir(path):
        yield [str(path), info.st_mtime_ns, info.st_size]
        return
    if depth == 0:
        return
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name == "__pycache__" or entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _stat_tree(Path(entry.path), depth - 1)
        elif entry.name.endswith(".py"):
            stat = entry.stat()
            yield [entry.path, stat.st_mtime_ns, stat.st_size]


def _module_source(module: str) -> Path | None:
    import importlib.util

    top = module.split(":")[0].strip().split(".")[0]
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    if spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(spec.origin) if spec.origin else None


def fingerprint(home: Path, cwd: Path) -> list[object]:
    env = os.environ
    parts: list[object] = [__version__, sys.prefix, [env.get(name, "") for name in _SWITCHES]]
    cache_dir = home / "cache"
    records = _loader.entry_point_records(cache_dir)
    parts.append(_loader._path_fingerprint())
    for record in records:
        source = _module_source(record.value)
        parts.append([record.name, record.value, list(_stat_tree(source)) if source else None])
    parts.append(list(_stat_tree(home / "plugins")))
    project = _loader.find_project_root(cwd, home)
    if project is not None:
        parts.append(list(_stat_tree(project / ".hermes" / "plugins")))
    for name in ("config.yaml",):
        parts.extend(_stat_tree(home / name))
    return parts


def plugin_commands(home: Path, cwd: Path, compute: Callable[[], list[list[str]]]) -> list[list[str]]:
    """``[[name, description, plugin], ...]`` from the cache, or ``compute()`` and store."""
    try:
        key = fingerprint(home, cwd)
    except Exception:  # never let the cache stand between the user and --help
        return compute()
    path = home / "cache" / f"help-{zlib.crc32(sys.prefix.encode()):08x}.json"
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        if cached.get("key") == json.loads(json.dumps(key)):
            return [list(row) for row in cached["commands"]]
    except (OSError, ValueError, TypeError, AttributeError):
        pass
    commands = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"key": key, "commands": commands}), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
    return commands
