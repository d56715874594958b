"""The bundled skills: valid, clean, accurate about hermes, and shipped with the package."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import hermes_core.hookspecs
import hermes_core.testing
import hermes_core.testing.conformance
import hermes_plugin_skills
from hermes_plugin_skills import policy
from hermes_plugin_skills.frontmatter import check_skill_text
from hermes_plugin_skills.locations import bundled_skills_dir

BUNDLED = bundled_skills_dir()
NAMES = sorted(p.name for p in BUNDLED.iterdir() if (p / "SKILL.md").is_file()) if BUNDLED else []
PACKAGE_ROOT = Path(hermes_plugin_skills.__file__).resolve().parents[2]


def test_the_three_promised_skills_are_bundled():
    assert {"hermes-plugin-development", "git-careful-workflow", "debug-failing-python-test"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_valid_under_the_reference_validator_and_ours(name, reference_validate):
    folder = BUNDLED / name
    assert reference_validate(folder) == []
    assert check_skill_text((folder / "SKILL.md").read_text(encoding="utf-8"), name) == []


@pytest.mark.parametrize("name", NAMES)
def test_no_security_findings(name, host_with_skills):
    assert policy.scan_folder(host_with_skills, BUNDLED / name, label=name).findings == []


def test_plugin_skill_names_real_hooks_and_test_kit_names():
    text = (BUNDLED / "hermes-plugin-development" / "SKILL.md").read_text(encoding="utf-8")
    hooks = {h for h in re.findall(r"\bhermes_[a-z_]+\b", text)
             if h not in ("hermes_core", "hermes_home") and not h.startswith("hermes_plugin_")}
    assert hooks and all(hasattr(hermes_core.hookspecs, h) for h in hooks), hooks - set(dir(hermes_core.hookspecs))
    for name in ("call_tool", "run_agent", "Reply", "ScriptedInteraction"):
        assert name in text and name in hermes_core.testing.__all__
    for suite in set(re.findall(r"\b\w+Conformance\b", text)) - {"TestConformance"}:
        assert suite in hermes_core.testing.conformance.__all__, suite
    for fixture in ("host", "make_host", "hermes_home", "llm_server"):
        assert f"`{fixture}" in text


def test_scripts_are_executable():
    for script in BUNDLED.glob("*/scripts/*"):
        assert script.stat().st_mode & 0o111, script


def test_an_installed_wheel_uses_its_packaged_copy(tmp_path):
    """Lay the package out as a wheel installs it (with bundled_skills inside): the
    packaged copy wins over any repository folder."""
    site = tmp_path / "site"
    package = site / "hermes_plugin_skills"
    shutil.copytree(Path(hermes_plugin_skills.__file__).parent, package,
                    ignore=shutil.ignore_patterns("__pycache__", "bundled_skills"))
    shutil.copytree(BUNDLED, package / "bundled_skills")
    code = "import hermes_plugin_skills.locations as l; print(l.bundled_skills_dir())"
    out = subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": str(site), "PATH": ""}, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == str(package / "bundled_skills")


def test_without_any_copy_there_are_no_bundled_skills(tmp_path):
    site = tmp_path / "a" / "b" / "c" / "site"
    shutil.copytree(Path(hermes_plugin_skills.__file__).parent, site / "hermes_plugin_skills",
                    ignore=shutil.ignore_patterns("__pycache__", "bundled_skills"))
    code = "import hermes_plugin_skills.locations as l; print(l.bundled_skills_dir())"
    out = subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": str(site), "PATH": ""}, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "None"


def test_build_hook_copies_the_repository_folder():
    """The hatch hook (needs hatchling, which only build environments have)."""
    pytest.importorskip("hatchling")
    import importlib.util

    spec = importlib.util.spec_from_file_location("skills_hatch_build", PACKAGE_ROOT / "hatch_build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    class Probe(module.CustomBuildHook):
        root = str(PACKAGE_ROOT)
        target_name = "wheel"

        def __init__(self) -> None:
            pass

    build_data: dict = {"force_include": {}}
    Probe().initialize("standard", build_data)
    assert build_data["force_include"] == {str(PACKAGE_ROOT.parent.parent / "skills"): "hermes_plugin_skills/bundled_skills"}
    editable: dict = {"force_include": {}}
    Probe().initialize("editable", editable)
    assert editable["force_include"] == {}
