"""Changing skills for ``skill_manage``: validate, scan, then write atomically.

Nothing reaches disk before the result has passed the format check and the security
scan. Writes only ever go to ``$HERMES_HOME/skills``: changing a bundled, plugin or
project skill first copies it there (the copy then takes precedence), and deleting moves
a skill into ``$HERMES_HOME/skills/.archive`` so nothing is lost.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path, PurePosixPath
from typing import Any

from hermes_core.errors import HermesError

from . import frontmatter, locations, policy
from .catalog import Catalog
from .fsutil import atomic_write_text, file_lock, is_within
from .model import HERMES_PREFIX, Skill
from .usage import UsageStore

MAX_SKILL_CHARS = 100_000
MAX_FILE_CHARS = 256_000
FILE_DIRS = ("references", "templates", "scripts", "assets")


class SkillError(HermesError):
    """A skill change was refused; the message says why and what to do."""


class SkillWriter:
    """Applies ``skill_manage`` actions for one session (or one CLI command)."""

    def __init__(self, host: Any, catalog: Catalog, *, session: Any = None) -> None:
        self.host = host
        self.catalog = catalog
        self.session = session
        self.home = locations.home_skills_dir(host.home)
        self.usage = UsageStore(self.home)

    # -- helpers --------------------------------------------------------------------------

    def _existing(self, name: str) -> Skill:
        skill = self.catalog.get(name)
        if skill is None:
            hits = [s.name for s, _ in self.catalog.search(name.replace("-", " "), 3)]
            hint = f" Similar: {', '.join(hits)}." if hits else ""
            raise SkillError(f"no skill named '{name}'.{hint} Use skills_list or skills_search to find it.")
        return skill

    def _scan(self, files: dict[str, str], name: str) -> list[str]:
        """Scan as an agent-made skill; raise when refused, else return warnings."""
        report = policy.scan_texts(self.host, files, label=f"skill:{name}", session=self.session)
        allowed, why = policy.decide(report, "agent")
        if not allowed:
            raise SkillError(f"refused to write skill '{name}': {why}. Nothing was written.")
        return [str(f) for f in report.findings]

    def _writable_copy(self, skill: Skill) -> Path:
        """The skill's folder under ``$HERMES_HOME/skills``, copying it there first when it
        lives in a read-only source."""
        if skill.writable:
            return skill.path
        target = self.home / skill.name
        if target.exists():
            raise SkillError(f"cannot copy the {skill.source} skill '{skill.name}' to {target}: that folder exists "
                             "but holds no valid skill; fix or remove it first")
        staging = self._staging()
        shutil.copytree(skill.path, staging / skill.name, symlinks=False, ignore=shutil.ignore_patterns(".git"),
                        ignore_dangling_symlinks=True)
        os.replace(staging / skill.name, target)
        shutil.rmtree(staging, ignore_errors=True)
        return target

    def _staging(self) -> Path:
        path = self.home / f".staging-{uuid.uuid4().hex[:12]}"
        path.mkdir(parents=True)
        return path

    def _file_path(self, folder: Path, file_path: str, *, for_write: bool) -> Path:
        pure = PurePosixPath(file_path.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            raise SkillError(f"file_path '{file_path}' must be relative to the skill folder, without '..'")
        if for_write and (len(pure.parts) < 2 or pure.parts[0] not in FILE_DIRS):
            raise SkillError(f"file_path '{file_path}' must be inside one of: {', '.join(d + '/' for d in FILE_DIRS)}")
        target = folder.joinpath(*pure.parts)
        if not is_within(target.parent if for_write else target, folder):
            raise SkillError(f"file_path '{file_path}' leaves the skill folder")
        return target

    def _normalise(self, text: str, name: str, keep: dict[str, str]) -> tuple[str, list[str]]:
        if len(text) > MAX_SKILL_CHARS:
            raise SkillError(f"SKILL.md would be {len(text):,} characters; keep it under {MAX_SKILL_CHARS:,} and move "
                             "long material into references/ files with write_file")
        try:
            return frontmatter.normalise_for_write(text, name, metadata=keep)
        except frontmatter.FrontmatterError as exc:
            raise SkillError(f"SKILL.md for '{name}' is not valid: {exc}. Nothing was written.") from None

    @staticmethod
    def _carried(skill: Skill | None, new_text: str) -> dict[str, str]:
        """hermes bookkeeping kept across an edit the model wrote without it."""
        if skill is None:
            return {}
        try:
            front, _, _ = frontmatter.read_skill_text(new_text)
        except frontmatter.FrontmatterError:
            return {}
        keep = {}
        for key in ("origin", "created", "forked-from"):
            full = HERMES_PREFIX + key
            if full in skill.metadata and full not in front.metadata:
                keep[full] = skill.metadata[full]
        if not skill.writable and HERMES_PREFIX + "forked-from" not in front.metadata:
            keep[HERMES_PREFIX + "forked-from"] = skill.source
        return keep

    def _done(self, message: str, notes: list[str], warnings: list[str]) -> str:
        parts = [message]
        if notes:
            parts.append("Adjusted: " + "; ".join(notes) + ".")
        if warnings:
            parts.append("Scanner warnings: " + "; ".join(warnings) + ".")
        return " ".join(parts)

    # -- actions --------------------------------------------------------------------------

    def create(self, name: str, content: str, category: str | None = None) -> str:
        """A new skill from a whole SKILL.md (optionally in a category folder)."""
        errors = frontmatter.check_name(name)
        if errors:
            raise SkillError("; ".join(errors) + " (use lower-case words joined by '-', like 'deploy-preview-app')")
        if category:
            category_errors = frontmatter.check_name(category)
            if category_errors:
                raise SkillError("category: " + "; ".join(category_errors))
        if name in self.catalog:
            existing = self.catalog.skills[name]
            raise SkillError(f"a {existing.source} skill named '{name}' already exists; change it with action "
                             "'patch' (small fixes) or 'edit' (a rewrite), or pick another name")
        metadata = {HERMES_PREFIX + "origin": "agent", HERMES_PREFIX + "created": time.strftime("%Y-%m-%d")}
        text, notes = self._normalise(content, name, metadata)
        warnings = self._scan({"SKILL.md": text}, name)
        folder = self.home / category / name if category else self.home / name
        with file_lock(self.home / locations.LOCK_FILE):
            if folder.exists() or (self.home / name).exists():
                raise SkillError(f"{folder} already exists; pick another name")
            staging = self._staging()
            try:
                atomic_write_text(staging / "SKILL.md", text)
                folder.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging, folder)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        self.usage.record(name, "created")
        return self._done(f"Created skill '{name}' at {folder}. New sessions list it in their skill index; "
                          f"load it here with skill_view(name='{name}').", notes, warnings)

    def edit(self, name: str, content: str) -> str:
        """Replace SKILL.md of an existing skill."""
        skill = self._existing(name)
        text, notes = self._normalise(content, name, self._carried(skill, content))
        warnings = self._scan({"SKILL.md": text}, name)
        with file_lock(self.home / locations.LOCK_FILE):
            folder = self._writable_copy(skill)
            atomic_write_text(folder / "SKILL.md", text)
        self.usage.record(name, "patched")
        where = "" if skill.writable else f" (copied from the {skill.source} skill to {folder}; the copy now takes precedence)"
        return self._done(f"Rewrote SKILL.md of '{name}'{where}.", notes, warnings)

    def patch(self, name: str, old_string: str, new_string: str, *, replace_all: bool = False,
              file_path: str | None = None) -> str:
        """Replace exact text in SKILL.md (or in ``file_path``); the text must be unique
        unless ``replace_all``."""
        skill = self._existing(name)
        if not old_string:
            raise SkillError("old_string is empty: give the exact text to replace (view it with skill_view)")
        target_rel = file_path or "SKILL.md"
        source_file = skill.skill_md if target_rel == "SKILL.md" else self._file_path(skill.path, target_rel, for_write=False)
        try:
            current = source_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise SkillError(f"cannot read {target_rel} of '{name}': {exc.strerror or exc}") from None
        count = current.count(old_string)
        if count == 0:
            raise SkillError(f"old_string was not found in {target_rel} of '{name}'; copy the exact text (spaces and line "
                             "breaks included) from skill_view")
        if count > 1 and not replace_all:
            raise SkillError(f"old_string occurs {count} times in {target_rel}; add surrounding text to make it unique, "
                             "or set replace_all")
        updated = current.replace(old_string, new_string) if replace_all else current.replace(old_string, new_string, 1)
        notes: list[str] = []
        if target_rel == "SKILL.md":
            updated, notes = self._normalise(updated, name, self._carried(skill, updated))
        elif len(updated) > MAX_FILE_CHARS:
            raise SkillError(f"{target_rel} would be {len(updated):,} characters (the limit is {MAX_FILE_CHARS:,})")
        warnings = self._scan({target_rel: updated}, name)
        with file_lock(self.home / locations.LOCK_FILE):
            folder = self._writable_copy(skill)
            destination = folder / "SKILL.md" if target_rel == "SKILL.md" else self._file_path(folder, target_rel, for_write=False)
            atomic_write_text(destination, updated)
        self.usage.record(name, "patched")
        replaced = f"{count} occurrences" if replace_all and count > 1 else "1 occurrence"
        where = "" if skill.writable else f" (copied from the {skill.source} skill to {folder}; the copy now takes precedence)"
        return self._done(f"Patched {target_rel} of '{name}': replaced {replaced}{where}.", notes, warnings)

    def delete(self, name: str) -> str:
        """Move a skill of ``$HERMES_HOME/skills`` into the archive."""
        skill = self._existing(name)
        if not skill.writable:
            raise SkillError(f"'{name}' is a {skill.source} skill ({skill.path}); hermes deletes only skills in "
                             f"{self.home}")
        archived = archive_folder(self.home, skill.path, reason="deleted")
        return f"Deleted skill '{name}' (moved to {archived}, so it can be restored)."

    def write_file(self, name: str, file_path: str, file_content: str) -> str:
        """Add or replace a file under references/, templates/, scripts/ or assets/."""
        skill = self._existing(name)
        self._file_path(skill.path, file_path, for_write=True)
        if len(file_content) > MAX_FILE_CHARS:
            raise SkillError(f"file_content is {len(file_content):,} characters (the limit is {MAX_FILE_CHARS:,})")
        relative = PurePosixPath(file_path.replace("\\", "/")).as_posix()
        warnings = self._scan({relative: file_content}, name)
        with file_lock(self.home / locations.LOCK_FILE):
            folder = self._writable_copy(skill)
            target = self._file_path(folder, file_path, for_write=True)
            atomic_write_text(target, file_content)
            if relative.startswith("scripts/") and file_content.startswith("#!"):
                target.chmod(0o755)
        self.usage.record(name, "patched")
        return self._done(f"Wrote {relative} in skill '{name}' ({len(file_content):,} characters).", [], warnings)

    def remove_file(self, name: str, file_path: str) -> str:
        """Remove a file from under references/, templates/, scripts/ or assets/."""
        skill = self._existing(name)
        target = self._file_path(skill.path, file_path, for_write=True)
        if not target.is_file():
            raise SkillError(f"'{name}' has no file {file_path}")
        with file_lock(self.home / locations.LOCK_FILE):
            folder = self._writable_copy(skill)
            self._file_path(folder, file_path, for_write=True).unlink()
        self.usage.record(name, "patched")
        return f"Removed {file_path} from skill '{name}'."


def archive_folder(home: Path, folder: Path, *, reason: str) -> Path:
    """Move a skill folder into ``<home>/.archive/<name>-<reason>-<time>`` and return it."""
    archive = home / locations.ARCHIVE_DIR
    archive.mkdir(parents=True, exist_ok=True)
    target = archive / f"{folder.name}-{reason}-{time.strftime('%Y%m%d-%H%M%S')}"
    suffix = 1
    while target.exists():
        suffix += 1
        target = archive / f"{folder.name}-{reason}-{time.strftime('%Y%m%d-%H%M%S')}-{suffix}"
    shutil.move(str(folder), str(target))
    parent = folder.parent
    if parent != home and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()  # an emptied category folder
    return target
