"""patch: unique matches, ambiguity, tolerant fallbacks, several edits, what is kept."""

from __future__ import annotations

import stat

import pytest

from hermes_core import ToolError
from hermes_core.testing import call_tool

SOURCE = """\
def alpha():
    return 1


def beta():
    return 1
"""


def patch(host, **arguments):
    return call_tool(host, "patch", arguments)


def test_unique_match_is_replaced_and_diffed(tools, work):
    (work / "m.py").write_text(SOURCE)
    result = patch(tools, path="m.py", old_string="def beta():\n    return 1", new_string="def beta():\n    return 2")
    assert not result.is_error
    assert result.content.startswith("Patched m.py: 1 replacement (+1 -1 lines).")
    assert "--- a/m.py\n+++ b/m.py\n" in result.content
    assert "-    return 1\n+    return 2" in result.content
    assert (work / "m.py").read_text() == SOURCE.replace("    return 1\n", "    return 2\n").replace(
        "def alpha():\n    return 2", "def alpha():\n    return 1")


def test_ambiguous_match_names_the_lines_and_changes_nothing(tools, work):
    (work / "m.py").write_text(SOURCE)
    result = patch(tools, path="m.py", old_string="return 1", new_string="return 9")
    assert result.is_error
    assert "old_string matches 2 places in m.py (lines 2, 6)" in result.content
    assert "set replace_all=true" in result.content
    assert (work / "m.py").read_text() == SOURCE


def test_replace_all(tools, work):
    (work / "m.py").write_text(SOURCE)
    result = patch(tools, path="m.py", old_string="return 1", new_string="return 0", replace_all=True)
    assert "2 replacements" in result.content
    assert (work / "m.py").read_text().count("return 0") == 2


def test_not_found_points_at_the_closest_text(tools, work):
    (work / "m.py").write_text(SOURCE)
    result = patch(tools, path="m.py", old_string="def gamma():\n    return 1", new_string="x")
    assert result.is_error
    assert "old_string was not found in m.py, not even ignoring indentation" in result.content
    assert "The most similar text starts at line 1:\ndef alpha():\n    return 1\n" in result.content


def test_line_number_prefixes_are_spotted(tools, work):
    (work / "m.py").write_text(SOURCE)
    result = patch(tools, path="m.py", old_string="     5|def beta():\n     6|    return 1", new_string="x")
    assert "line-number prefixes" in result.content


def test_trailing_whitespace_fallback(tools, work):
    (work / "t.txt").write_text("alpha   \nbeta\t\ngamma\n")
    result = patch(tools, path="t.txt", old_string="alpha\nbeta\n", new_string="ALPHA\nBETA\n")
    assert "matched ignoring trailing whitespace" in result.content
    assert (work / "t.txt").read_text() == "ALPHA\nBETA\ngamma\n"


def test_indentation_fallback_reindents_the_replacement(tools, work):
    (work / "c.py").write_text("class A:\n    def run(self):\n        if ok:\n            go()\n")
    result = patch(tools, path="c.py", old_string="def run(self):\n    if ok:\n        go()",
                   new_string="def run(self):\n    if ok:\n        go()\n        stop()")
    assert "matched ignoring indentation" in result.content
    assert (work / "c.py").read_text() == (
        "class A:\n    def run(self):\n        if ok:\n            go()\n            stop()\n")


def test_crlf_file_with_lf_old_string(tools, work):
    (work / "w.txt").write_bytes(b"first\r\nsecond\r\nthird\r\n")
    result = patch(tools, path="w.txt", old_string="first\nsecond\n", new_string="one\ntwo\n")
    assert not result.is_error and "matched ignoring line endings" in result.content
    assert (work / "w.txt").read_bytes() == b"one\r\ntwo\r\nthird\r\n"


def test_exact_match_in_crlf_file_keeps_crlf(tools, work):
    (work / "w.txt").write_bytes(b"a = 1\r\nb = 2\r\n")
    patch(tools, path="w.txt", old_string="a = 1", new_string="a = 1\nc = 3")
    assert (work / "w.txt").read_bytes() == b"a = 1\r\nc = 3\r\nb = 2\r\n"


def test_tolerant_match_must_be_unique(tools, work):
    (work / "d.py").write_text("if a:\n    x()\nif b:\n        x()\n")
    result = patch(tools, path="d.py", old_string="\tx()", new_string="\ty()")
    assert result.is_error
    assert "ignoring indentation it matches 2 places (lines 2, 4), so it is ambiguous" in result.content


def test_several_edits_in_order(tools, work):
    (work / "m.py").write_text(SOURCE)
    result = patch(tools, path="m.py", edits=[
        {"old_string": "def alpha():", "new_string": "def first():"},
        {"old_string": "def first():\n    return 1", "new_string": "def first():\n    return 'a'"},
        {"old_string": "def beta():", "new_string": "def second():"},
    ])
    assert result.content.startswith("Patched m.py: 3 edits, 3 replacements")
    assert (work / "m.py").read_text() == "def first():\n    return 'a'\n\n\ndef second():\n    return 1\n"


def test_several_edits_are_all_or_nothing(tools, work):
    (work / "m.py").write_text(SOURCE)
    result = patch(tools, path="m.py", edits=[
        {"old_string": "def alpha():", "new_string": "def first():"},
        {"old_string": "def missing():", "new_string": "x"},
    ])
    assert result.is_error
    assert result.content.startswith("Error: edits[1]: old_string was not found in m.py (as changed by the earlier edits")
    assert (work / "m.py").read_text() == SOURCE


def test_top_level_edit_and_edits_list_combine(tools, work):
    (work / "m.py").write_text(SOURCE)
    patch(tools, path="m.py", old_string="alpha", new_string="one", edits=[{"old_string": "beta", "new_string": "two"}])
    assert "def one():" in (work / "m.py").read_text() and "def two():" in (work / "m.py").read_text()


def test_deleting_with_an_empty_new_string(tools, work):
    (work / "m.py").write_text(SOURCE)
    patch(tools, path="m.py", old_string="\n\ndef beta():\n    return 1\n", new_string="")
    assert (work / "m.py").read_text() == "def alpha():\n    return 1\n"


def test_pointless_edits_are_refused(tools, work):
    (work / "m.py").write_text(SOURCE)
    assert "old_string and new_string are identical" in patch(tools, path="m.py", old_string="a", new_string="a").content
    assert "old_string is empty" in patch(tools, path="m.py", old_string="", new_string="a").content
    assert "new_string is missing" in patch(tools, path="m.py", old_string="alpha").content
    assert "nothing to do" in patch(tools, path="m.py").content
    assert "mode='patch' is not supported" in patch(tools, path="m.py", mode="patch").content


def test_unicode_edit(tools, work):
    (work / "i18n.txt").write_text("greeting = «bonjour» 🌍\nfarewell = ciao\n")
    patch(tools, path="i18n.txt", old_string="«bonjour» 🌍", new_string="«こんにちは» 🌏")
    assert (work / "i18n.txt").read_text() == "greeting = «こんにちは» 🌏\nfarewell = ciao\n"


def test_other_encodings_survive_byte_for_byte(tools, work):
    original = "caf\xe9 = 1\nna\xefve = 2\n".encode("latin-1")
    (work / "legacy.txt").write_bytes(original)
    patch(tools, path="legacy.txt", old_string="= 2", new_string="= 3")
    assert (work / "legacy.txt").read_bytes() == original.replace(b"= 2", b"= 3")


def test_mode_and_symlink_are_kept(tools, work):
    (work / "tool.sh").write_text("echo one\n")
    (work / "tool.sh").chmod(0o755)
    (work / "alias.sh").symlink_to("tool.sh")
    patch(tools, path="alias.sh", old_string="one", new_string="two")
    assert (work / "alias.sh").is_symlink()
    assert (work / "tool.sh").read_text() == "echo two\n"
    assert stat.S_IMODE((work / "tool.sh").stat().st_mode) == 0o755


def test_binary_and_missing_files(tools, work):
    (work / "img.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert "img.png is a binary file (PNG image" in patch(tools, path="img.png", old_string="a", new_string="b").content
    (work / "main.py").write_text("x")
    assert "Did you mean: main.py?" in patch(tools, path="mian.py", old_string="a", new_string="b").content


def test_large_diff_is_cut(tools, work):
    (work / "big.txt").write_text("".join(f"row {n}\n" for n in range(3000)))
    result = patch(tools, path="big.txt", old_string="row", new_string="line", replace_all=True)
    assert "3000 replacements" in result.content
    assert "[diff cut:" in result.content
    assert len(result.content) < 9000


def test_permission_denied_leaves_the_file_alone(direct, as_nobody, open_folder):
    folder = open_folder / "readonly"
    folder.mkdir()
    (folder / "conf.ini").write_text("level = 1\n")
    folder.chmod(0o755)
    with as_nobody(), pytest.raises(ToolError, match="permission denied: cannot write .*conf.ini"):
        direct("patch", path=str(folder / "conf.ini"), old_string="1", new_string="2")
    assert (folder / "conf.ini").read_text() == "level = 1\n"
    assert sorted(p.name for p in folder.iterdir()) == ["conf.ini"]
