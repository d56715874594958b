"""Fixtures for the skills plugin's tests."""

from __future__ import annotations

import os
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import hermes_plugin_skills
from hermes_core import Finding, ScannerSpec, ScanResult, Verdict, hookimpl

CORPUS = Path(os.environ.get("HERMES_SKILLS_CORPUS", "/work/shared/corpus/agentskills/anthropics"))
INJECTION = "IGNORE ALL PREVIOUS INSTRUCTIONS"


class _TestScanner:
    """A stand-in injection scanner: blocks one phrase, warns on another."""

    def scan(self, text: str, ctx: Any) -> ScanResult:
        if INJECTION.lower() in text.lower():
            return ScanResult(verdict=Verdict.BLOCK, findings=[Finding(
                rule="test-injection", message="tries to override instructions", verdict=Verdict.BLOCK,
                severity="high", excerpt=INJECTION)])
        if "mildly suspicious" in text:
            return ScanResult(verdict=Verdict.WARN, findings=[Finding(
                rule="test-warning", message="mildly suspicious wording", verdict=Verdict.WARN, severity="low")])
        return ScanResult()


def _scanner_plugin() -> types.SimpleNamespace:
    @hookimpl
    def hermes_scanners() -> ScannerSpec:
        return ScannerSpec(name="test-injection", factory=_TestScanner, targets=frozenset({"skill", "context_file"}))

    return types.SimpleNamespace(hermes_scanners=hermes_scanners)


@pytest.fixture
def skills_host(make_host: Callable[..., Any]) -> Callable[..., Any]:
    """``skills_host(config=None, cwd=None, scanner=True)``: a host with this plugin as
    ``skills`` (and a small test scanner for the ``skill`` target)."""

    def factory(*, config: dict[str, Any] | None = None, cwd: Path | None = None, scanner: bool = True,
                extra: dict[str, Any] | None = None) -> Any:
        plugins: dict[str, Any] = {"skills": hermes_plugin_skills}
        if scanner:
            plugins["test-scanner"] = _scanner_plugin()
        plugins.update(extra or {})
        host = make_host(config=config, plugins=plugins, cwd=cwd)
        assert host.problems == [], host.problems
        return host

    return factory


@pytest.fixture
def host_with_skills(skills_host: Callable[..., Any]) -> Any:
    return skills_host()


def make_skill_text(name: str, description: str, body: str = "# Steps\n1. Do the thing.\n", **front: str) -> str:
    lines = ["---", f"name: {name}", f"description: {description}"]
    for key, value in front.items():
        lines.append(f"{key.replace('_', '-')}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + body


@pytest.fixture
def write_skill() -> Callable[..., Path]:
    """``write_skill(root, name, description, body=..., text=None, **front)`` -> folder."""

    def write(root: Path, name: str, description: str = "A test skill.", body: str = "# Steps\n1. Do the thing.\n",
              *, text: str | None = None, folder: str | None = None, **front: str) -> Path:
        path = root / (folder or name)
        path.mkdir(parents=True, exist_ok=True)
        (path / "SKILL.md").write_text(text if text is not None else make_skill_text(name, description, body, **front),
                                       encoding="utf-8")
        return path

    return write


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the agentskills corpus is not at {CORPUS}")
    return CORPUS


@pytest.fixture
def reference_validate() -> Callable[[Path], list[str]]:
    """The reference validator (skills-ref from PyPI): problems for a skill folder."""
    skills_ref = pytest.importorskip("skills_ref")
    return lambda folder: list(skills_ref.validate(Path(folder)))


@pytest.fixture
def no_bundled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hide the bundled skills (for tests that count skills)."""
    monkeypatch.setattr("hermes_plugin_skills.locations.bundled_skills_dir", lambda: None)



@pytest.fixture
def skill_text() -> Callable[..., str]:
    """``skill_text(name, description, body=..., **front)``: a SKILL.md as text."""
    return make_skill_text


@pytest.fixture
def injection() -> str:
    """A phrase the test scanner blocks."""
    return INJECTION
