"""read_file: numbered pages, limits, encodings and every way a read can fail."""

from __future__ import annotations

import os
import re
import time

import hermes_plugin_file_tools
import pytest

from hermes_core import ToolError
from hermes_core.testing import call_tool


def read(host, **arguments):
    return call_tool(host, "read_file", arguments)


def test_numbered_lines(tools, work):
    (work / "a.py").write_text("def foo():\n    return 1\n")
    result = read(tools, path="a.py")
    assert not result.is_error
    assert result.content == "     1|def foo():\n     2|    return 1"


def test_offset_and_limit_with_exact_continuation(tools, work):
    (work / "big.txt").write_text("".join(f"line {n}\n" for n in range(1, 1201)))
    first = read(tools, path="big.txt")
    assert first.content.splitlines()[0] == "     1|line 1"
    assert "   500|line 500" in first.content and "line 501" not in first.content
    assert 'Showing lines 1-500 of 1,200. Continue with read_file(path="big.txt", offset=501, limit=500)' in first.content
    page = read(tools, path="big.txt", offset=1190, limit=20)
    assert page.content.splitlines()[0] == "  1190|line 1190"
    assert page.content.endswith("  1200|line 1200")  # the end: no continuation note


def test_limit_is_capped_at_2000(tools, work):
    (work / "many.txt").write_text("x\n" * 3000)
    result = read(tools, path="many.txt", limit=5000)
    assert "  2000|x" in result.content and "  2001|x" not in result.content
    assert "offset=2001, limit=2000" in result.content


def test_output_budget_pages_before_the_kernel_would_spill(make_host):
    host = make_host(plugins={"file-tools": hermes_plugin_file_tools}, config={"tools": {"max_result_chars": 5000}})
    (host.cwd / "wide.txt").write_text("".join(f"{n:04d} " + "y" * 195 + "\n" for n in range(100)))
    result = read(host, path="wide.txt")
    assert len(result.content) < 5000
    assert not result.metadata.get("spilled")
    last = int(re.findall(r"^\s*(\d+)\|", result.content, re.MULTILINE)[-1])
    assert f"Showing lines 1-{last} of 100. The output reached its size limit." in result.content
    assert f"offset={last + 1}, limit=500" in result.content
    following = read(host, path="wide.txt", offset=last + 1)
    assert following.content.startswith(f"{last + 1:>6}|{last:04d}")


def test_long_lines_are_cut(tools, work):
    (work / "min.js").write_text("a" * 50_000 + "\nshort\n")
    result = read(tools, path="min.js")
    first, second = result.content.splitlines()[:2]
    assert first.startswith("     1|aaaa") and first.endswith("… [line cut: 50,000 characters in all]")
    assert len(first) < 2100
    assert second == "     2|short"


def test_huge_file_reads_only_the_page(tools, work):
    path = work / "huge.log"
    with open(path, "w") as handle:
        block = "".join(f"entry {n} " + "z" * 80 + "\n" for n in range(10_000))
        for _ in range(40):  # 400,000 lines, ~36 MB
            handle.write(block)
    start = time.monotonic()
    result = read(tools, path="huge.log", offset=399_990, limit=5)
    elapsed = time.monotonic() - start
    assert result.content.splitlines()[0].startswith("399990|entry 9989 ")
    assert "Showing lines 399,990-399,994 of 400,000" in result.content
    assert elapsed < 5, f"reading one page of a 36 MB file took {elapsed:.1f}s"


def test_unicode_bom_and_crlf(tools, work):
    (work / "u.txt").write_bytes("\ufeffprénom: Zoë 👋\r\n漢字かな\r\nçà\r\n".encode())
    result = read(tools, path="u.txt")
    assert result.content == "     1|prénom: Zoë 👋\n     2|漢字かな\n     3|çà"


def test_invalid_utf8_is_shown_with_a_note(tools, work):
    (work / "latin1.txt").write_bytes("café au lait\n".encode("latin-1"))
    result = read(tools, path="latin1.txt")
    assert "     1|caf\ufffd au lait" in result.content
    assert "not valid UTF-8" in result.content


def test_utf16_with_bom(tools, work):
    (work / "w.txt").write_bytes("hello\r\nwörld\r\n".encode("utf-16"))
    assert read(tools, path="w.txt").content == "     1|hello\n     2|wörld"


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (b"text then \x00 a NUL", "contains NUL bytes"),
        (bytes(range(1, 9)) * 200, "mostly control characters"),
    ],
)
def test_binary_files_are_refused(tools, work, data, kind):
    (work / "blob.bin").write_bytes(data)
    result = read(tools, path="blob.bin")
    assert result.is_error
    assert "blob.bin is a binary file" in result.content and kind in result.content
    assert "read_file shows text only" in result.content


def test_empty_file(tools, work):
    (work / "empty.txt").write_text("")
    result = read(tools, path="empty.txt")
    assert not result.is_error and result.content == "empty.txt is empty (0 bytes)."


def test_offset_past_the_end(tools, work):
    (work / "short.txt").write_text("one\ntwo\n")
    result = read(tools, path="short.txt", offset=10)
    assert result.is_error
    assert "offset 10 is past the end of short.txt, which has 2 line(s); use an offset from 1 to 2" in result.content


def test_missing_file_suggests_near_names(tools, work):
    (work / "src").mkdir()
    (work / "src" / "main.py").write_text("x")
    (work / "src" / "helpers.py").write_text("x")
    result = read(tools, path="src/mian.py")
    assert result.is_error
    assert "file not found: src/mian.py. Did you mean: src/main.py?" in result.content


def test_missing_file_found_elsewhere_by_name(tools, work):
    (work / "pkg" / "deep").mkdir(parents=True)
    (work / "pkg" / "deep" / "settings.toml").write_text("x")
    result = read(tools, path="settings.toml")
    assert "Did you mean: pkg/deep/settings.toml?" in result.content


def test_missing_folder(tools, work):
    (work / "docs").mkdir()
    result = read(tools, path="docs/guide/intro.md")
    assert "file not found: docs/guide/intro.md (the folder docs/ exists, but not docs/guide/)" in result.content


def test_directory_is_refused_with_a_listing(tools, work):
    (work / "pkg").mkdir()
    (work / "pkg" / "a.py").write_text("")
    (work / "pkg" / "sub").mkdir()
    result = read(tools, path="pkg")
    assert result.is_error
    assert "pkg is a directory, not a file. It contains: a.py, sub/." in result.content
    assert "search_files(target='files', path='pkg')" in result.content


def test_symlink_is_followed(tools, work):
    (work / "real.txt").write_text("through the link\n")
    (work / "link.txt").symlink_to("real.txt")
    assert read(tools, path="link.txt").content == "     1|through the link"


def test_broken_symlink_says_where_it_points(tools, work):
    (work / "dangling").symlink_to("nowhere.txt")
    result = read(tools, path="dangling")
    assert result.is_error and "dangling is a broken symbolic link (it points to nowhere.txt" in result.content


def test_fifo_is_refused_without_blocking(tools, work):
    os.mkfifo(work / "pipe")
    result = read(tools, path="pipe")
    assert result.is_error and "not a regular file" in result.content


def test_absolute_and_home_paths(tools, work, tmp_path, monkeypatch):
    home = tmp_path / "fake-home"
    home.mkdir()
    (home / "notes.md").write_text("from home\n")
    monkeypatch.setenv("HOME", str(home))
    assert read(tools, path="~/notes.md").content == "     1|from home"
    assert read(tools, path=str(home / "notes.md")).content == "     1|from home"


def test_permission_denied(direct, as_nobody, open_folder):
    secret = open_folder / "secret.txt"
    secret.write_text("hidden\n")
    secret.chmod(0o000)
    with as_nobody(), pytest.raises(ToolError, match=r"permission denied: cannot read .*secret\.txt"):
        direct("read_file", path=str(secret))


def test_permission_denied_on_the_folder(direct, as_nobody, open_folder):
    locked = open_folder / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text("x")
    locked.chmod(0o700)
    with as_nobody(), pytest.raises(ToolError, match="permission denied: cannot read .*a folder on the way"):
        direct("read_file", path=str(locked / "inside.txt"))


def test_bad_arguments_are_tool_errors(tools):
    assert "path: required but missing" in read(tools).content
    assert "offset: must be >= 1" in read(tools, path="x", offset=0).content
    assert "path is empty" in read(tools, path="  ").content
