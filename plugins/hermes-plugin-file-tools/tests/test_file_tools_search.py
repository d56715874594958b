"""search_files on both engines (ripgrep and the pure-Python fallback), which must print
the same thing for the same files."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import hermes_plugin_file_tools
import pytest

from hermes_core.testing import call_tool

HAVE_RG = shutil.which("rg") is not None
ENGINES = [pytest.param("ripgrep", marks=pytest.mark.skipif(not HAVE_RG, reason="ripgrep is not installed")), "python"]


@pytest.fixture(params=ENGINES)
def engine(request):
    return request.param


@pytest.fixture
def searcher(make_host, engine):
    return make_host(plugins={"file-tools": hermes_plugin_file_tools},
                     config={"file_tools": {"ripgrep": engine == "ripgrep"}})


def _make_tree(root):
    files = {
        "src/app.py": "import os\n\ndef main():\n    print('hello')\n    return helper()\n\n\ndef helper():\n    return 42\n",
        "src/util.py": "def helper_too():\n    pass\n",
        "src/web/page.ts": "export const hello = 'hi';\n",
        "README.md": "# Demo\nSay hello to the app.\n",
        "notes/ünï.txt": "hello in ünïcode: héllo wörld\n",
        "win.txt": "hello\r\nbye\r\n",
        ".gitignore": "dist/\n*.log\n",
        "dist/bundle.js": "hello from the build\n",
        "debug.log": "hello in a log\n",
        ".config/settings.ini": "greeting=hello\n",
        ".git/config": "hello from git internals\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "image.bin").write_bytes(b"hello\x00\x01\x02binary")
    return root


@pytest.fixture
def tree(searcher):
    return _make_tree(searcher.cwd)


def search(host, **arguments):
    return call_tool(host, "search_files", arguments)


def test_the_configured_engine_is_used(searcher, tree, engine):
    assert search(searcher, pattern="hello").metadata["engine"] == engine


def test_content_search_skips_ignored_git_and_binary_files(searcher, tree):
    result = search(searcher, pattern="hello")
    assert result.content == (
        "6 matches in 6 files:\n"
        ".config/settings.ini:1:greeting=hello\n"
        "README.md:2:Say hello to the app.\n"
        "notes/ünï.txt:1:hello in ünïcode: héllo wörld\n"
        "src/app.py:4:    print('hello')\n"
        "src/web/page.ts:1:export const hello = 'hi';\n"
        "win.txt:1:hello"
    )


def test_context_lines_and_separators(searcher, tree):
    result = search(searcher, pattern="helper", path="src", context=1)
    assert result.content == (
        "3 matches in 2 files:\n"
        "src/app.py-4-    print('hello')\n"
        "src/app.py:5:    return helper()\n"
        "src/app.py-6-\n"
        "src/app.py-7-\n"
        "src/app.py:8:def helper():\n"
        "src/app.py-9-    return 42\n"
        "--\n"
        "src/util.py:1:def helper_too():\n"
        "src/util.py-2-    pass"
    )


def test_pagination_says_how_to_continue(searcher, tree):
    first = search(searcher, pattern="hello", limit=2)
    assert first.content.endswith("[Showing matches 1-2 of 6. Continue with offset=2, or narrow the pattern or file_glob.]")
    second = search(searcher, pattern="hello", limit=2, offset=2)
    assert second.content.splitlines()[1:3] == ["notes/ünï.txt:1:hello in ünïcode: héllo wörld", "src/app.py:4:    print('hello')"]
    past = search(searcher, pattern="hello", offset=50)
    assert "offset 50 is past the last of them" in past.content


def test_files_only_and_count_modes(searcher, tree):
    files = search(searcher, pattern="def ", output_mode="files_only")
    assert files.content == "3 matches in 2 files:\nsrc/app.py\nsrc/util.py"
    counts = search(searcher, pattern="def ", output_mode="count")
    assert counts.content == "3 matches in 2 files:\nsrc/app.py: 2\nsrc/util.py: 1"


@pytest.mark.parametrize(
    "file_glob, expected",
    [
        ("*.py", ["src/app.py"]),
        ("*.{ts,md}", ["README.md", "src/web/page.ts"]),
        ("src/**/*.ts", ["src/web/page.ts"]),
        ("!*.py", [".config/settings.ini", "README.md", "notes/ünï.txt", "src/web/page.ts", "win.txt"]),
        ("*.log", []),  # a glob never brings back what .gitignore hides
    ],
)
def test_file_glob(searcher, tree, file_glob, expected):
    result = search(searcher, pattern="hello", file_glob=file_glob, output_mode="files_only")
    listed = result.content.splitlines()[1:] if expected else []
    assert listed == expected
    if not expected:
        assert result.content.startswith('No matches for "hello" in . (files matching "*.log")')


def test_crlf_lines_match_end_anchors(searcher, tree):
    assert search(searcher, pattern="^bye$").content == "1 match in 1 file:\nwin.txt:2:bye"


def test_single_file_and_binary_file(searcher, tree):
    assert search(searcher, pattern="return", path="src/app.py", output_mode="count").content == (
        "2 matches in 1 file:\nsrc/app.py: 2")
    binary = search(searcher, pattern="hello", path="image.bin")
    assert binary.is_error and "image.bin is a binary file" in binary.content


def test_no_matches_and_bad_input(searcher, tree):
    assert search(searcher, pattern="zebra").content == 'No matches for "zebra" in ..'
    bad = search(searcher, pattern="foo(")
    assert bad.is_error and "invalid regex 'foo('" in bad.content
    missing = search(searcher, pattern="x", path="srcc")
    assert missing.is_error and "file not found: srcc. Did you mean: src?" in missing.content


def test_output_is_bounded(make_host, engine):
    host = make_host(plugins={"file-tools": hermes_plugin_file_tools},
                     config={"file_tools": {"ripgrep": engine == "ripgrep"}, "tools": {"max_result_chars": 4000}})
    (host.cwd / "wide.txt").write_text(("match " + "w" * 1000 + "\n") * 200)
    result = search(host, pattern="match", limit=100)
    assert len(result.content) < 4000 and not result.metadata.get("spilled")
    assert "…[line cut]" in result.content
    shown = result.content.count("wide.txt:")
    assert f"[Showing matches 1-{shown} of 200. Continue with offset={shown}" in result.content


def test_counting_stops_at_the_cap(make_host, engine):
    host = make_host(plugins={"file-tools": hermes_plugin_file_tools},
                     config={"file_tools": {"ripgrep": engine == "ripgrep"}})
    (host.cwd / "many.txt").write_text("x\n" * 12_000)
    result = search(host, pattern="x", limit=5)
    assert result.content.startswith("10,000+ matches in 1+ file:")
    assert "counting stopped at 10,000 matches" in result.content


def test_name_search(searcher, tree):
    now = time.time()
    for age, rel in enumerate(["src/util.py", "src/app.py", "src/web/page.ts"]):
        os.utime(tree / rel, (now - age * 100, now - age * 100))
    assert search(searcher, pattern="*.py", target="files").content == (
        '2 files matching "*.py" (newest first):\nsrc/util.py\nsrc/app.py')
    assert search(searcher, pattern="readme", target="files").content.splitlines()[1:] == ["README.md"]
    assert search(searcher, pattern="src/*/*.ts", target="files").content.splitlines()[1:] == ["src/web/page.ts"]
    assert search(searcher, pattern="*.log", target="files").content == 'No files matching "*.log" in ..'
    paged = search(searcher, pattern="*", target="files", limit=3)
    assert "Continue with offset=3" in paged.content


@pytest.mark.skipif(not HAVE_RG, reason="ripgrep is not installed")
def test_engines_print_the_same(make_host, tmp_path):
    tree = _make_tree(tmp_path / "tree")
    (tree / "src" / "app.py").write_text("x = 1\n" * 30 + "hello = 2\n" + "y = 3\n" * 30)
    fallback = make_host(plugins={"file-tools": hermes_plugin_file_tools}, config={"file_tools": {"ripgrep": False}},
                         cwd=tree)
    queries = [
        {"pattern": "hello"}, {"pattern": "h.llo", "context": 2}, {"pattern": "^def", "output_mode": "count"},
        {"pattern": "e", "limit": 3, "offset": 2}, {"pattern": "[0-9]+"}, {"pattern": "o", "file_glob": "*.py"},
        {"pattern": "*", "target": "files", "limit": 100}, {"pattern": "= [0-9]", "context": 3, "limit": 4},
        {"pattern": "[a-z]", "output_mode": "files_only", "offset": 1},
    ]
    rg_host = make_host(plugins={"file-tools": hermes_plugin_file_tools}, config={"file_tools": {"ripgrep": True}},
                        cwd=tree)
    for query in queries:
        via_rg, via_python = search(rg_host, **query), search(fallback, **query)
        assert via_rg.metadata["engine"] == "ripgrep" and via_python.metadata["engine"] == "python"
        assert via_rg.content == via_python.content, query


def test_fallback_when_rg_is_not_on_path(tools, work, monkeypatch, tmp_path):
    (work / "a.txt").write_text("needle\n")
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = search(tools, pattern="needle")
    assert result.metadata["engine"] == "python"
    assert result.content == "1 match in 1 file:\na.txt:1:needle"


@pytest.mark.skipif(not HAVE_RG, reason="ripgrep is not installed")
def test_search_inside_a_git_repository_subfolder(make_host, tmp_path, engine):
    repo = tmp_path / "repo"
    (repo / "pkg" / "generated").mkdir(parents=True)
    (repo / ".gitignore").write_text("generated/\n")
    (repo / "pkg" / "mod.py").write_text("token = 1\n")
    (repo / "pkg" / "generated" / "mod.py").write_text("token = 2\n")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    host = make_host(plugins={"file-tools": hermes_plugin_file_tools},
                     config={"file_tools": {"ripgrep": engine == "ripgrep"}}, cwd=repo)
    assert search(host, pattern="token", path="pkg").content == "1 match in 1 file:\npkg/mod.py:1:token = 1"
