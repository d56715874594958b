"""The persistent-shell protocol: one long-lived bash driven over a byte stream.

Every terminal backend that keeps a shell alive between commands (local pipes, an SSH
channel, a ``docker exec`` socket, a bubblewrap sandbox) speaks the same protocol, so it
lives here, free of any transport. A backend:

1. starts ``bash`` with :func:`shell_argv` on its transport (stdout and stderr of the shell
   merged if it can; the protocol merges the command's own stderr anyway);
2. creates a :class:`ShellProtocol`, sends ``payload`` from :meth:`ShellProtocol.startup`
   and feeds what the shell prints to the returned :class:`CommandReader` until it is
   ``done``: the shell is ready and has reported its pid and working directory;
3. for each command, sends the payload of :meth:`ShellProtocol.command` and feeds bytes to
   its reader until ``done``; :meth:`CommandReader.result` gives the output (bounded, head
   and tail kept), the exit code and the new working directory;
4. on a timeout or an interrupt, runs :func:`job_signal_script` on a side channel (a second
   exec, a second SSH channel, or ``sh -c`` locally) to signal the command's process tree
   without touching the shell (SIGINT ends the running program, but bash goes on with the
   rest of a command list, so a backend escalates to killing the job's processes until
   the sentinel arrives); if the shell itself stays stuck (a busy builtin loop), it kills
   the shell and starts a new one;
5. on ``exit N`` in a command the shell dies: the reader ends with ``shell_exited`` and
   ``exit_code == N`` (reported by an EXIT trap, or by the transport when the trap was
   replaced); the backend starts a fresh shell for the next command.

How a command is wrapped, and why it cannot desynchronise the protocol: the command text is
sent as one ANSI-C quoted word (``$'...'``, every byte outside printable ASCII escaped), so
the line the shell reads is always a single, syntactically valid line, whatever quotes,
newlines or syntax errors the command holds. That word is ``eval``-ed in the main shell
(so ``cd``, ``export``, aliases and functions persist) with stdin from ``/dev/null`` (so the
command cannot swallow the protocol stream) and stderr joined to stdout. Then a sentinel is
printed: ``<<<hermes:TOKEN:EXIT:PID:UPTIME:CWD:TOKEN>>>`` with a fresh random token per
command, so neither stale output nor a command that prints marker-like text can end the
wrong command.

How a command's processes are found without a process-group per command: every command
runs with ``HERMES_SHELL_JOB=<token>`` exported, which every program it executes inherits,
even after a double fork; and each sentinel reports the shell's uptime, so children the
shell forked after the previous command (subshells, which keep the shell's own start-up
environment) are recognised by their start time, in the shell's tree or, once orphaned, in
its session. Background processes started with :func:`background_command` carry their own
job token and are left out of a foreground command's signals. Job control stays off, and
jobs are disowned after each command, so bash never prints job notices into the output.

This module uses only the standard library; it is shared by backend plugins, not used by the
kernel itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "ENV_JOB",
    "ENV_SHELL_ID",
    "BackgroundFiles",
    "CommandReader",
    "OutputBuffer",
    "ShellProtocol",
    "ShellResult",
    "ansi_c_quote",
    "background_command",
    "job_signal_script",
    "new_token",
    "shell_argv",
    "tree_signal_script",
]

#: Exported in the shell (and given in its start-up environment where the transport can):
#: marks every process the shell ever starts, so closing can find them all.
ENV_SHELL_ID = "HERMES_SHELL_ID"
#: Exported per command (and per background process): marks the processes of one job.
ENV_JOB = "HERMES_SHELL_JOB"

_MARK_OPEN = b"<<<hermes:"
_MARK_CLOSE = b">>>"
# A sentinel's fields never get near this; more means the stream is not ours.
_MAX_SENTINEL = 64 * 1024


def shell_argv(shell: str = "bash") -> list[str]:
    """The command line that starts the shell: bash reading commands from stdin, with no
    profile or rc files (the user's prompt, aliases and traps would confuse the protocol)."""
    return [shell, "--noprofile", "--norc"]


def new_token() -> str:
    """A random token for a shell, a command or a background job (32 hex digits)."""
    return uuid.uuid4().hex


def ansi_c_quote(text: str | bytes) -> str:
    """``text`` as one bash ``$'...'`` word that holds only printable ASCII.

    Strings are encoded as UTF-8 (lone surrogates from ``surrogateescape`` become the raw
    bytes they stand for), so any file name or command round-trips exactly.
    """
    data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
    out = ["$'"]
    for byte in data:
        if byte == 0x5C:  # backslash
            out.append("\\\\")
        elif byte == 0x27:  # single quote
            out.append("\\'")
        elif 0x20 <= byte < 0x7F:
            out.append(chr(byte))
        else:
            # \xHH takes at most two hex digits, so a following hex character is safe
            out.append(f"\\x{byte:02x}")
    out.append("'")
    return "".join(out)


def _sentinel_printf(token: str, rc: str, uptime: str) -> str:
    """A ``printf`` that writes the sentinel line for ``token``."""
    return (
        f"\\builtin printf '<<<hermes:%s:%s:%s:%s:%s:%s>>>\\n' {token} "
        f'"{rc}" "$$" "{uptime}" "$PWD" {token}'
    )


# ---------------------------------------------------------------------------------------
# Output: bounded, head and tail kept
# ---------------------------------------------------------------------------------------


class OutputBuffer:
    """Collects a command's output within ``max_chars``, keeping its head and its tail.

    The limit is applied to bytes (a safe bound on characters). When more arrives, the
    middle is dropped and :meth:`text` says how much; invalid UTF-8 is decoded with
    replacement characters rather than failing.
    """

    def __init__(self, max_chars: int) -> None:
        self.max_bytes = max(256, int(max_chars))
        self.head_limit = self.max_bytes // 3
        self.tail_limit = self.max_bytes - self.head_limit
        self._head = bytearray()
        self._tail = bytearray()
        self.total = 0

    def feed(self, data: bytes) -> None:
        if not data:
            return
        self.total += len(data)
        room = self.head_limit - len(self._head)
        if room > 0:
            self._head += data[:room]
            data = data[room:]
        if data:
            self._tail += data
            # trim only once it doubles, so long streams cost amortised O(1) per byte
            if len(self._tail) > 2 * self.tail_limit:
                del self._tail[: len(self._tail) - self.tail_limit]

    @property
    def truncated(self) -> bool:
        return self.total > self.max_bytes

    def text(self) -> str:
        """The collected output; with a note where the middle was dropped."""
        if not self.truncated:
            return (bytes(self._head) + bytes(self._tail)).decode("utf-8", "replace")
        tail = bytes(self._tail[-self.tail_limit:])
        head = _cut_incomplete_end(bytes(self._head))
        tail = _cut_incomplete_start(tail)
        omitted = self.total - len(head) - len(tail)
        note = f"\n\n[... {omitted} bytes of output omitted ...]\n\n"
        return head.decode("utf-8", "replace") + note + tail.decode("utf-8", "replace")


def _cut_incomplete_end(data: bytes) -> bytes:
    """Drop a multi-byte UTF-8 character cut in half at the end."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return data
        if byte >= 0xC0:  # a lead byte: is its sequence complete?
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return data if back >= need else data[:-back]
    return data


def _cut_incomplete_start(data: bytes) -> bytes:
    """Drop continuation bytes left over from a character cut in half at the start."""
    skip = 0
    while skip < min(3, len(data)) and 0x80 <= data[skip] < 0xC0:
        skip += 1
    return data[skip:]


# ---------------------------------------------------------------------------------------
# Reading one command's answer
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShellResult:
    """What one command (or the start-up) ended with.

    ``exit_code`` is None when the stream ended without saying (the shell was killed, or
    replaced its EXIT trap); ``shell_exited`` means the shell is gone and must be restarted.
    ``shell_pid`` is the shell's pid as the shell sees it (inside its pid namespace).
    ``uptime_ticks`` is the shell's ``/proc/uptime`` in clock ticks (1/100 s) when the
    command ended, or None where there is no ``/proc/uptime``: pass it to
    :func:`job_signal_script` as ``since_ticks`` for the next command.
    """

    output: str
    truncated: bool
    exit_code: int | None
    cwd: str | None
    shell_pid: int | None
    uptime_ticks: int | None
    shell_exited: bool
    leftover: bytes = b""


class CommandReader:
    """Parses the shell's output stream for one command: output, then the sentinel.

    Feed it every byte the shell prints (in any chunking) with :meth:`feed`; it returns
    True once the command's sentinel (or the shell's exit sentinel) arrived. Call
    :meth:`eof` when the transport closed instead. Bytes after the sentinel (output of a
    background child, say) are kept in ``leftover`` for the next reader.
    """

    def __init__(self, token: str, shell_token: str, *, max_chars: int = 50_000) -> None:
        self.token = token
        self.shell_token = shell_token
        self.buffer = OutputBuffer(max_chars)
        self._opens = {
            _MARK_OPEN + token.encode() + b":": False,
            _MARK_OPEN + shell_token.encode() + b":": True,
        }
        self._keep = max(len(m) for m in self._opens) - 1
        self._pending = b""
        self._found: tuple[bytes, bool] | None = None
        self._result: ShellResult | None = None

    @property
    def done(self) -> bool:
        return self._result is not None

    def feed(self, data: bytes) -> bool:
        """Take more bytes from the shell; True when the command has ended."""
        if self._result is not None:
            self._leftover_append(data)
            return True
        self._pending += data
        if self._found is None:
            hit = self._find_open()
            if hit is None:
                cut = max(0, len(self._pending) - self._keep)
                self.buffer.feed(self._pending[:cut])
                self._pending = self._pending[cut:]
                return False
            index, marker, exited = hit
            self.buffer.feed(self._pending[:index])
            self._pending = self._pending[index + len(marker):]
            self._found = (marker, exited)
        marker, exited = self._found
        token = marker[len(_MARK_OPEN):-1]
        close = b":" + token + _MARK_CLOSE + b"\n"  # the newline too, or it would leak into leftover
        end = self._pending.find(close)
        if end < 0:
            if len(self._pending) > _MAX_SENTINEL:  # not a real sentinel: give it back as output
                self.buffer.feed(marker + self._pending)
                self._pending, self._found = b"", None
            return False
        fields = self._pending[:end]
        rest = self._pending[end + len(close):]
        self._pending = b""
        self._result = self._parse(fields, exited, rest)
        return True

    def eof(self, exit_code: int | None = None) -> ShellResult:
        """The stream ended (the shell died). ``exit_code`` is the transport's view of the
        shell's exit status, used when no exit sentinel arrived."""
        if self._result is None:
            if self._found is not None:
                self.buffer.feed(self._found[0])
            self.buffer.feed(self._pending)
            self._pending = b""
            self._result = ShellResult(
                output=self.buffer.text(), truncated=self.buffer.truncated, exit_code=exit_code,
                cwd=None, shell_pid=None, uptime_ticks=None, shell_exited=True,
            )
        return self._result

    def result(self) -> ShellResult:
        """The command's result; only once :attr:`done`."""
        if self._result is None:
            raise RuntimeError("the command has not finished yet")
        return self._result

    # -- internals ------------------------------------------------------------------------

    def _find_open(self) -> tuple[int, bytes, bool] | None:
        best: tuple[int, bytes, bool] | None = None
        for marker, exited in self._opens.items():
            index = self._pending.find(marker)
            if index >= 0 and (best is None or index < best[0]):
                best = (index, marker, exited)
        return best

    def _leftover_append(self, data: bytes) -> None:
        assert self._result is not None
        if data:
            self._result = ShellResult(**{**self._result.__dict__, "leftover": self._result.leftover + data})

    def _parse(self, fields: bytes, exited: bool, rest: bytes) -> ShellResult:
        parts = fields.split(b":", 3)
        while len(parts) < 4:
            parts.append(b"")
        rc, pid, uptime, cwd = parts
        return ShellResult(
            output=self.buffer.text(),
            truncated=self.buffer.truncated,
            exit_code=_int_or_none(rc),
            cwd=cwd.decode("utf-8", "surrogateescape") or None,
            shell_pid=_int_or_none(pid),
            uptime_ticks=_ticks(uptime),
            shell_exited=exited,
            leftover=rest,
        )


def _int_or_none(raw: bytes) -> int | None:
    try:
        return int(raw.strip())
    except ValueError:
        return None


def _ticks(raw: bytes) -> int | None:
    try:
        return round(float(raw.strip()) * 100)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------
# What to send
# ---------------------------------------------------------------------------------------


class ShellProtocol:
    """Builds what to send to one shell process, and the readers for its answers.

    One object per shell *session*: ``shell_token`` marks the shell's processes
    (``HERMES_SHELL_ID``) and its exit sentinel. A backend that restarts a dead shell may
    keep the same object, so the marker keeps covering processes of the old shell.
    """

    def __init__(self, *, max_chars: int = 50_000, shell_token: str | None = None) -> None:
        self.shell_token = shell_token or new_token()
        self.max_chars = max_chars

    def startup(self, *, cwd: str | None = None, env: dict[str, str] | None = None) -> tuple[bytes, CommandReader]:
        """The start-up line for a fresh shell and the reader for its ready sentinel.

        It turns off history and the prompts, turns on alias expansion (off by default in a
        non-interactive bash), exports ``HERMES_SHELL_ID`` and ``env``, installs the EXIT
        trap that reports ``exit N``, changes to ``cwd`` if given, and reports ready.
        """
        trap = (
            "__hermes_rc=$?; "
            + _sentinel_printf(self.shell_token, "$__hermes_rc", "")
        )
        parts = [
            "\\builtin unset HISTFILE",
            "\\builtin set +o history 2>/dev/null",
            "\\builtin shopt -s expand_aliases",
            "PS1=",
            "PS2=",
            "PROMPT_COMMAND=",
            f"\\builtin export {ENV_SHELL_ID}={self.shell_token}",
        ]
        for name, value in (env or {}).items():
            if not name.isidentifier():
                raise ValueError(f"invalid environment variable name {name!r}")
            parts.append(f"\\builtin export {name}={ansi_c_quote(value)}")
        parts.append(f"\\builtin trap {ansi_c_quote(trap)} EXIT")
        if cwd:
            parts.append(f"\\builtin cd -- {ansi_c_quote(cwd)} 2>/dev/null")
        token = new_token()
        parts.append(self._report(token, "0"))
        return ("; ".join(parts) + "\n").encode(), self.reader(token)

    def command(self, command: str, *, workdir: str | None = None, token: str | None = None) -> tuple[bytes, CommandReader]:
        """One line that runs ``command`` in the main shell, then the reader for its answer.

        With ``workdir`` the command runs there and the shell returns to its previous
        directory afterwards (a missing ``workdir`` fails the command with exit code 1).
        ``token`` (default: a fresh one) is also the command's ``HERMES_SHELL_JOB``.
        """
        token = _check_token(token) if token is not None else new_token()
        body = f"\\builtin eval {ansi_c_quote(command)}"
        parts = [f"\\builtin export {ENV_JOB}={token}"]
        if workdir:
            parts.append("__hermes_pwd=$PWD")
            body = f"\\builtin cd -- {ansi_c_quote(workdir)} && {body}"
        parts.append(f"{{ {body}; }} </dev/null 2>&1")
        parts.append("__hermes_rc=$?")
        # Jobs left running are disowned: bash still reaps them, but prints no "Killed"
        # notice into a later command's output when one dies.
        parts.append("\\builtin disown -a 2>/dev/null")
        if workdir:
            parts.append('\\builtin cd -- "$__hermes_pwd" 2>/dev/null')
        parts.append(self._report(token, "$__hermes_rc"))
        return ("; ".join(parts) + "\n").encode(), self.reader(token)

    def reader(self, token: str) -> CommandReader:
        """A reader for the sentinel of ``token`` (or this shell's exit sentinel)."""
        return CommandReader(token, self.shell_token, max_chars=self.max_chars)

    @staticmethod
    def _report(token: str, rc: str) -> str:
        return (
            "__hermes_up=; \\builtin read -r __hermes_up __hermes_idle 2>/dev/null </proc/uptime; "
            + _sentinel_printf(token, rc, "$__hermes_up")
        )


# ---------------------------------------------------------------------------------------
# Background processes
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackgroundFiles:
    """Where a background process keeps its state, in a folder both the shell and the
    backend can reach: ``log`` (stdout and stderr), ``stdin`` (a FIFO; write to it to
    feed the process), ``pid`` (written at start), ``exit`` (its exit code, written when
    it ends by itself; absent when it was killed)."""

    folder: str

    @property
    def log(self) -> str:
        return f"{self.folder}/log"

    @property
    def stdin(self) -> str:
        return f"{self.folder}/stdin"

    @property
    def pid(self) -> str:
        return f"{self.folder}/pid"

    @property
    def exit(self) -> str:
        return f"{self.folder}/exit"


def background_command(command: str, files: BackgroundFiles, job_token: str, *, workdir: str | None = None) -> str:
    """Shell text that starts ``command`` in the background and prints its pid.

    Run it through :meth:`ShellProtocol.command` in the main shell, so the process inherits
    the shell's directory, exported variables and functions. The process runs in a subshell
    with ``HERMES_SHELL_JOB=job_token``; its stdin is the FIFO ``files.stdin`` opened
    read-write (so it never blocks on open and never sees end-of-file while it waits for
    input) before the fork, so it is open for writers once the pid is printed; its output
    goes to ``files.log``.
    """
    _check_token(job_token)
    q = ansi_c_quote
    on_exit = (
        f"\\builtin printf '%s\\n' \"$?\" > {q(files.exit + '.tmp')} && "
        f"\\command mv -f {q(files.exit + '.tmp')} {q(files.exit)}"
    )
    inner = [f"\\builtin export {ENV_JOB}={job_token}", f"\\builtin trap {q(on_exit)} EXIT"]
    if workdir:
        inner.append(f"\\builtin cd -- {q(workdir)} || \\builtin exit 1")
    inner.append(f"\\builtin eval {q(command)}")
    # One && chain: this runs in the main shell, where `exit` on a failed step would kill it.
    # The main shell opens the FIFO before forking and closes its copy after, so the child
    # holds it open from the moment its pid is printed: a writer never finds it readerless.
    return " && ".join([
        f"\\command mkdir -p {q(files.folder)}",
        f"\\command rm -f {q(files.stdin)} {q(files.exit)}",
        f"\\command mkfifo {q(files.stdin)}",
        f": > {q(files.log)}",
        # plain `exec` (quoted against aliases): through `builtin` its redirections would be
        # temporary and the close below undone
        f"\\exec {{__hermes_bgfd}}<>{q(files.stdin)}",
        "{ ( " + "; ".join(inner) + f' ) <&"$__hermes_bgfd" {{__hermes_bgfd}}<&- >>{q(files.log)} 2>&1 & }}',
        "{ \\exec {__hermes_bgfd}<&-; }",
        # disowned: bash must not print a job notice into a later command's output
        "{ \\builtin disown $! 2>/dev/null || :; }",
        f"\\builtin printf '%s\\n' \"$!\" > {q(files.pid)}",
        "\\builtin printf '%s\\n' \"$!\"",
    ])


# ---------------------------------------------------------------------------------------
# Signalling a command's processes from a side channel
# ---------------------------------------------------------------------------------------

# A POSIX sh script (dash, busybox sh) that needs /proc and grep, nothing else: no ps, no
# pgrep. It prints the pids it signalled, one per line, so a caller can repeat it until
# nothing is left. Parameters come as shell variables set in front of it.
_SIGNAL_BODY = r"""
me=$$
table=$(for f in /proc/[0-9]*/stat; do
  IFS= read -r l < "$f" 2>/dev/null || continue
  p=${f#/proc/}; p=${p%/stat}
  r=${l##*) }
  set -- $r
  echo "$p $2 $1 ${20} $4"
done)
closure() {
  c=" $1 "
  while :; do
    added=
    while read -r p pp st t sd; do
      case "$c" in *" $pp "*) case "$c" in *" $p "*) ;; *) c="$c$p "; added=1 ;; esac ;; esac
    done <<EOF
$table
EOF
    [ -n "$added" ] || break
  done
  echo "$c"
}
tree=$(closure "$root")
skipped=" "
[ -n "${skip# }" ] && skipped=$(closure "$skip")
# The root's session holds what its tree lost: orphans re-parented to init or to a
# namespace's reaper. Only a job signal looks at a session the root does not lead (its
# filters spare older processes); its ancestors (such a reaper) are never targets.
session=
up=$root
while [ -n "$up" ]; do
  next=
  while read -r p pp st t sd; do
    [ "$p" = "$up" ] || continue
    if [ "$p" = "$root" ]; then
      if [ "$sd" = "$root" ] || { [ -n "$job" ] && [ "$sd" -gt 1 ] 2>/dev/null; }; then session=$sd; fi
    else
      skipped="$skipped$p "
    fi
    [ "$pp" -gt 1 ] 2>/dev/null && next=$pp
    break
  done <<EOF
$table
EOF
  up=$next
done
targets=" "
add() { case "$targets" in *" $1 "*) ;; *) targets="$targets$1 " ;; esac; }
while read -r p pp st t sd; do
  case "$skipped" in *" $p "*) continue ;; esac
  case "$tree" in
    *" $p "*) ;;
    *) [ -n "$session" ] && [ "$sd" = "$session" ] || continue ;;
  esac
  if [ "$p" = "$root" ]; then
    [ "$with_root" = 1 ] && add "$p"
  elif [ -z "$job" ]; then
    add "$p"
  elif grep -q -F -e "$job_var=" "/proc/$p/environ" 2>/dev/null; then
    grep -q -F -e "$job_var=$job" "/proc/$p/environ" 2>/dev/null && add "$p"
  elif [ -z "$since" ] || [ "$t" -ge "$since" ] 2>/dev/null; then
    add "$p"
  fi
done <<EOF
$table
EOF
for f in $(grep -l -F -e "$match" /proc/[0-9]*/environ 2>/dev/null); do
  p=${f#/proc/}; p=${p%/environ}
  if [ "$p" != "$root" ] || [ "$with_root" = 1 ]; then add "$p"; fi
done
out=
while read -r p pp st t sd; do
  case "$targets" in *" $p "*) ;; *) continue ;; esac
  [ "$p" = "$me" ] && continue
  case "$st" in Z|X|x) continue ;; esac
  out="$out $p"
done <<EOF
$table
EOF
if [ -n "$out" ]; then
  kill -s "$sig" $out 2>/dev/null
  for p in $out; do echo "$p"; done
fi
exit 0
"""


def _signal_script(signal: str, **values: str) -> str:
    if not signal.isalnum():
        raise ValueError(f"invalid signal name {signal!r}")
    lines = [f"sig={signal}"]
    for name, value in values.items():
        lines.append(f"{name}='{value}'")  # values are digits or tokens: no quoting needed
    return "\n".join(lines) + _SIGNAL_BODY


def job_signal_script(
    signal: str, shell_pid: int, job_token: str, *, since_ticks: int | None = None, exclude: Iterable[int] = ()
) -> str:
    """A POSIX sh script that sends ``signal`` (``INT``, ``TERM``, ``KILL``, ...) to the
    processes of one foreground command, leaving the shell itself alone.

    Targets: the shell's descendants (and the members of its session, which holds the
    orphans that left the tree; never the shell's ancestors) that carry
    ``HERMES_SHELL_JOB=job_token``, or carry no job token and started at or after
    ``since_ticks`` (subshells forked by this command); plus any process on the machine
    with that job token (double-forked programs that left the session too). The subtrees of ``exclude`` (the pids of background processes started from
    this shell) are left alone. Run it with ``sh -c`` where the shell's processes are visible, with
    ``shell_pid`` as that side sees it. It prints the pids it signalled.
    """
    if int(shell_pid) <= 1:
        raise ValueError(f"refusing to signal the tree of pid {shell_pid}")
    return _signal_script(
        signal, root=str(int(shell_pid)), job=_check_token(job_token), job_var=ENV_JOB,
        since="" if since_ticks is None else str(int(since_ticks)),
        match=f"{ENV_JOB}={_check_token(job_token)}", with_root="0",
        skip=" " + " ".join(str(int(pid)) for pid in exclude) + " ",
    )


def tree_signal_script(signal: str, root_pid: int | None, *, env_match: str, include_root: bool = True) -> str:
    """A POSIX sh script that sends ``signal`` to ``root_pid``, all its descendants (and
    its session's members when it leads a session), and any process whose environment
    holds ``env_match`` (``NAME=token``).

    Use it for a background process (``root_pid`` its pid, ``env_match`` its
    ``HERMES_SHELL_JOB=...``) and to close a session (the shell's pid and
    ``HERMES_SHELL_ID=...``). With ``root_pid`` None (the shell is already gone) only the
    environment match counts. It prints the pids it signalled.
    """
    if root_pid is not None and int(root_pid) <= 1:
        raise ValueError(f"refusing to signal the tree of pid {root_pid}")
    name, _, token = env_match.partition("=")
    if not name.isidentifier():
        raise ValueError(f"invalid env_match {env_match!r}: expected NAME=token")
    return _signal_script(
        signal, root="-1" if root_pid is None else str(int(root_pid)), job="", job_var=ENV_JOB, since="",
        match=f"{name}={_check_token(token)}", with_root="1" if include_root else "0", skip=" ",
    )


def _check_token(token: str) -> str:
    if not token or not all(c.isalnum() or c in "-_" for c in token):
        raise ValueError(f"invalid token {token!r}: use letters, digits, '-' and '_'")
    return token
