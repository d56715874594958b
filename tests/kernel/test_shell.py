"""hermes_core.shell against a real bash over pipes, and its signal scripts under dash."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from hermes_core.shell import (
    ENV_JOB,
    ENV_SHELL_ID,
    BackgroundFiles,
    CommandReader,
    OutputBuffer,
    ShellProtocol,
    ShellResult,
    ansi_c_quote,
    background_command,
    job_signal_script,
    new_token,
    shell_argv,
    tree_signal_script,
)

SIDE_SHELLS = [name for name in ("sh", "dash", "bash") if shutil.which(name)]


class PipeShell:
    """The smallest possible transport: bash over pipes, read with select."""

    def __init__(self, protocol: ShellProtocol, **startup: object) -> None:
        self.protocol = protocol
        self.proc = subprocess.Popen(
            shell_argv(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.ready = self.send(*protocol.startup(**startup))  # type: ignore[arg-type]

    def send(self, payload: bytes, reader: CommandReader, timeout: float = 10.0) -> ShellResult:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        if payload:
            self.proc.stdin.write(payload)
            self.proc.stdin.flush()
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            data = os.read(fd, 65536)
            if not data:
                return reader.eof(self.proc.wait())
            if reader.feed(data):
                return reader.result()
        raise AssertionError("no sentinel within the timeout")

    def run(self, command: str, **kwargs: object) -> ShellResult:
        return self.send(*self.protocol.command(command, **kwargs))  # type: ignore[arg-type]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()


@pytest.fixture
def shell():
    opened: list[PipeShell] = []

    def factory(**kwargs: object) -> PipeShell:
        protocol = ShellProtocol(max_chars=int(kwargs.pop("max_chars", 4000)))  # type: ignore[arg-type]
        opened.append(PipeShell(protocol, **kwargs))
        return opened[-1]

    yield factory
    for item in opened:
        item.close()


def _side(script: str, sh: str = "sh") -> list[int]:
    done = subprocess.run([sh, "-c", script], capture_output=True, text=True, timeout=20)
    assert done.returncode == 0, done.stderr
    return [int(line) for line in done.stdout.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def _wait(predicate, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


# -- quoting --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "plain", "it's \"quoted\" \\ back", "line1\nline2\r\ttab", "$HOME `id` $(id) !x", "héllo ✓ 日本語 😀",
    "\x01\x1b[31mctl", "end with backslash \\", "\\x41 not hex", "",
])
def test_ansi_c_quote_round_trips_through_bash(text):
    out = subprocess.run(["bash", "-c", f"printf %s {ansi_c_quote(text)}"], capture_output=True)
    assert out.stdout.decode("utf-8") == text
    assert all(32 <= ord(c) < 127 for c in ansi_c_quote(text))


def test_ansi_c_quote_keeps_raw_bytes():
    raw = bytes(range(1, 256))
    out = subprocess.run(["bash", "-c", f"printf %s {ansi_c_quote(raw)}"], capture_output=True)
    assert out.stdout == raw


# -- output buffer ---------------------------------------------------------------------------


def test_output_buffer_keeps_head_and_tail():
    buffer = OutputBuffer(1000)
    for index in range(2000):
        buffer.feed(f"line {index}\n".encode())
    text = buffer.text()
    assert buffer.truncated
    assert text.startswith("line 0\n") and text.endswith("line 1999\n")
    assert "bytes of output omitted" in text
    assert len(text) <= 1000 + 100


def test_output_buffer_small_output_is_exact_and_invalid_utf8_is_replaced():
    buffer = OutputBuffer(1000)
    buffer.feed(b"ok \xff\xfe end")
    assert not buffer.truncated
    assert buffer.text() == "ok \ufffd\ufffd end"


def test_output_buffer_does_not_cut_characters_in_half():
    buffer = OutputBuffer(300)
    buffer.feed("é".encode() * 1000)  # two bytes each; the limits fall mid-character
    head, _, tail = buffer.text().partition("[...")
    assert "\ufffd" not in head and "\ufffd" not in tail


# -- the reader, fed by hand ------------------------------------------------------------------


def _sentinel(token: str, rc: int = 0, cwd: str = "/x:y") -> bytes:
    return f"<<<hermes:{token}:{rc}:42:123.45:{cwd}:{token}>>>\n".encode()


def test_reader_parses_the_sentinel_fed_byte_by_byte():
    reader = CommandReader("tok", "shell", max_chars=1000)
    stream = b"hello\nworld" + _sentinel("tok", 3) + b"late output"
    finished = [reader.feed(stream[i:i + 1]) for i in range(len(stream))]
    assert finished.index(True) == len(stream) - len(b"late output") - 1
    result = reader.result()
    assert result.output == "hello\nworld"
    assert (result.exit_code, result.shell_pid, result.cwd, result.uptime_ticks) == (3, 42, "/x:y", 12345)
    assert result.leftover == b"late output" and not result.shell_exited


def test_reader_ignores_other_tokens_and_sees_the_shell_exit():
    reader = CommandReader("tok", "shell", max_chars=1000)
    assert not reader.feed(_sentinel("other") + b"<<<hermes:tok-but-not:")
    assert reader.feed(_sentinel("shell", 5))
    result = reader.result()
    assert result.shell_exited and result.exit_code == 5
    assert "<<<hermes:other:" in result.output


def test_reader_eof_keeps_partial_output():
    reader = CommandReader("tok", "shell", max_chars=1000)
    reader.feed(b"partial <<<hermes:tok:1:2")
    result = reader.eof(exit_code=9)
    assert result.shell_exited and result.exit_code == 9
    assert result.output == "partial <<<hermes:tok:1:2"


# -- against a real bash -----------------------------------------------------------------------


def test_startup_reports_pid_and_cwd(shell, tmp_path):
    sh = shell(cwd=str(tmp_path))
    assert sh.ready.exit_code == 0 and sh.ready.cwd == str(tmp_path)
    assert sh.ready.shell_pid == sh.proc.pid
    assert sh.ready.uptime_ticks and sh.ready.uptime_ticks > 0
    assert sh.ready.output == ""


def test_state_persists_and_the_protocol_survives_bad_commands(shell, tmp_path):
    sh = shell()
    assert sh.run(f"cd {tmp_path}; export HX=1; alias hal='echo alias works'; hf() {{ echo fn $1; }}").exit_code == 0
    bad = sh.run("echo 'unbalanced")
    assert bad.exit_code == 2 and "unexpected EOF" in bad.output
    assert sh.run("if then fi").exit_code == 2
    result = sh.run("pwd; echo $HX; hal; hf z")
    assert result.output.splitlines() == [str(tmp_path), "1", "alias works", "fn z"]
    assert result.cwd == str(tmp_path)


def test_output_exit_codes_stderr_and_no_stdin(shell):
    sh = shell()
    result = sh.run("echo out; echo err >&2; printf 'no newline'; (exit 3)")
    assert result.output == "out\nerr\nno newline" and result.exit_code == 3
    assert sh.run("cat; read x; echo read=$?").output == "read=1\n"  # stdin is /dev/null
    assert sh.run("echo '<<<hermes:fake:0:1:2:/:fake>>>'").output == "<<<hermes:fake:0:1:2:/:fake>>>\n"


def test_multiline_commands_and_heredocs(shell):
    sh = shell()
    result = sh.run("cat <<'EOF'\na 'b' \"c\"\n$NOT_EXPANDED\nEOF\nfor i in 1 2; do\n  echo $i\ndone")
    assert result.output == "a 'b' \"c\"\n$NOT_EXPANDED\n1\n2\n"


def test_aliases_named_like_the_protocol_builtins_do_not_break_it(shell):
    sh = shell()
    sh.run("alias printf='echo BROKEN'; alias eval='echo BROKEN'; cd() { echo BROKEN; }; alias export=false")
    result = sh.run("echo fine", workdir="/")
    assert result.output == "fine\n" and result.exit_code == 0


def test_workdir_is_for_one_command(shell, tmp_path):
    sh = shell(cwd=str(tmp_path))
    assert sh.run("pwd", workdir="/").output == "/\n"
    assert sh.run("pwd").output == f"{tmp_path}\n"
    missing = sh.run("echo never", workdir="/definitely/missing")
    assert missing.exit_code == 1 and "never" not in missing.output and "missing" in missing.output


def test_unicode_paths_and_output(shell, tmp_path):
    folder = tmp_path / "dïr ✓ 'q'"
    folder.mkdir()
    sh = shell()
    result = sh.run(f"cd {ansi_c_quote(str(folder))} && echo 'héllo 😀'")
    assert result.output == "héllo 😀\n" and result.cwd == str(folder)


def test_huge_output_is_bounded(shell):
    sh = shell(max_chars=2000)
    result = sh.run("seq 1 200000; echo THE-END")
    assert result.truncated and result.output.startswith("1\n2\n") and result.output.endswith("THE-END\n")
    assert len(result.output) < 2200
    assert sh.run("echo next").output == "next\n"


def test_exit_reports_the_code_and_the_shell_dies(shell):
    sh = shell()
    result = sh.run("echo bye; exit 7")
    assert result.shell_exited and result.exit_code == 7 and result.output == "bye\n"
    assert sh.proc.wait(timeout=5) == 7


def test_exit_without_the_trap_falls_back_to_the_transport(shell):
    sh = shell()
    result = sh.run("trap - EXIT; exit 4")
    assert result.shell_exited and result.exit_code == 4


def test_startup_env_is_exported_and_job_token_is_set(shell):
    sh = shell(env={"HERMES_TEST_VALUE": "a b'c"})
    result = sh.run(f"echo \"$HERMES_TEST_VALUE\"; echo ${ENV_SHELL_ID}; sh -c 'echo ${ENV_JOB}'", token="job-1")
    assert result.output.splitlines() == ["a b'c", sh.protocol.shell_token, "job-1"]
    with pytest.raises(ValueError):
        sh.protocol.startup(env={"bad name": "x"})


# -- background processes and signals ------------------------------------------------------------


def _start_background(sh: PipeShell, command: str, folder: Path, token: str) -> int:
    result = sh.run(background_command(command, BackgroundFiles(str(folder)), token))
    assert result.exit_code == 0, result.output
    return int(result.output)


def test_background_command_log_stdin_and_exit(shell, tmp_path):
    sh = shell()
    sh.run(f"cd {tmp_path}; export BGVAR=inherited; bgfn() {{ echo fn-$1; }}")
    folder = tmp_path / "jobs" / "one"
    pid = _start_background(sh, "echo $BGVAR; bgfn x; pwd; read line; echo got=$line; exit 3", folder, new_token())
    files = BackgroundFiles(str(folder))
    assert Path(files.pid).read_text().strip() == str(pid)
    fd = os.open(files.stdin, os.O_WRONLY | os.O_NONBLOCK)
    os.write(fd, b"hello\n")
    os.close(fd)
    assert _wait(lambda: Path(files.exit).exists())
    assert Path(files.exit).read_text().strip() == "3"
    assert Path(files.log).read_text() == f"inherited\nfn-x\n{tmp_path}\ngot=hello\n"
    assert sh.run("echo quiet").output == "quiet\n"  # no job notices leak into later output


@pytest.mark.parametrize("side", SIDE_SHELLS)
def test_job_signal_kills_the_command_tree_but_not_the_shell_or_background(shell, tmp_path, side):
    sh = shell()
    bg_pid = _start_background(sh, "sleep 300", tmp_path / "bg", new_token())
    before = sh.run("true")
    marker = tmp_path / "survived"
    payload, reader = sh.protocol.command(f"(sleep 1; echo x > {marker}) & sh -c 'sleep 120' & sleep 60")
    sh.proc.stdin.write(payload)
    sh.proc.stdin.flush()
    time.sleep(0.4)
    killed = _side(job_signal_script("KILL", sh.ready.shell_pid, reader.token, since_ticks=before.uptime_ticks,
                                     exclude=[bg_pid]), side)
    assert len(killed) >= 3 and sh.ready.shell_pid not in killed and bg_pid not in killed
    result = sh.send(b"", reader)
    assert result.exit_code == 137 and not result.shell_exited
    time.sleep(1.3)
    assert not marker.exists()
    assert _alive(bg_pid) and sh.run("echo alive").output == "alive\n"


@pytest.mark.parametrize("side", SIDE_SHELLS)
def test_job_signal_finds_double_forked_processes_by_their_token(shell, side):
    sh = shell()
    before = sh.run("true")
    job = new_token()
    sh.run("( (exec -a hermes-orphan-test sleep 120) & ) ; true", token=job)
    orphans = [p for p in _side(job_signal_script("0", sh.ready.shell_pid, job,
                                                  since_ticks=before.uptime_ticks), side)]
    assert orphans, "the orphan was not found"
    for pid in orphans:
        assert Path(f"/proc/{pid}/environ").read_bytes().find(f"{ENV_JOB}={job}".encode()) >= 0
    _side(job_signal_script("KILL", sh.ready.shell_pid, job), side)
    assert _wait(lambda: not any(_alive(p) for p in orphans))


def test_interrupt_with_sigint_lets_the_shell_continue(shell):
    sh = shell()
    payload, reader = sh.protocol.command("sleep 60")
    sh.proc.stdin.write(payload)
    sh.proc.stdin.flush()
    time.sleep(0.3)
    start = time.monotonic()
    assert _side(job_signal_script("INT", sh.ready.shell_pid, reader.token))
    result = sh.send(b"", reader)
    assert time.monotonic() - start < 2
    assert result.exit_code == 130 and not result.shell_exited
    assert sh.run("echo ok").output == "ok\n"


@pytest.mark.parametrize("side", SIDE_SHELLS)
def test_tree_signal_kills_a_background_job_and_closing_kills_everything(shell, tmp_path, side):
    sh = shell()
    job = new_token()
    bg_pid = _start_background(sh, "sleep 300 & sleep 301", tmp_path / "bg", job)
    assert _wait(lambda: len(_side(tree_signal_script("0", bg_pid, env_match=f"{ENV_JOB}={job}"), side)) >= 3)
    killed = _side(tree_signal_script("KILL", bg_pid, env_match=f"{ENV_JOB}={job}"), side)
    assert bg_pid in killed and sh.ready.shell_pid not in killed
    assert _wait(lambda: not _alive(bg_pid))
    assert sh.run("echo still").output == "still\n"
    sh.run("sleep 302 >/dev/null 2>&1 &")
    everything = _side(tree_signal_script("KILL", sh.ready.shell_pid,
                                          env_match=f"{ENV_SHELL_ID}={sh.protocol.shell_token}"), side)
    assert sh.ready.shell_pid in everything and len(everything) >= 2
    assert sh.proc.wait(timeout=5) == -9
    assert _wait(lambda: not any(_alive(p) for p in everything))


def test_signal_scripts_reject_unsafe_values():
    with pytest.raises(ValueError):
        job_signal_script("KILL; rm -rf /", 1, "tok")
    with pytest.raises(ValueError):
        job_signal_script("KILL", 1, "tok'; rm -rf /; '")
    with pytest.raises(ValueError):
        tree_signal_script("KILL", 1, env_match="no equals sign here!")
    assert len(new_token()) == 32


def test_tree_signal_without_a_root_matches_by_environment_only(shell):
    sh = shell()
    sh.run("sleep 303 >/dev/null 2>&1 &")
    match = f"{ENV_SHELL_ID}={sh.protocol.shell_token}"
    found = _side(tree_signal_script("0", None, env_match=match))
    assert found and sh.ready.shell_pid not in found  # the shell's own environ has no marker here
    _side(tree_signal_script("KILL", None, env_match=match))
    assert _wait(lambda: not any(_alive(p) for p in found))
    with pytest.raises(ValueError):
        tree_signal_script("KILL", 1, env_match=match)
    with pytest.raises(ValueError):
        job_signal_script("KILL", 0, "tok")


def test_background_stdin_is_writable_the_moment_the_pid_is_printed(shell, tmp_path):
    sh = shell()
    for index in range(10):
        folder = tmp_path / f"race-{index}"
        _start_background(sh, "read -r line; echo got=$line", folder, new_token())
        fd = os.open(str(folder / "stdin"), os.O_WRONLY | os.O_NONBLOCK)  # no ENXIO: a reader is there
        os.write(fd, b"now\n")
        os.close(fd)
        assert _wait(lambda: (folder / "exit").exists())
        assert (folder / "log").read_text() == "got=now\n"
    held = sh.run('for f in /proc/$$/fd/*; do readlink "$f"; done').output
    assert "race-" not in held  # the main shell keeps none of the FIFOs open


def test_caller_tokens_are_checked():
    protocol = ShellProtocol()
    with pytest.raises(ValueError):
        protocol.command("true", token="x; rm -rf /")
    with pytest.raises(ValueError):
        background_command("true", BackgroundFiles("/tmp/x"), "$(id)")
