"""Finding skills: sources, trust, precedence, caching, and bad input that loses nothing."""

from __future__ import annotations

import json
import time

import hermes_plugin_skills
from hermes_core import SkillDirSpec, hookimpl
from hermes_plugin_skills.catalog import CACHE_NAME, load_catalog
from hermes_plugin_skills.locations import bundled_skills_dir


class _DirPlugin:
    def __init__(self, path, trusted=True):
        self.path, self.trusted = path, trusted

    @hookimpl
    def hermes_skill_dirs(self):
        return [SkillDirSpec(path=self.path, source="plugin", trusted=self.trusted)]


def test_bundled_skills_are_found_from_the_repository_folder(host_with_skills):
    folder = bundled_skills_dir()
    assert folder is not None and folder.name in ("skills", "bundled_skills")
    catalog = load_catalog(host_with_skills)
    bundled = {s.name for s in catalog.skills.values() if s.source == "bundled"}
    assert {"hermes-plugin-development", "git-careful-workflow", "debug-failing-python-test"} <= bundled
    assert all(s.trusted and not s.writable for s in catalog.skills.values() if s.source == "bundled")


def test_sources_and_precedence(skills_host, write_skill, hermes_home, tmp_path, no_bundled):
    plugin_dir = tmp_path / "plugin-skills"
    project = tmp_path / "proj"
    write_skill(plugin_dir, "shared", "from the plugin")
    write_skill(plugin_dir, "plugin-only", "plugin skill")
    write_skill(project / ".hermes" / "skills", "shared", "from the project")
    write_skill(project / ".agents" / "skills", "agents-only", "an .agents skill")
    write_skill(hermes_home / "skills", "shared", "from home")
    write_skill(hermes_home / "skills" / "ops", "deploy-thing", "in a category", folder="deploy-thing")
    host = skills_host(config={"projects": {"trusted": [str(project)]}}, cwd=project / "sub",
                       extra={"dirs": _DirPlugin(plugin_dir)})
    catalog = load_catalog(host, project / "sub")
    assert catalog.skills["shared"].description == "from home"
    assert catalog.skills["shared"].source == "home"
    assert catalog.skills["agents-only"].source == "project"
    assert catalog.skills["plugin-only"].source == "plugin"
    assert catalog.skills["deploy-thing"].category == "ops"
    shadowed = sorted(s.description for s in catalog.shadowed)
    assert shadowed == ["from the plugin", "from the project"]
    assert "shadowed by the home skill" in catalog.shadowed[0].warnings[-1]


def test_untrusted_project_skills_are_left_out_with_a_note(skills_host, write_skill, tmp_path, no_bundled):
    project = tmp_path / "proj"
    (project / ".hermes").mkdir(parents=True)
    write_skill(project / ".hermes" / "skills", "sneaky", "a project skill")
    host = skills_host(cwd=project)
    catalog = load_catalog(host, project)
    assert "sneaky" not in catalog
    assert any("not trusted" in note and "projects.trusted" in note for note in catalog.notes)


def test_broken_skills_are_reported_and_the_rest_load(host_with_skills, write_skill, hermes_home, no_bundled):
    root = hermes_home / "skills"
    write_skill(root, "good", "fine")
    write_skill(root, "no-description", text="---\nname: no-description\n---\nbody\n")
    write_skill(root, "no-front-matter", text="# just markdown\n")
    write_skill(root, "bad-yaml", text="---\nname: bad-yaml\ndescription: broken: yaml: here\n  - x\n---\nbody\n")
    write_skill(root, "binary", text="")
    (root / "binary" / "SKILL.md").write_bytes(b"---\nname: binary\ndescription: \xff\xfe bytes\n---\nbody\n")
    write_skill(root, "wrong-folder", text="---\nname: other-name\ndescription: mismatched\n---\nbody\n")
    (root / ".archive" / "old").mkdir(parents=True)
    (root / ".archive" / "old" / "SKILL.md").write_text("---\nname: old\ndescription: archived\n---\nx\n")
    (root / "stray-file.txt").write_text("not a skill")
    catalog = load_catalog(host_with_skills)
    assert set(catalog.skills) == {"good", "bad-yaml", "binary", "other-name"}
    problems = {p.path.name: p.message for p in catalog.problems}
    assert "no description" in problems["no-description"]
    assert "must start with" in problems["no-front-matter"]
    assert any("not valid YAML" in w for w in catalog.skills["bad-yaml"].warnings)
    assert any("UTF-8" in w for w in catalog.skills["binary"].warnings)
    assert any("must match its folder" in w for w in catalog.skills["other-name"].warnings)


def test_cache_is_reused_and_refreshed_on_change(host_with_skills, write_skill, hermes_home, no_bundled, monkeypatch):
    folder = write_skill(hermes_home / "skills", "cached", "first")
    load_catalog(host_with_skills)
    cache = json.loads((hermes_home / "cache" / CACHE_NAME).read_text())
    assert str(folder / "SKILL.md") in cache["entries"]
    parsed = []
    real = hermes_plugin_skills.catalog.parse_skill_file
    monkeypatch.setattr(hermes_plugin_skills.catalog, "parse_skill_file", lambda p: parsed.append(p) or real(p))
    assert load_catalog(host_with_skills).skills["cached"].description == "first"
    assert parsed == []
    time.sleep(0.01)
    write_skill(hermes_home / "skills", "cached", "second")
    assert load_catalog(host_with_skills).skills["cached"].description == "second"
    assert parsed == [folder / "SKILL.md"]


def test_corrupt_cache_is_ignored(host_with_skills, write_skill, hermes_home, no_bundled):
    write_skill(hermes_home / "skills", "fine", "ok")
    (hermes_home / "cache").mkdir(exist_ok=True)
    (hermes_home / "cache" / CACHE_NAME).write_text("{not json")
    assert "fine" in load_catalog(host_with_skills)


def test_disabled_skills_are_hidden(skills_host, write_skill, hermes_home, no_bundled):
    write_skill(hermes_home / "skills", "hidden", "x")
    write_skill(hermes_home / "skills", "shown", "y")
    host = skills_host(config={"skills": {"disabled": ["hidden"]}})
    assert set(load_catalog(host).skills) == {"shown"}


def test_every_corpus_skill_loads(corpus):
    from hermes_plugin_skills.catalog import _skill_files, parse_skill_file

    loaded, warned = {}, {}
    for folder, _ in _skill_files(corpus):
        entry = parse_skill_file(folder / "SKILL.md")
        assert "error" not in entry, (folder, entry)
        loaded[entry["name"]] = entry
        if entry["warnings"]:
            warned[entry["name"]] = entry["warnings"]
    assert len(loaded) == 12
    assert list(warned) == ["claude-api"]
    assert "1068 characters" in warned["claude-api"][0]


def test_corpus_through_a_plugin_folder(skills_host, corpus, no_bundled):
    host = skills_host(extra={"corpus": _DirPlugin(corpus, trusted=False)})
    catalog = load_catalog(host)
    assert len(catalog) == 12
    assert catalog.problems == []
    assert catalog.skills["claude-api"].warnings
    hits = [s.name for s, _ in catalog.search("build an MCP server for an external API", 3)]
    assert hits[0] == "mcp-builder"
