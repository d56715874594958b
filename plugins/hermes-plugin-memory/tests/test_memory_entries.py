"""The pure parts of the built-in memory: the file format, user folders, and planning."""

from __future__ import annotations

import pytest

from hermes_plugin_memory.entries import check_entry, parse, render, used_chars
from hermes_plugin_memory.layout import safe_user_id, user_files
from hermes_plugin_memory.operations import MemoryOperation, Refusal, plan, usage_label


@pytest.mark.parametrize(
    "entries",
    [
        [],
        ["one"],
        ["first line\nsecond line", "§ inline is fine", "   indented\n\n\nblank lines inside"],
        ["a § b", "ends with section sign §", "Ünïcödé ✓ entry"],
    ],
)
def test_entries_round_trip(entries):
    assert parse(render([e.strip() for e in entries])) == [e.strip() for e in entries]


def test_parse_tolerates_hand_edits():
    text = "\r\nfirst\r\n  §  \r\n\r\nsecond\n§\n§\nthird\n"
    assert parse(text) == ["first", "second", "third"]


def test_separator_line_in_content_is_refused():
    assert check_entry("fine\n§\nnot fine") is not None
    assert check_entry("a § b") is None
    assert check_entry("") is not None


def test_used_chars_counts_delimiters():
    assert used_chars(["ab", "cd"]) == len("ab\n§\ncd")
    assert usage_label(990, 2200) == "45% — 990/2,200 chars"


def test_safe_user_ids(tmp_path):
    assert safe_user_id("alice") == "alice"
    assert safe_user_id("a:b") != safe_user_id("a/b")
    for hostile in ("..", ".", "../../etc", "", "a/../../b", "x" * 500):
        name = safe_user_id(hostile)
        assert "/" not in name and name not in ("", ".", "..") and len(name) < 100
        assert user_files(tmp_path, hostile).folder.parent == tmp_path / "memories" / "users"
    assert user_files(tmp_path, "local").file("memory") == tmp_path / "memories" / "MEMORY.md"
    assert user_files(tmp_path, "local").file("user") == tmp_path / "memories" / "USER.md"


def op(action, content=None, old_text=None, target="memory"):
    return MemoryOperation(action=action, target=target, content=content, old_text=old_text)


def test_plan_add_replace_remove():
    added = plan(op("add", "uses uv"), [], limit=100)
    assert added.entries == ["uses uv"] and not added.pushed_out
    replaced = plan(op("replace", "uses uv and ruff", "uv"), added.entries, limit=100)
    assert replaced.entries == ["uses uv and ruff"]
    assert replaced.pushed_out[0].text == "uses uv" and replaced.pushed_out[0].replaced_by == "uses uv and ruff"
    removed = plan(op("remove", old_text="ruff"), replaced.entries, limit=100)
    assert removed.entries == [] and removed.pushed_out[0].reason == "removed"


def test_plan_exact_entry_beats_substring_and_spacing_is_forgiven():
    entries = ["dark mode", "dark mode in the terminal"]
    assert plan(op("remove", old_text="dark mode"), entries, limit=100).entries == ["dark mode in the terminal"]
    assert plan(op("remove", old_text="DARK  mode in"), entries, limit=100).entries == ["dark mode"]


@pytest.mark.parametrize(
    ("operation", "entries", "kind"),
    [
        (op("add", "Uses UV"), ["uses   uv"], "duplicate"),
        (op("add", "x" * 101), [], "too_long"),
        (op("add", "y" * 50), ["x" * 60], "full"),
        (op("replace", "z" * 90, "a"), ["a", "b" * 20], "full"),
        (op("remove", old_text="nope"), ["a"], "not_found"),
        (op("remove", old_text="mode"), ["dark mode", "light mode"], "ambiguous"),
        (op("add", "  "), [], "invalid"),
        (op("replace", None, "a"), ["a"], "invalid"),
        (op("remove"), ["a"], "invalid"),
        (op("replace", "b", "a"), ["a", "b"], "duplicate"),
    ],
)
def test_plan_refusals(operation, entries, kind):
    with pytest.raises(Refusal) as caught:
        plan(operation, entries, limit=100)
    assert caught.value.kind == kind
    assert caught.value.message


def test_plan_archive_oldest_evicts_just_enough():
    entries = ["a" * 30, "b" * 30, "c" * 30]
    result = plan(op("add", "d" * 30), entries, limit=100, when_full="archive_oldest")
    assert result.entries == ["b" * 30, "c" * 30, "d" * 30]
    assert [p.text for p in result.pushed_out] == ["a" * 30]
    assert result.pushed_out[0].reason == "evicted"
