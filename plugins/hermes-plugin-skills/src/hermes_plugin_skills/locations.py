"""Where skills live: the bundled folder and the user's folders under ``$HERMES_HOME``.

Standard library only: the plugin's entry module imports this at hook time.
"""

from __future__ import annotations

from pathlib import Path

#: Name of the copy of the repository's ``skills/`` folder inside a built wheel.
_PACKAGED = "bundled_skills"
#: ``$HERMES_HOME/skills`` state files and folders (dot-names are never skills).
USAGE_FILE = ".usage.json"
INSTALLED_FILE = ".installed.json"
ARCHIVE_DIR = ".archive"
LOCK_FILE = ".lock"


def bundled_skills_dir() -> Path | None:
    """The bundled skills: the copy shipped in the wheel, else the repository's
    ``skills/`` folder (an editable install), else None."""
    package = Path(__file__).resolve().parent
    packaged = package / _PACKAGED
    if packaged.is_dir():
        return packaged
    # src/hermes_plugin_skills -> src -> hermes-plugin-skills -> plugins -> repository root
    repo_root = package.parents[3] if len(package.parents) > 3 else None
    if repo_root is not None and (repo_root / "skills").is_dir() and (repo_root / "hermes_core").is_dir():
        return repo_root / "skills"
    return None


def home_skills_dir(hermes_home: Path) -> Path:
    """``$HERMES_HOME/skills``: agent-made and installed skills (the only place hermes writes)."""
    return hermes_home / "skills"


def project_skill_dirs(project_root: Path) -> list[Path]:
    """A project's own skill folders, in precedence order."""
    return [project_root / ".hermes" / "skills", project_root / ".agents" / "skills"]
