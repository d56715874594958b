"""Plugin discovery: entry points, drop-in files and folders, trusted project plugins.

Discovery only *finds* plugins; nothing is imported here until ``Candidate.load()`` is
called by the host, one plugin at a time, so a disabled plugin is never imported and a
broken one fails alone.

Reading entry points through :mod:`importlib.metadata` costs ~20 ms (it imports the
``email`` package and scans every installed distribution), so the list is cached in
``$HERMES_HOME/cache`` keyed on the modification times of the ``sys.path`` folders: any
install or uninstall changes them and refreshes the cache.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

ENTRY_POINT_GROUP = "hermes.plugins"

#: The plugins shipped with hermes (the packages under ``plugins/`` in the repository).
#: They are ordinary entry-point plugins; this list only lets ``HERMES_NO_EXTERNAL_PLUGINS``
#: tell them apart from third-party ones, and labels them in ``hermes plugins list``.
BUILTIN_PLUGINS = frozenset(
    {
        "openai",
        "litellm",
        "file-tools",
        "web",
        "todo",
        "clarify",
        "terminal",
        "terminal-local",
        "terminal-ssh",
        "terminal-docker",
        "terminal-sandbox",
        "approval",
        "sessions",
        "memory",
        "injection-scanner",
        "secret-redaction",
        "skills",
        "delegate",
    }
)

# Environment switches (documented in docs/plugins.md).
ENV_DISABLE_AUTOLOAD = "HERMES_DISABLE_PLUGIN_AUTOLOAD"
ENV_NO_EXTERNAL = "HERMES_NO_EXTERNAL_PLUGINS"
ENV_DISABLE = "HERMES_DISABLE_PLUGINS"
ENV_STRICT = "HERMES_STRICT_PLUGINS"
ENV_TRACE = "HERMES_TRACE_HOOKS"

Source = Literal["builtin", "entrypoint", "dropin", "project"]


def env_flag(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def env_list(env: Mapping[str, str], name: str) -> list[str]:
    return [part.strip() for part in env.get(name, "").split(",") if part.strip()]


@dataclass
class Candidate:
    """A plugin found by discovery, not yet imported."""

    name: str
    source: Source
    location: str
    loader: Callable[[], object] = field(repr=False)
    distribution: str | None = None
    version: str | None = None

    def load(self) -> object:
        return self.loader()


# ---------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryPointRecord:
    name: str
    value: str
    distribution: str | None
    version: str | None


def _path_fingerprint() -> list[list[object]]:
    prints: list[list[object]] = []
    for entry in sys.path:
        if not entry:
            continue  # the current directory: changes all the time, holds no installs
        try:
            stat = os.stat(entry or ".")
        except OSError:
            continue
        prints.append([entry, stat.st_mtime_ns])
    return prints


def _scan_entry_points() -> list[EntryPointRecord]:
    from importlib.metadata import entry_points

    records = []
    seen: set[tuple[str, str]] = set()
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(ep, "dist", None)
        key = (ep.name, ep.value)
        if key in seen:  # the same distribution visible twice on sys.path
            continue
        seen.add(key)
        records.append(
            EntryPointRecord(
                name=ep.name,
                value=ep.value,
                distribution=dist.metadata["Name"] if dist is not None else None,
                version=dist.version if dist is not None else None,
            )
        )
    return records


def entry_point_records(cache_dir: Path | None) -> list[EntryPointRecord]:
    """Entry points in the ``hermes.plugins`` group, from the cache when it is fresh."""
    if cache_dir is None:
        return _scan_entry_points()
    fingerprint = _path_fingerprint()
    tag = format(zlib.crc32(sys.prefix.encode()), "08x")
    cache_file = cache_dir / f"entry-points-{tag}.json"
    try:
        cached = json.loads(cache_file.read_text(encoding="utf-8"))
        if cached.get("fingerprint") == fingerprint and cached.get("version") == 1:
            return [EntryPointRecord(**item) for item in cached["entries"]]
    except (OSError, ValueError, TypeError, KeyError):
        pass
    records = _scan_entry_points()
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(
            json.dumps(
                {"version": 1, "fingerprint": fingerprint, "entries": [r.__dict__ for r in records]}
            ),
            encoding="utf-8",
        )
        os.replace(tmp, cache_file)
    except OSError:
        pass  # a read-only home only costs speed
    return records


def _load_entry_point(value: str) -> object:
    module_name, _, attr = value.partition(":")
    obj: object = importlib.import_module(module_name.strip())
    for part in filter(None, attr.strip().split(".")):
        obj = getattr(obj, part)
    return obj


def entry_point_candidates(cache_dir: Path | None) -> list[Candidate]:
    candidates = []
    for record in entry_point_records(cache_dir):
        source: Source = "builtin" if record.name in BUILTIN_PLUGINS else "entrypoint"
        candidates.append(
            Candidate(
                name=record.name,
                source=source,
                location=record.value,
                loader=lambda value=record.value: _load_entry_point(value),
                distribution=record.distribution,
                version=record.version,
            )
        )
    return candidates


# ---------------------------------------------------------------------------------------
# Drop-in plugins: $HERMES_HOME/plugins and trusted <project>/.hermes/plugins
# ---------------------------------------------------------------------------------------

_MODULE_SAFE = re.compile(r"[^0-9A-Za-z_]")


def _load_file_plugin(module_name: str, path: Path, package_dir: Path | None) -> object:
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(
        module_name,
        path,
        submodule_search_locations=[str(package_dir)] if package_dir is not None else None,
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def folder_candidates(folder: Path, source: Source) -> list[Candidate]:
    """Single ``.py`` files and packages (folders with ``__init__.py``) in ``folder``."""
    if not folder.is_dir():
        return []
    candidates = []
    prefix = "hermes_dropin_" if source == "dropin" else "hermes_project_"
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_file() and entry.suffix == ".py":
            name, path, package = entry.stem, entry, None
        elif entry.is_dir() and (entry / "__init__.py").is_file():
            name, path, package = entry.name, entry / "__init__.py", entry
        else:
            continue
        module_name = prefix + _MODULE_SAFE.sub("_", name)
        candidates.append(
            Candidate(
                name=name,
                source=source,
                location=str(entry),
                loader=lambda m=module_name, p=path, d=package: _load_file_plugin(m, p, d),
            )
        )
    return candidates


def find_project_root(cwd: Path, home: Path) -> Path | None:
    """The nearest folder at or above ``cwd`` holding a ``.hermes`` folder (not HERMES_HOME)."""
    try:
        home_resolved = home.resolve()
    except OSError:
        home_resolved = home
    for folder in [cwd, *cwd.parents]:
        marker = folder / ".hermes"
        if marker.is_dir():
            try:
                if marker.resolve() == home_resolved:
                    continue
            except OSError:
                continue
            return folder
    return None


def is_trusted(project: Path, trusted: Iterable[str]) -> bool:
    """True if ``project`` is, or is inside, a folder listed in ``projects.trusted``."""
    try:
        project = project.resolve()
    except OSError:
        return False
    for item in trusted:
        try:
            root = Path(item).expanduser().resolve()
        except OSError:
            continue
        if project == root or root in project.parents:
            return True
    return False
