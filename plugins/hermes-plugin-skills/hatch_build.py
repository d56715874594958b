"""Build hook: ship the repository's bundled skills inside the package.

``skills/`` at the repository root is the one place bundled skills are edited. A wheel
built from the repository (or from an sdist made from it) carries a copy as
``hermes_plugin_skills/bundled_skills``; an editable install needs no copy, because the
plugin falls back to the repository folder at run time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

_PACKAGE_DEST = "hermes_plugin_skills/bundled_skills"
_SDIST_DEST = "bundled_skills"


class CustomBuildHook(BuildHookInterface):
    """Adds the bundled skills to wheels and sdists (not to editable installs)."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        repo_copy = root.parent.parent / "skills"  # building inside the repository
        sdist_copy = root / _SDIST_DEST  # building a wheel from an sdist
        source = repo_copy if repo_copy.is_dir() else sdist_copy
        if self.target_name == "wheel" and version == "editable":
            return
        if not source.is_dir():
            raise FileNotFoundError(
                f"bundled skills not found: looked for {repo_copy} and {sdist_copy}; "
                "build from the hermes repository or from its sdist"
            )
        dest = _PACKAGE_DEST if self.target_name == "wheel" else _SDIST_DEST
        build_data["force_include"][str(source)] = dest
