"""The pure-Python .gitignore matching and file walk, checked against git and ripgrep."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from hermes_plugin_file_tools.gitignore import IgnoreChain, parse
from hermes_plugin_file_tools.walk import walk_files


def ignored(rules: str, path: str, is_dir: bool = False) -> bool:
    return IgnoreChain().with_file("", parse(rules)).ignored(path, is_dir)


@pytest.mark.parametrize(
    "rules, path, is_dir, expected",
    [
        ("*.log", "debug.log", False, True),
        ("*.log", "deep/down/debug.log", False, True),
        ("*.log", "debug.log.txt", False, False),
        ("# comment\n\n*.tmp", "# comment", False, False),
        ("\\#hash", "#hash", False, True),
        ("\\!bang", "!bang", False, True),
        ("trailing   ", "trailing", False, True),
        ("space\\ ", "space ", False, True),
        ("*.log\n!keep.log", "keep.log", False, False),
        ("*.log\n!keep.log", "other.log", False, True),
        ("!keep.log\n*.log", "keep.log", False, True),  # the last matching rule wins
        ("build/", "build", True, True),
        ("build/", "build", False, False),  # directory-only rule, and this is a file
        ("build/", "src/build", True, True),
        ("/build", "build", True, True),
        ("/build", "src/build", True, False),  # anchored to the .gitignore's folder
        ("doc/frotz", "doc/frotz", False, True),
        ("doc/frotz", "a/doc/frotz", False, False),  # a middle slash anchors too
        ("**/logs", "logs", True, True),
        ("**/logs", "a/b/logs", True, True),
        ("**/logs/debug.log", "x/logs/debug.log", False, True),
        ("abc/**", "abc/x/y", False, True),
        ("a/**/b", "a/b", False, True),
        ("a/**/b", "a/x/y/b", False, True),
        ("a/**/b", "a/xb", False, False),
        ("foo*bar", "foo/bar", False, False),  # * never crosses /
        ("file?.txt", "file1.txt", False, True),
        ("file[0-9].txt", "file7.txt", False, True),
        ("file[!0-9].txt", "file7.txt", False, False),
        ("file[!0-9].txt", "fileA.txt", False, True),
        ("CRLF.txt\r\n", "CRLF.txt", False, True),
    ],
)
def test_rule_semantics(rules, path, is_dir, expected):
    assert ignored(rules, path, is_dir) is expected


def test_deeper_gitignore_beats_shallower():
    chain = IgnoreChain().with_file("", parse("*.txt")).with_file("sub/", parse("!important.txt"))
    assert chain.ignored("sub/important.txt", False) is False
    assert chain.ignored("important.txt", False) is True
    assert chain.ignored("sub/other.txt", False) is True


def _tree(root: Path) -> None:
    files = {
        ".gitignore": "*.log\n!keep.log\nbuild/\n/only-root.txt\ndocs/*.html\ncache\n",
        "a.py": "", "keep.log": "", "drop.log": "", "only-root.txt": "", ".hidden.py": "",
        "sub/only-root.txt": "", "sub/x.log": "", "sub/build": "",  # a file named build: not a directory
        "build/out.py": "", "docs/index.html": "", "docs/deep/page.html": "", "docs/readme.md": "",
        "cache/blob": "", "pkg/cache": "",
        "nested/.gitignore": "*.py\n!main.py\nlocal/\n",
        "nested/main.py": "", "nested/util.py": "", "nested/local/x.txt": "", "nested/ok.txt": "",
        "reinclude/.gitignore": "secret/\n!secret/visible.txt\n",  # cannot re-include in an ignored folder
        "reinclude/secret/visible.txt": "", "reinclude/plain.txt": "",
        "ünïcode/файл.txt": "",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _git_files(root: Path) -> list[str]:
    out = subprocess.run(["git", "-c", "core.quotepath=off", "ls-files", "--others", "--cached", "--exclude-standard", "-z"],
                         cwd=root, capture_output=True, check=True).stdout
    return sorted(os.fsdecode(p) for p in out.split(b"\0") if p)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_walk_agrees_with_git(tmp_path):
    _tree(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".git" / "info").mkdir(exist_ok=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("sub/*.log\n")
    walked = sorted(rel for _path, rel in walk_files(tmp_path))
    assert walked == _git_files(tmp_path)
    assert "nested/main.py" in walked and "nested/util.py" not in walked
    assert "reinclude/secret/visible.txt" not in walked
    assert "sub/build" in walked and "build/out.py" not in walked


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_walk_from_a_subfolder_uses_the_repository_rules(tmp_path):
    _tree(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    walked = sorted(rel for _path, rel in walk_files(tmp_path / "nested"))
    assert walked == [".gitignore", "main.py", "ok.txt"]
    assert sorted(rel for _p, rel in walk_files(tmp_path / "sub")) == ["build", "only-root.txt"]


def test_outside_a_repository_only_the_searched_folder_counts(tmp_path):
    (tmp_path / ".gitignore").write_text("*.txt\n")
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "a.txt").write_text("")
    assert [rel for _p, rel in walk_files(tmp_path / "inner")] == ["a.txt"]
    assert [rel for _p, rel in walk_files(tmp_path)] == [".gitignore"]


def test_symlinks_and_git_folders_are_skipped(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "f.txt").write_text("")
    (tmp_path / "link-dir").symlink_to("real")
    (tmp_path / "link-file.txt").symlink_to("real/f.txt")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".git").write_text("gitdir: elsewhere")  # a worktree's .git file
    assert [rel for _p, rel in walk_files(tmp_path)] == ["real/f.txt"]


@pytest.mark.skipif(shutil.which("rg") is None, reason="ripgrep is not installed")
@pytest.mark.parametrize("repository", [True, False])
def test_walk_agrees_with_ripgrep(tmp_path, repository):
    from hermes_plugin_file_tools.search_rg import list_files

    _tree(tmp_path)
    (tmp_path / "link.py").symlink_to("a.py")
    if repository:
        subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    walked = [rel for _path, rel in walk_files(tmp_path)]
    listed, timed_out = list_files(shutil.which("rg"), tmp_path, deadline=time.monotonic() + 60)
    assert not timed_out
    assert sorted(listed) == sorted(walked)
