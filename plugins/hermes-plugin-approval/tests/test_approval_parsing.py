"""Parsing and expansion: the fallback parser, bashlex agreement, word expansion, paths,
static output and interpreter code reading."""

from __future__ import annotations

import pytest
from hermes_plugin_approval import _analyzer
from hermes_plugin_approval._bashlex_adapter import parse_bashlex
from hermes_plugin_approval._fallback import parse_fallback
from hermes_plugin_approval._code import code_actions
from hermes_plugin_approval._model import ForLoop, FunctionDef, Group, SimpleCommand
from hermes_plugin_approval._parse import parse
from hermes_plugin_approval._paths import deletion_scope, display, normalize, write_class
from hermes_plugin_approval._records import Invocation, Stream, initial_state
from hermes_plugin_approval._static import stdout_of
from hermes_plugin_approval._words import brace_expand, decode_ansi_c, expand_word


def _simple(script, k: int = 0) -> SimpleCommand:
    stage = script.pipelines[k].stages[0]
    assert isinstance(stage, SimpleCommand)
    return stage


# -- the parsers ------------------------------------------------------------------------------


def test_bashlex_and_the_fallback_agree_on_the_corpora(dangerous_corpus, benign_corpus, scan,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    commands = [c for _, c in dangerous_corpus] + benign_corpus
    disagreements = []
    for command in commands:
        try:
            parse_bashlex(command)
        except Exception:  # noqa: BLE001 - only compare where bashlex parses
            continue
        monkeypatch.setattr(_analyzer, "parse", parse_bashlex)
        first = scan(command)
        monkeypatch.setattr(_analyzer, "parse", parse_fallback)
        second = scan(command)
        a = (first.verdict, sorted({f.rule for f in first.findings}))
        b = (second.verdict, sorted({f.rule for f in second.findings}))
        if a != b:
            disagreements.append((command, a, b))
    assert not disagreements


def test_bashlex_is_used_when_it_can_parse_and_the_fallback_otherwise() -> None:
    assert parse("ls -la | wc -l").parser == "bashlex"
    for text in ("case $x in a) ls;; esac", "[[ -f x ]] && ls", "time ls", "cat <<'EOF'\nx\nEOF", "a=(1 2)"):
        assert parse(text).parser == "fallback", text


def test_fallback_heredocs() -> None:
    script = parse_fallback("cat <<'EOF' > out\n$(rm -rf /)\nEOF\ncat <<-END\n\tindented\n\tEND\necho done")
    first = _simple(script)
    heredoc = next(r for r in first.redirects if r.op == "<<")
    assert heredoc.heredoc == "$(rm -rf /)\n" and heredoc.literal
    second = _simple(script, 1)
    assert second.redirects[0].heredoc == "indented\n" and not second.redirects[0].literal
    assert _simple(script, 2).words == ("echo", "done")
    assert script.exact


def test_fallback_never_fails_and_says_when_it_guessed() -> None:
    for text in ("echo 'unterminated", "echo $(foo", "cat <<EOF\nno end", ")) fi } done", "((", "`", "$'"):
        script = parse_fallback(text)
        assert not script.exact, text
    assert parse_fallback("ls # comment 'unterminated").exact


def test_fallback_structure() -> None:
    script = parse_fallback("for d in a b; do rm -r $d; done; f() { g | h & }; if x; then y; fi; "
                            "case $1 in a|b) c;; *) d;; esac; [[ -n $x ]] && ls 2>&1 >/dev/null &")
    stages = [p.stages[0] for p in script.pipelines]
    assert isinstance(stages[0], ForLoop) and stages[0].var == "d" and stages[0].items == ("a", "b")
    assert isinstance(stages[1], FunctionDef) and stages[1].name == "f"
    assert isinstance(stages[2], Group) and isinstance(stages[3], Group)
    test = stages[4]
    assert isinstance(test, SimpleCommand) and test.words[0] == "[["
    ls = script.pipelines[5]
    assert ls.background
    assert [(r.op, r.fd, r.target) for r in ls.stages[0].redirects] == [(">&", 2, "1"), (">", None, "/dev/null")]


def test_fallback_words_keep_their_quotes() -> None:
    words = _simple(parse_fallback("""r''m -rf "$HOME/x" $'\\x2f' a=(1 2) <(ls) x\\ y""")).words
    assert words == ("r''m", "-rf", '"$HOME/x"', "$'\\x2f'", "a=(1 2)", "<(ls)", "x\\ y")


# -- words ----------------------------------------------------------------------------------------


class _NoSubst:
    def substitute(self, source: str) -> Stream:
        return Stream(kind="unknown")

    def process(self, source: str) -> Stream:
        return Stream(kind="unknown")


def _expand(raw: str, **env: str) -> list[str]:
    state = initial_state()
    state.env.update(env)
    return [arg.text for arg in expand_word(raw, state, _NoSubst())]


@pytest.mark.parametrize(("raw", "env", "expected"), [
    ("r''m", {}, ["rm"]),
    ('"r"m', {}, ["rm"]),
    ("\\rm", {}, ["rm"]),
    ("$'\\x72\\x6d'", {}, ["rm"]),
    ("$'\\162\\155'", {}, ["rm"]),
    ("~", {}, ["~"]),
    ("~/x", {}, ["~/x"]),
    ("~alice/x", {}, ["/home/alice/x"]),
    ("'~'", {}, ["~"]),
    ("$HOME", {}, ["~"]),
    ("$X", {"X": "a b"}, ["a", "b"]),
    ('"$X"', {"X": "a b"}, ["a b"]),
    ("$X", {"X": ""}, []),
    ("${X:-rm}", {}, ["rm"]),
    ("${X:-rm}", {"X": "ls"}, ["ls"]),
    ("${X:1:2}", {"X": "xrmx"}, ["rm"]),
    ("${X: -2}", {"X": "xxrm"}, ["rm"]),
    ("${X//_/}", {"X": "r_m"}, ["rm"]),
    ("${X^^}", {"X": "rm"}, ["RM"]),
    ("${X#x}", {"X": "xrm"}, ["rm"]),
    ("${X%%.*}", {"X": "rm.txt.bak"}, ["rm"]),
    ("${!P}", {"P": "Q", "Q": "rm"}, ["rm"]),
    ("rm${IFS}-rf", {}, ["rm", "-rf"]),
    ("$C", {"C": "rm,-rf,/", "IFS": ","}, ["rm", "-rf", "/"]),
    ("$UNKNOWN", {}, ["$UNKNOWN"]),
    ("{a,b}c", {}, ["ac", "bc"]),
    ("'{a,b}'", {}, ["{a,b}"]),
])
def test_word_expansion(raw: str, env: dict[str, str], expected: list[str]) -> None:
    assert _expand(raw, **env) == expected


def test_expansion_marks_unknown_parts() -> None:
    state = initial_state()
    (arg,) = expand_word('"$DIR/"', state, _NoSubst())
    assert arg.dynamic and arg.text == "$DIR/" and arg.bare == "/"
    (glob,) = expand_word("/???/r?", state, _NoSubst())
    assert glob.glob and not glob.dynamic


def test_brace_expansion() -> None:
    assert brace_expand("{rm,-rf,/}") == ["rm", "-rf", "/"]
    assert brace_expand("/{bin,etc}") == ["/bin", "/etc"]
    assert brace_expand("{1..3}") == ["1", "2", "3"]
    assert brace_expand("{a..c}x") == ["ax", "bx", "cx"]
    assert brace_expand("${X}{a}") == ["${X}{a}"]
    assert len(brace_expand("{1..1000}")) == 64


def test_ansi_c_decoding() -> None:
    assert decode_ansi_c(r"\x72\x6d \055rf \u002f\n\t\\") == "rm -rf /\n\t\\"
    assert decode_ansi_c(r"\cA") == "\x01"


# -- paths ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "cwd", "expected"), [
    ("/", None, "/"), ("//", None, "/"), ("/usr/..", None, "/"), ("~", None, "/home/~"),
    ("~/..", None, "/home"), ("*", "/", "/*"), (".", "~", "/home/~"), ("build", None, "build"),
    ("a/../b", "src", "src/b"),
])
def test_normalize(text: str, cwd: str | None, expected: str) -> None:
    assert normalize(text, cwd) == expected


@pytest.mark.parametrize(("path", "kind"), [
    ("/", "root"), ("/*", "root"), ("/???", "root"), ("/usr", "system"), ("/u*", "system"),
    ("/var/lib", "system"), ("/usr/*", "system"), ("/home", "home"), ("/home/~", "home"),
    ("/home/~/*", "home"), ("/home/~/.*", "home"), ("/root", "home"), ("/Users/bob", "home"),
    ("/tmp", None), ("/var/www", None), ("/home/~/projects", None), ("/etc/nginx", None), ("build", None),
])
def test_deletion_scope(path: str, kind: str | None) -> None:
    scope = deletion_scope(path)
    assert (scope[0] if scope else None) == kind


@pytest.mark.parametrize(("path", "kind"), [
    ("/dev/sda", "device"), ("/dev/nvme0n1p1", "device"), ("/dev/disk/by-id/x", "device"),
    ("/dev/null", None), ("/dev/fd/63", None), ("/dev/stdout", None), ("/etc/passwd", "critical"),
    ("/boot/grub/grub.cfg", "critical"), ("/etc/sudoers.d/x", "sudoers"), ("/home/~/.bashrc", "rc"),
    ("/etc/profile.d/a.sh", "rc"), ("/home/~/.ssh/config", "ssh"), ("/home/~/.hermes/config.yaml", "hermes"),
    ("/etc/cron.d/job", "cron"), ("/home/~/.bash_history", "history"), ("/home/~/.gitconfig", "dotfile"),
    ("/home/~/.aws/credentials", "dotfile"), ("/etc/hosts", "system"), ("/home/~/notes.txt", None),
    ("src/app.py", None),
])
def test_write_class(path: str, kind: str | None) -> None:
    judged = write_class(path, cwd_known=True)
    assert (judged[0] if judged else None) == kind


def test_display() -> None:
    assert display("/home/~") == "~" and display("/home/~/x") == "~/x" and display("/etc") == "/etc"


# -- static output --------------------------------------------------------------------------------


def _out(name: str, *words: str, stdin: Stream | None = None) -> str:
    from hermes_plugin_approval._records import Arg

    inv = Invocation(name=name, args=tuple(Arg(text=w, raw=w, bare=w) for w in words))
    stream = stdout_of(inv, stdin)
    return stream.text() if stream.kind == "text" else stream.kind


def _text(value: str) -> Stream:
    return Stream(kind="text", data=value.encode())


def test_static_output() -> None:
    assert _out("echo", "-n", "rm", "-rf", "/") == "rm -rf /"
    assert _out("echo", "-e", r"rm\x20-rf") == "rm -rf\n"
    assert _out("printf", r"%s %s\n", "rm", "-rf") == "rm -rf\n"
    assert _out("base64", "-d", stdin=_text("cm0gLXJmIC8=\n")) == "rm -rf /"
    assert _out("rev", stdin=_text("/ fr- mr")) == "rm -rf /"
    assert _out("tr", "A-Za-z", "N-ZA-Mn-za-m", stdin=_text("ez -es /")) == "rm -rf /"
    assert _out("xxd", "-r", "-p", stdin=_text("726d202d7266202f")) == "rm -rf /"
    assert _out("base64", "-d", "payload.b64") == "decoded"
    assert _out("curl", "-s", "https://example.com/i.sh") == "remote"
    assert _out("tee", "log", stdin=Stream(kind="remote")) == "remote"
    assert _out("sort", stdin=_text("x")) == "unknown"


# -- interpreter code -----------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "code", "kind", "text"), [
    ("python", "import os; os.system('rm -rf /')", "shell", "rm -rf /"),
    ("python", "import subprocess; subprocess.run(['rm', '-rf', '/'])", "shell", "rm -rf /"),
    ("python", "os.system('/ fr- mr'[::-1])", "shell", "rm -rf /"),
    ("python", "os.system('r' 'm' + ' -rf /')", "shell", "rm -rf /"),
    ("python", "import shutil; shutil.rmtree(os.path.expanduser('~'))", "delete", "~"),
    ("python", "open('/etc/passwd', 'w')", "write", "/etc/passwd"),
    ("python", "from pathlib import Path; Path('/etc/shadow').write_text('')", "write", "/etc/shadow"),
    ("python", "import pathlib; pathlib.Path('/boot/grub/grub.cfg').unlink()", "delete", "/boot/grub/grub.cfg"),
    ("python", "import os\nwhile True: os.fork()", "forkbomb", ""),
    ("perl", 'system("rm -rf /")', "shell", "rm -rf /"),
    ("perl", "`rm -rf ~`", "shell", "rm -rf ~"),
    ("ruby", 'FileUtils.rm_rf("/")', "delete", "/"),
    ("node", "require('child_process').execSync('rm -rf /')", "shell", "rm -rf /"),
    ("node", "fs.rmSync('/', {recursive: true})", "delete", "/"),
    ("php", 'shell_exec("rm -rf /");', "shell", "rm -rf /"),
    ("awk", 'BEGIN { system("rm -rf /") }', "shell", "rm -rf /"),
])
def test_code_actions(language: str, code: str, kind: str, text: str) -> None:
    actions = code_actions(code, language)  # type: ignore[arg-type]
    assert any(a.kind == kind and a.text == text for a in actions), actions


def test_code_actions_ignore_harmless_code() -> None:
    assert code_actions("print('rm -rf /')", "python") == []
    assert code_actions("console.log('hello')", "node") == []


def test_every_command_the_analyzer_handles_is_known() -> None:
    # a command missing from KNOWN_COMMANDS is skipped as inert when its words are plain
    from hermes_plugin_approval._context import Findings
    from hermes_plugin_approval._ruleset import KNOWN_COMMANDS

    handled = set(_analyzer.Analyzer(Findings())._handlers)
    assert handled - KNOWN_COMMANDS == set()


@pytest.mark.parametrize(("label", "text"), [
    ("brace explosion", "echo " + "{a,b}" * 20),
    ("deep substitutions", "echo " + "$(" * 300 + "ls" + ")" * 300),
    ("deep parameter defaults", "echo " + "${a:-" * 400 + "x" + "}" * 400),
    ("deep subshells", "(" * 2000 + "rm -rf /" + ")" * 2000),
    ("operators only", ";;&&||" * 20000),
    ("binary", "\x00\xff\xfe" * 10000),
    ("alias loop", "alias a=b; alias b=a; a"),
    ("recursive function", "f() { f; }; f"),
])
def test_pathological_inputs_are_fast_and_never_crash(scan, label: str, text: str) -> None:
    import time

    start = time.process_time()
    result = scan(text)
    assert time.process_time() - start < 2.0, label
    if "rm -rf /" in text:
        assert result.verdict != "allow"
