"""Meta-tests that keep the docs and the public surface honest."""

from __future__ import annotations

import inspect
from pathlib import Path

import hermes_core
from hermes_core import _configdoc, _hookdoc, hookspecs

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_hook_reference_is_generated_from_the_contract():
    assert (DOCS / "hooks.md").read_text() == _hookdoc.render(), "run: python -m hermes_core._hookdoc > docs/hooks.md"


def test_every_hook_is_documented_with_its_signature():
    text = (DOCS / "hooks.md").read_text()
    names = [n for n in dir(hookspecs) if n.startswith("hermes_")]
    assert len(names) >= 25
    for name in names:
        func = getattr(hookspecs, name)
        assert func.__doc__ and "**" in func.__doc__, f"{name} needs a full docstring"
        assert f"### `{name}`" in text
        assert f"{name}{inspect.signature(func)}".replace("'", "") in text


def test_configuration_reference_is_current():
    text = (DOCS / "configuration.md").read_text()
    start, end = text.index(_configdoc.BEGIN), text.index(_configdoc.END) + len(_configdoc.END)
    assert text[start:end] == _configdoc.render(), "run: python -m hermes_core._configdoc --write"


def test_public_names_resolve_and_match_all():
    for name in hermes_core.__all__:
        assert getattr(hermes_core, name) is not None, name
    assert sorted(hermes_core.__all__) == sorted(["__version__", *hermes_core._LAZY])


def test_public_names_have_docstrings():
    for name in hermes_core._LAZY:
        value = getattr(hermes_core, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__doc__, f"{name} has no docstring"


def test_testing_kit_names_resolve():
    import hermes_core.testing as kit
    import hermes_core.testing.conformance as conformance

    for module in (kit, conformance):
        for name in module.__all__:
            assert getattr(module, name) is not None, name


def test_docs_link_targets_exist():
    for page in DOCS.glob("*.md"):
        for target in ("architecture.md", "plugins.md", "hooks.md", "configuration.md"):
            if f"]({target})" in page.read_text():
                assert (DOCS / target).exists()


def test_readme_gives_the_two_commands():
    readme = (DOCS.parent / "README.md").read_text()
    assert "scripts/hermes" in readme and "scripts/test" in readme
    ci = (DOCS.parent / ".ci" / "run").read_text()
    assert "scripts/test" in ci
    for doc in ("docs/architecture.md", "docs/plugins.md", "docs/hooks.md", "docs/configuration.md"):
        assert doc in readme and (DOCS.parent / doc).exists()
