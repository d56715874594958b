"""SKILL.md front matter: lenient reading, strict checking, valid writing."""

from __future__ import annotations

import pytest

from hermes_plugin_skills import frontmatter
from hermes_plugin_skills.frontmatter import FrontmatterError, check_skill_text, normalise_for_write, read_skill_text


def test_reads_spec_fields_and_flattens_metadata():
    text = ("---\nname: a-skill\ndescription: Does a thing.\nlicense: MIT\ncompatibility: Python 3.11\n"
            "allowed-tools: terminal read_file\nmetadata:\n  author: me\n  hermes:\n    tags: [x, y]\n---\nbody\n")
    front, body, warnings = read_skill_text(text)
    assert (front.name, front.description, front.license, front.compatibility, front.allowed_tools) == (
        "a-skill", "Does a thing.", "MIT", "Python 3.11", "terminal read_file")
    assert front.metadata == {"author": "me", "hermes.tags": "x, y"}
    assert body == "body\n"
    assert any("flattened" in w for w in warnings)


def test_yaml_that_does_not_parse_is_read_line_by_line():
    text = "---\nname: colon-skill\ndescription: Use this: when colons abound\n---\nbody"
    front, _, warnings = read_skill_text(text)
    assert front.description == "Use this: when colons abound"
    assert any("not valid YAML" in w for w in warnings)


@pytest.mark.parametrize("text, message", [
    ("no front matter here", "must start with"),
    ("---\nname: x\ndescription: y\n", "not closed"),
    ("", "must start with"),
])
def test_missing_front_matter_is_an_error(text, message):
    with pytest.raises(FrontmatterError, match=message):
        read_skill_text(text)


def test_unknown_keys_are_warnings_and_hermes_keys_move_under_metadata():
    text = "---\nname: t\ndescription: d\ntags: [a, b]\nversion: 1.0.0\n---\nbody\n"
    front, _, warnings = read_skill_text(text)
    assert front.metadata == {"hermes.tags": "a, b"}
    assert front.extra_keys == ["tags", "version"]
    assert any("outside the specification" in w for w in warnings)


def test_over_long_description_is_a_warning_not_an_error():
    front, _, warnings = read_skill_text("---\nname: t\ndescription: " + "x" * 1100 + "\n---\nb\n")
    assert len(front.description) == 1100
    assert any("1100 characters" in w for w in warnings)


@pytest.mark.parametrize("name, problem", [
    ("Upper", "lower-case"),
    ("-lead", "start or end"),
    ("a--b", "'--'"),
    ("a_b", "only letters"),
    ("x" * 65, "65 characters"),
    ("", "non-empty"),
])
def test_name_rules(name, problem):
    assert any(problem in e for e in frontmatter.check_name(name))


def test_name_must_match_folder():
    assert frontmatter.check_name("a", "b") == ["name 'a' must match its folder name 'b'"]
    assert frontmatter.check_name("café-notes", "café-notes") == []


def test_strict_check_reports_every_problem():
    text = "---\nname: Bad_Name\ndescription: ''\nextra: 1\nmetadata:\n  a: {b: c}\n---\n"
    errors = check_skill_text(text, "bad-name")
    joined = " | ".join(errors)
    for expected in ("unexpected front matter keys: extra", "lower-case", "'description' must be a non-empty",
                     "'metadata' values must be strings", "body", "flow-style"):
        assert expected in joined


def test_normalise_moves_fields_and_renders_valid_yaml(tmp_path, reference_validate):
    text = ("---\nname: deploy-notes\ndescription: 'Deploy: the careful way # really'\ntags: [deploy, ops]\n"
            "version: 2.0\nmetadata:\n  hermes:\n    related_skills: [git-careful-workflow]\n---\n\n# Steps\nrun it\n")
    rendered, notes = normalise_for_write(text, "deploy-notes", metadata={"hermes.origin": "agent"})
    assert check_skill_text(rendered, "deploy-notes") == []
    front, body, warnings = read_skill_text(rendered)
    assert warnings == []
    assert front.description == "Deploy: the careful way # really"
    assert front.metadata == {"hermes.tags": "deploy, ops", "hermes.related_skills": "git-careful-workflow",
                              "version": "2.0", "hermes.origin": "agent"}
    assert body.strip() == "# Steps\nrun it"
    assert notes
    folder = tmp_path / "deploy-notes"
    folder.mkdir()
    (folder / "SKILL.md").write_text(rendered)
    assert reference_validate(folder) == []


@pytest.mark.parametrize("value", ["true", "1.5", "null", "2026-01-01", "- dash", "[x]", "a: b", "x #y", "'q'",
                                   "line\nbreak", "tab\there", "ends:", "ünïcödé ok", "---"])
def test_scalars_round_trip(value, tmp_path, reference_validate):
    front = frontmatter.Frontmatter(name="round-trip", description=value, metadata={"hermes.note": value})
    text = frontmatter.render_skill(front, "body")
    parsed, _, _ = read_skill_text(text)
    assert parsed.description == value and parsed.metadata["hermes.note"] == value
    folder = tmp_path / "round-trip"
    folder.mkdir()
    (folder / "SKILL.md").write_text(text)
    if "---" not in value:
        assert reference_validate(folder) == []


def test_normalise_refuses_what_cannot_be_fixed():
    with pytest.raises(FrontmatterError, match="must start with"):
        normalise_for_write("just a body", "x")
    with pytest.raises(FrontmatterError, match="description"):
        normalise_for_write("---\nname: x\n---\nbody\n", "x")
    with pytest.raises(FrontmatterError, match="must match its folder"):
        normalise_for_write("---\nname: other\ndescription: d\n---\nbody\n", "x")
    with pytest.raises(FrontmatterError, match="body"):
        normalise_for_write("---\nname: x\ndescription: d\n---\n", "x")
