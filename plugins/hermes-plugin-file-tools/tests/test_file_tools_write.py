"""write_file: creation, overwrite reports, atomic replacement and what it preserves."""

from __future__ import annotations

import os
import stat

import pytest

from hermes_core import ToolError
from hermes_core.testing import call_tool


def write(host, **arguments):
    return call_tool(host, "write_file", arguments)


def test_creates_parent_folders(tools, work):
    result = write(tools, path="a/b/c/new.txt", content="one\ntwo\n")
    assert not result.is_error
    assert result.content == "Created a/b/c/new.txt: 2 lines, 8 bytes."
    assert (work / "a/b/c/new.txt").read_text() == "one\ntwo\n"


def test_new_file_mode_follows_the_umask(tools, work):
    write(tools, path="fresh.txt", content="x")
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE((work / "fresh.txt").stat().st_mode) == 0o666 & ~umask


def test_overwrite_reports_what_changed(tools, work):
    (work / "f.py").write_text("a = 1\nb = 2\nc = 3\nd = 4\n")
    result = write(tools, path="f.py", content="a = 1\nb = 20\nc = 3\nd = 4\ne = 5\n")
    assert result.content == "Overwrote f.py: 24 bytes -> 31 bytes, 4 -> 5 lines; +2 -1 lines (changes at lines 2-5)."


def test_same_content_is_reported_unchanged(tools, work):
    (work / "same.txt").write_text("keep\n")
    before = (work / "same.txt").stat().st_mtime_ns
    result = write(tools, path="same.txt", content="keep\n")
    assert "already has this content; nothing changed" in result.content
    assert (work / "same.txt").stat().st_mtime_ns == before


def test_mode_is_kept_and_no_temporary_file_remains(tools, work):
    script = work / "run.sh"
    script.write_text("#!/bin/sh\necho old\n")
    script.chmod(0o750)
    write(tools, path="run.sh", content="#!/bin/sh\necho new\n")
    assert stat.S_IMODE(script.stat().st_mode) == 0o750
    assert script.read_text() == "#!/bin/sh\necho new\n"
    assert sorted(p.name for p in work.iterdir()) == ["run.sh"]


def test_replacement_is_atomic(tools, work):
    """The old inode is replaced, not truncated: a reader holding the old file sees it whole."""
    target = work / "data.txt"
    target.write_text("old content\n" * 100)
    with open(target) as reader:
        write(tools, path="data.txt", content="new\n")
        assert reader.read() == "old content\n" * 100
    assert target.read_text() == "new\n"


def test_hard_links_stay_linked(tools, work):
    (work / "orig.txt").write_text("v1\n")
    os.link(work / "orig.txt", work / "alias.txt")
    write(tools, path="alias.txt", content="v2\n")
    assert (work / "orig.txt").read_text() == "v2\n"


def test_crlf_file_stays_crlf(tools, work):
    (work / "win.txt").write_bytes(b"one\r\ntwo\r\n")
    result = write(tools, path="win.txt", content="one\ntwo\nthree\n")
    assert (work / "win.txt").read_bytes() == b"one\r\ntwo\r\nthree\r\n"
    assert "kept the file's CRLF line endings" in result.content


def test_byte_order_mark_is_kept(tools, work):
    (work / "bom.csv").write_bytes(b"\xef\xbb\xbfa,b\n")
    write(tools, path="bom.csv", content="a,b\n1,2\n")
    assert (work / "bom.csv").read_bytes() == b"\xef\xbb\xbfa,b\n1,2\n"


def test_unicode_round_trip(tools, work):
    text = "naïve café — 東京 🚀\nΣ = ∑\n"
    write(tools, path="u.md", content=text)
    assert (work / "u.md").read_text(encoding="utf-8") == text


def test_writes_through_a_symlink_and_keeps_it(tools, work):
    (work / "target.txt").write_text("old\n")
    (work / "link.txt").symlink_to("target.txt")
    result = write(tools, path="link.txt", content="new\n")
    assert (work / "link.txt").is_symlink()
    assert (work / "target.txt").read_text() == "new\n"
    assert "through the symbolic link" in result.content


def test_binary_file_can_be_replaced(tools, work):
    (work / "blob").write_bytes(b"\x00\x01\x02")
    result = write(tools, path="blob", content="text now\n")
    assert "the old content was not text" in result.content
    assert (work / "blob").read_text() == "text now\n"


def test_directory_is_refused(tools, work):
    (work / "folder").mkdir()
    result = write(tools, path="folder", content="x")
    assert result.is_error and "folder is a directory" in result.content


def test_parent_that_is_a_file(tools, work):
    (work / "notes").write_text("I am a file")
    result = write(tools, path="notes/today.md", content="x")
    assert result.is_error and "cannot create the folder notes" in result.content
    assert (work / "notes").read_text() == "I am a file"


def test_permission_denied(direct, as_nobody, open_folder):
    locked = open_folder / "locked"
    locked.mkdir()
    (locked / "file.txt").write_text("root's\n")
    locked.chmod(0o755)
    with as_nobody(), pytest.raises(ToolError, match="permission denied: cannot write .*file.txt"):
        direct("write_file", path=str(locked / "file.txt"), content="mine")
    with as_nobody(), pytest.raises(ToolError, match="permission denied: cannot write .*new.txt"):
        direct("write_file", path=str(locked / "new.txt"), content="mine")
    assert (locked / "file.txt").read_text() == "root's\n"
    assert sorted(p.name for p in locked.iterdir()) == ["file.txt"]


def test_permission_denied_on_a_folder_on_the_way(direct, as_nobody, open_folder):
    private = open_folder / "private"
    private.mkdir()
    private.chmod(0o700)
    with as_nobody(), pytest.raises(ToolError, match="permission denied: cannot write .*a folder on the way"):
        direct("write_file", path=str(private / "sub" / "x.txt"), content="x")
    with as_nobody(), pytest.raises(ToolError, match="permission denied: cannot write .*a folder on the way"):
        direct("write_file", path=str(private / "x.txt"), content="x")
    assert list(private.iterdir()) == []


def test_missing_content_is_a_tool_error(tools):
    result = write(tools, path="x.txt")
    assert result.is_error and "content: required but missing" in result.content
