"""``hermes skills install|uninstall``: skills from a folder or a git repository.

A source is a skill folder (holding SKILL.md), a folder of skill folders, or a git URL
(``https://...``, ``git@...``, ``file://...``; ``URL#sub/folder`` picks a folder inside
the repository), cloned shallowly into a temporary folder. Every file is scanned and the
trust policy of :mod:`hermes_plugin_skills.policy` applies. Installed skills are copied to
``$HERMES_HOME/skills/<name>`` and recorded in ``.installed.json``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from hermes_core.errors import HermesError

from . import frontmatter, policy
from .catalog import load_catalog, parse_skill_file
from .fsutil import atomic_write_json, file_lock, is_within, read_json
from .locations import INSTALLED_FILE, LOCK_FILE, bundled_skills_dir, home_skills_dir
from .model import ScanReport
from .writer import archive_folder

GIT_TIMEOUT = 180


class InstallOutcome(BaseModel):
    """What happened to one skill of an install."""

    name: str
    installed: bool
    message: str
    report: ScanReport = Field(default_factory=ScanReport)


def is_git_url(source: str) -> bool:
    """Whether ``source`` names a git repository rather than a local folder."""
    return source.startswith(("https://", "http://", "git@", "ssh://", "git://", "file://")) or (
        source.endswith(".git") and not Path(source).exists())


def _clone(url: str, into: Path) -> Path:
    repo, _, sub = url.partition("#")
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        subprocess.run(["git", "clone", "--depth", "1", "--quiet", repo, str(into)], check=True, env=env,
                       capture_output=True, text=True, timeout=GIT_TIMEOUT)
    except FileNotFoundError:
        raise HermesError("installing from a git URL needs git; install it, or clone the repository and install the "
                          "folder") from None
    except subprocess.TimeoutExpired:
        raise HermesError(f"git clone of {repo} took longer than {GIT_TIMEOUT} seconds") from None
    except subprocess.CalledProcessError as exc:
        raise HermesError(f"git clone of {repo} failed: {(exc.stderr or '').strip() or exc}") from None
    folder = into / sub if sub else into
    if not is_within(folder, into) or not folder.is_dir():
        raise HermesError(f"'{sub}' is not a folder in {repo}")
    return folder


def find_skill_folders(folder: Path) -> list[Path]:
    """The skill folders a source holds: itself, its children, or ``skills/*``."""
    if (folder / "SKILL.md").is_file() or (folder / "skill.md").is_file():
        return [folder]
    for base in (folder, folder / "skills"):
        found = sorted(p for p in base.glob("*/SKILL.md") if not p.parent.name.startswith("."))
        if found:
            return [p.parent for p in found]
    return []


def trust_of(host: Any, source: str, folder: Path, trusted_sources: list[str]) -> policy.Trust:
    """``bundled`` for the bundled folder, ``trusted`` for ``skills.trusted_sources`` (or a
    trusted project), else ``community``."""
    bundled = bundled_skills_dir()
    if bundled is not None and not is_git_url(source) and is_within(folder, bundled):
        return "bundled"
    for prefix in trusted_sources:
        if is_git_url(source):
            if source.startswith(prefix):
                return "trusted"
        elif not is_git_url(prefix) and is_within(folder, Path(prefix).expanduser()):
            return "trusted"
    if not is_git_url(source):
        from hermes_core._loader import is_trusted

        if is_trusted(folder, host.config.projects.trusted):
            return "trusted"
    return "community"


def install(host: Any, source: str, *, force: bool = False, trusted_sources: list[str] | None = None) -> list[InstallOutcome]:
    """Install every skill ``source`` holds; one outcome per skill found."""
    with tempfile.TemporaryDirectory(prefix="hermes-skill-install-") as tmp:
        if is_git_url(source):
            folder = _clone(source, Path(tmp) / "repo")
        else:
            folder = Path(source).expanduser().resolve()
            if not folder.exists():
                raise HermesError(f"{source}: no such folder (give a skill folder, a folder of skills or a git URL)")
            if folder.is_file() and folder.name.lower() == "skill.md":
                folder = folder.parent
        skill_folders = find_skill_folders(folder)
        if not skill_folders:
            raise HermesError(f"{source} holds no skill: expected SKILL.md in it, in its sub-folders or in skills/*/")
        trust = trust_of(host, source, folder, trusted_sources or [])
        return [_install_one(host, path, source, trust, force) for path in skill_folders]


def _install_one(host: Any, folder: Path, source: str, trust: policy.Trust, force: bool) -> InstallOutcome:
    parsed = parse_skill_file(folder / "SKILL.md" if (folder / "SKILL.md").is_file() else folder / "skill.md")
    if "error" in parsed:
        return InstallOutcome(name=folder.name, installed=False, message=f"not a usable skill: {parsed['error']}")
    name = parsed["name"]
    problems = frontmatter.check_name(name)
    if problems:
        return InstallOutcome(name=name, installed=False, message="; ".join(problems))
    home = home_skills_dir(host.home)
    report = policy.scan_folder(host, folder, label=f"install:{name}")
    allowed, why = policy.decide(report, trust, force=force)
    if not allowed:
        return InstallOutcome(name=name, installed=False, message=f"not installed: {why}", report=report)
    target = home / name
    with file_lock(home / LOCK_FILE):
        if target.exists():
            if not force:
                return InstallOutcome(name=name, installed=False, report=report,
                                      message=f"already installed at {target}; use --force to replace it")
            archive_folder(home, target, reason="replaced")
        staging = home / f".staging-install-{name}-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(folder, staging, symlinks=False, ignore=shutil.ignore_patterns(".git"))
        os.replace(staging, target)
        _record(home, name, {"source": source, "trust": trust, "installed_at": time.time(), "forced": bool(why and force),
                             "findings": [str(f) for f in report.findings]})
    notes = [w for w in parsed.get("warnings", [])]
    message = f"installed to {target} ({trust} source)"
    if why:
        message += f"; {why}"
    if notes:
        message += f"; warnings: {'; '.join(notes)}"
    return InstallOutcome(name=name, installed=True, message=message, report=report)


def _record(home: Path, name: str, entry: dict[str, Any] | None) -> None:
    path = home / INSTALLED_FILE
    data = read_json(path, {})
    data = data if isinstance(data, dict) else {}
    if entry is None:
        data.pop(name, None)
    else:
        data[name] = entry
    atomic_write_json(path, data)


def installed(host: Any) -> dict[str, Any]:
    """``.installed.json``: where each installed skill came from."""
    data = read_json(home_skills_dir(host.home) / INSTALLED_FILE, {})
    return data if isinstance(data, dict) else {}


def uninstall(host: Any, name: str) -> str:
    """Remove a skill from ``$HERMES_HOME/skills`` (moved to the archive, never deleted)."""
    catalog = load_catalog(host)
    skill = catalog.get(name)
    home = home_skills_dir(host.home)
    if skill is None:
        raise HermesError(f"no skill named '{name}' (see hermes skills list)")
    if not skill.writable:
        raise HermesError(f"'{name}' is a {skill.source} skill at {skill.path}; only skills in {home} can be "
                          "uninstalled (disable it instead: hermes config set skills.disabled '[\"" + name + "\"]')")
    with file_lock(home / LOCK_FILE):
        target = archive_folder(home, skill.path, reason="uninstalled")
        _record(home, name, None)
    return f"uninstalled '{name}' (moved to {target})"
