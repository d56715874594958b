"""Commands that run other commands on what they are given: ``xargs``, ``find -exec``,
``docker exec``, ``kubectl exec``, ``tmux``, ``screen``, ``parallel``, and git
configuration that holds shell commands."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ._context import RuleContext
from ._records import Arg, Invocation, ShellState, Stream
from ._rules_ops import docker_command

if TYPE_CHECKING:
    from ._analyzer import Analyzer

_UNKNOWN = Stream(kind="unknown")
_EMPTY = Stream(kind="empty")
_MAX_INPUTS = 16

# find tests that narrow what is found (-type alone does not: every file has a type).
_NARROWING = frozenset({"-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex",
                        "-lname", "-ilname", "-newer", "-anewer", "-cnewer", "-mtime", "-mmin", "-atime", "-amin",
                        "-ctime", "-cmin", "-size", "-user", "-group", "-uid", "-gid", "-perm", "-empty", "-inum",
                        "-samefile", "-links", "-nouser", "-nogroup", "-used", "-readable", "-writable",
                        "-executable", "-context", "-newermt", "-newerct", "-neweraa"})
_FIND_VALUE = frozenset({"-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex",
                         "-lname", "-ilname", "-newer", "-anewer", "-cnewer", "-mtime", "-mmin", "-atime", "-amin",
                         "-ctime", "-cmin", "-size", "-user", "-group", "-uid", "-gid", "-perm", "-inum",
                         "-samefile", "-links", "-type", "-xtype", "-maxdepth", "-mindepth", "-fstype", "-used",
                         "-regextype", "-context", "-printf", "-newermt", "-newerct", "-neweraa"})


# -- xargs ------------------------------------------------------------------------------------

_XARGS_VALUE = frozenset({"-a", "--arg-file", "-d", "--delimiter", "-E", "-I", "-L", "-n", "--max-args", "-P",
                          "--max-procs", "-s", "--max-chars", "--process-slot-var"})


def xargs(analyzer: Analyzer, inv: Invocation, state: ShellState, stdin: Stream | None) -> Stream:
    """``xargs [options] COMMAND``: the command with the words xargs reads appended (or
    put in place of ``-I``'s placeholder)."""
    args = inv.args
    replace: str | None = None
    delimiter: str | None = None
    i = 0
    while i < len(args):
        text = args[i].text
        if not text.startswith("-") or text == "-" or args[i].dynamic:
            break
        i += 1
        if text == "--":
            break
        if text in _XARGS_VALUE:
            value = args[i].text if i < len(args) else ""
            if text == "-I":
                replace = value
            elif text in ("-d", "--delimiter"):
                delimiter = value
            i += 1
        elif text.startswith("--replace"):
            replace = text.split("=", 1)[1] if "=" in text else "{}"
        elif text.startswith("-I"):
            replace = text[2:]
        elif text.startswith("-i"):
            replace = text[2:] or "{}"
        elif text in ("-0", "--null"):
            delimiter = "\0"
    command = list(args[i:]) or [Arg(text="echo", raw="echo", bare="echo")]
    inputs, per_file = _inputs(stdin, delimiter)
    via = (*inv.via, "xargs")
    if replace:
        for value in inputs[:4]:
            substituted = [_replace(a, replace, value) for a in command]
            analyzer.invoke(substituted, state, via, inv.where, inv.excerpt, None, per_file=per_file)
        return _UNKNOWN
    return analyzer.invoke([*command, *inputs], state, via, inv.where, inv.excerpt, None, per_file=per_file)


def _inputs(stdin: Stream | None, delimiter: str | None) -> tuple[list[Arg], bool]:
    """The words xargs reads, and whether they are files found by ``find``."""
    if stdin is not None and stdin.kind == "text":
        text = stdin.text()
        words = text.split(delimiter) if delimiter else text.split()
        words = [w for w in words if w][:_MAX_INPUTS]
        return [Arg(text=w, raw=w, bare=w) for w in words], False
    if stdin is not None and stdin.kind == "listing" and stdin.root is not None:
        return [_found(stdin.root, stdin.filtered)], True
    taint = stdin.kind if stdin is not None and stdin.kind in ("remote", "decoded") else None
    text = "(names read from input)"
    return [Arg(text=text, raw=text, dynamic=True, bare="", taint=taint)], False  # type: ignore[arg-type]


def _found(root: str, filtered: bool) -> Arg:
    if not filtered:
        return Arg(text=root, raw=root, bare=root)
    text = root.rstrip("/") + "/(files found)"
    return Arg(text=text, raw=text, dynamic=True, bare=root)


def _replace(arg: Arg, placeholder: str, value: Arg) -> Arg:
    if placeholder not in arg.text:
        return arg
    text = arg.text.replace(placeholder, value.text)
    return Arg(text=text, raw=arg.raw, dynamic=arg.dynamic or value.dynamic, glob=arg.glob,
               bare=arg.bare.replace(placeholder, value.bare), taint=arg.taint or value.taint)


# -- find ---------------------------------------------------------------------------------------


def find(analyzer: Analyzer, inv: Invocation, state: ShellState, stdin: Stream | None) -> Stream:
    """``find ROOTS EXPRESSION``: ``-delete`` and ``-exec`` commands over what find lists."""
    args = list(inv.args)
    i = 0
    while i < len(args) and args[i].text in ("-H", "-L", "-P") or (i < len(args) and args[i].text.startswith("-O")):
        i += 1
    if i < len(args) and args[i].text == "-D":
        i += 2
    roots: list[Arg] = []
    while i < len(args) and not args[i].text.startswith("-") and args[i].text not in ("(", "!", ",", "\\("):
        roots.append(args[i])
        i += 1
    roots = roots or [Arg(text=".", raw=".", bare=".")]
    expression = args[i:]
    filtered = False
    prints = False
    actions: list[tuple[str, list[Arg]]] = []
    ctx = RuleContext(analyzer.findings, state, inv)
    j = 0
    while j < len(expression):
        text = expression[j].text
        if text in _NARROWING:
            filtered = True
        if text in ("-exec", "-execdir", "-ok", "-okdir"):
            k = j + 1
            command: list[Arg] = []
            while k < len(expression):
                word = expression[k].text
                if word == ";" or (word == "+" and command and "{}" in command[-1].text):
                    break
                command.append(expression[k])
                k += 1
            actions.append(("exec", command))
            j = k + 1
            continue
        if text == "-delete":
            actions.append(("delete", []))
        elif text in ("-print", "-print0", "-ls", "-printf"):
            prints = True
        elif text in ("-fprint", "-fprint0", "-fls", "-fprintf") and j + 1 < len(expression):
            ctx.write(expression[j + 1], "overwrite")
            j += 1
        if text in _FIND_VALUE:
            j += 1
        j += 1
    via = (*inv.via, "find")
    for root in roots:
        for kind, command in actions:
            if kind == "delete":
                if filtered:
                    ctx.emit("recursive-delete", f"find -delete deletes the files its tests match under "
                                                 f"{ctx.shown(root)}")
                else:
                    ctx.delete(root, recursive=True, verb="find -delete: recursive delete of")
            elif command:
                found = _found(root.text, filtered)
                inner = [_replace(a, "{}", found) for a in command]
                analyzer.invoke(inner, state, (*via, "-exec"), inv.where, inv.excerpt, None, per_file=True)
    if prints or not actions:
        return Stream(kind="listing", root=roots[0].text, filtered=filtered, source="find")
    return _UNKNOWN


# -- containers -----------------------------------------------------------------------------------

_EXEC_VALUE = frozenset({"-e", "--env", "--env-file", "-u", "--user", "-w", "--workdir", "--detach-keys"})
_KUBECTL_VALUE = frozenset({"-n", "--namespace", "-c", "--container", "--context", "--kubeconfig", "-f",
                            "--filename", "--pod-running-timeout"})


def container_exec(analyzer: Analyzer, inv: Invocation, state: ShellState, stdin: Stream | None) -> Stream:
    """``docker exec CONTAINER CMD...`` and ``kubectl exec POD -- CMD...``: the command
    runs inside the container, and is judged like any other."""
    if inv.name in ("kubectl", "oc"):
        words = [a.text for a in inv.args]
        if "exec" not in words[:3] or "--" not in words:
            return _UNKNOWN
        split = words.index("--")
        pod = next((w for w in words[words.index("exec") + 1:split] if not w.startswith("-")), "the pod")
        command = list(inv.args[split + 1:])
        where = f" in pod {pod}"
    else:
        sub, rest = docker_command(inv.args)
        if sub in (["run"], ["container", "run"]):
            return _container_run(analyzer, inv, state, stdin, rest)
        if sub not in (["exec"], ["container", "exec"]):
            return _UNKNOWN
        i = 0
        while i < len(rest) and rest[i].text.startswith("-"):
            i += 2 if rest[i].text in _EXEC_VALUE else 1
        if i >= len(rest):
            return _UNKNOWN
        where = f" in container {rest[i].text}"
        command = list(rest[i + 1:])
    if not command:
        return _UNKNOWN
    return analyzer.invoke(command, state.child(), (*inv.via, f"{inv.name} exec"), inv.where + where, inv.excerpt,
                           stdin)


# -- terminal multiplexers and job runners ----------------------------------------------------

_TMUX_RUNS = frozenset({"new-session", "new", "new-window", "neww", "split-window", "splitw", "respawn-pane",
                        "respawnp", "respawn-window", "respawnw", "run-shell", "run", "send-keys", "send",
                        "pipe-pane", "pipep", "if-shell", "if", "display-popup", "popup"})
_TMUX_VALUE = frozenset({"-t", "-s", "-n", "-c", "-x", "-y", "-F", "-e", "-l", "-L", "-S", "-f", "-T", "-N",
                         "-d", "-w", "-h", "-b", "-E"})
_TMUX_FLAGS = frozenset({"-d", "-P", "-k", "-a", "-b", "-h", "-v", "-f", "-Z", "-E", "-R", "-X", "-M", "-H"})
_KEY_NAME = re.compile(r"^(?:[CMS]-.+|Enter|Escape|Tab|BSpace|Space|Up|Down|Left|Right|Home|End|KPEnter|NPage|PPage|"
                       r"F\d+)$")
_PARALLEL_VALUE = frozenset({"-j", "--jobs", "-N", "-n", "--max-args", "-S", "--sshlogin", "--joblog", "--results",
                             "-I", "--colsep", "-d", "--delimiter", "-a", "--arg-file", "--timeout", "--delay",
                             "--retries", "--halt", "-P", "--max-procs", "--tmpdir", "--workdir", "--env"})


def multiplexer(analyzer: Analyzer, inv: Invocation, state: ShellState, stdin: Stream | None) -> Stream:
    """``tmux new 'cmd'``, ``tmux send-keys 'cmd' Enter``, ``screen -dm cmd``, ``screen
    -X stuff 'cmd'`` and ``parallel ::: cmd...`` run commands given as text."""
    via = (*inv.via, inv.name)
    words = [a.text for a in inv.args]
    if inv.name == "tmux":
        texts = _tmux_commands(words)
    elif inv.name == "screen":
        if "-X" in words:
            rest = words[words.index("-X") + 1:]
            texts = [" ".join(rest[1:])] if rest[:1] == ["stuff"] else []
        else:
            i = 0
            while i < len(words) and words[i].startswith("-"):
                i += 2 if words[i] in ("-S", "-c", "-p", "-T", "-h", "-e", "-s", "-t", "-L", "-Logfile") else 1
            if i < len(words):
                return analyzer.invoke(list(inv.args[i:]), state, via, inv.where, inv.excerpt, None)
            texts = []
    else:
        texts = _parallel_commands(words, stdin)
    for text in texts[:8]:
        if text.strip():
            analyzer.run_text(text.replace("\\n", "\n"), state.child(), via=via, where=inv.where)
    return _UNKNOWN


def _tmux_commands(words: list[str]) -> list[str]:
    texts: list[str] = []
    i = 0
    while i < len(words) and words[i].startswith("-"):
        if words[i] == "-c" and i + 1 < len(words):  # tmux -c 'shell command'
            texts.append(words[i + 1])
        i += 2 if words[i] in ("-L", "-S", "-f", "-c", "-T") else 1
    for command in " ".join(words[i:]).split(" ; "):
        parts = command.split(" ")
        if not parts or parts[0] not in _TMUX_RUNS:
            continue
        j = 1
        kept: list[str] = []
        while j < len(parts):
            part = parts[j]
            if part in _TMUX_VALUE and part not in _TMUX_FLAGS:
                j += 2
                continue
            if part.startswith("-") and not kept:
                j += 1
                continue
            if not _KEY_NAME.match(part):
                kept.append(part)
            j += 1
        if kept:
            texts.append(" ".join(kept))
    return texts


def _parallel_commands(words: list[str], stdin: Stream | None) -> list[str]:
    i = 0
    while i < len(words) and words[i].startswith("-") and not words[i].startswith(":::"):
        i += 2 if words[i] in _PARALLEL_VALUE else 1
    rest = words[i:]
    marker = next((k for k, w in enumerate(rest) if w in (":::", "::::", ":::+")), None)
    command = rest if marker is None else rest[:marker]
    inputs = [] if marker is None else [w for w in rest[marker + 1:] if w not in (":::", "::::", ":::+")]
    if marker is None and stdin is not None and stdin.kind == "text":
        inputs = [line for line in stdin.text().splitlines() if line.strip()]
    if not command:
        return inputs
    joined = " ".join(command)
    return [joined.replace("{}", value) if "{}" in joined else f"{joined} {value}" for value in inputs] or [joined]


# -- git configuration that runs commands -------------------------------------------------------

_GIT_COMMAND_KEYS = frozenset({"core.sshcommand", "core.pager", "core.editor", "core.fsmonitor", "core.askpass",
                               "sequence.editor", "diff.external", "gpg.program", "credential.helper",
                               "uploadpack.packobjectshook", "core.hookspath"})


def git_commands(analyzer: Analyzer, inv: Invocation, state: ShellState, stdin: Stream | None) -> Stream:
    """``git -c alias.x='!cmd' x``, ``git -c core.sshCommand=cmd ...`` and ``git config
    alias.x '!cmd'`` hold shell commands git runs: judge them."""
    words = [a.text for a in inv.args]
    pairs: list[tuple[str, str]] = []
    i = 0
    while i < len(words) and words[i].startswith("-"):
        if words[i] == "-c" and i + 1 < len(words) and "=" in words[i + 1]:
            key, _, value = words[i + 1].partition("=")
            pairs.append((key, value))
        i += 2 if words[i] in ("-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env") else 1
    if i < len(words) and words[i] == "config":
        plain = [w for w in words[i + 1:] if not w.startswith("-")]
        if len(plain) >= 2:
            pairs.append((plain[0], plain[1]))
    for key, value in pairs:
        key = key.lower()
        if key.startswith("alias.") and value.startswith("!"):
            command = value[1:]
        elif key in _GIT_COMMAND_KEYS and key != "core.hookspath":
            command = value[1:] if key == "credential.helper" and value.startswith("!") else value
        else:
            continue
        if key == "credential.helper" and not value.startswith("!"):
            continue
        analyzer.run_text(command, state.child(), via=(*inv.via, f"git {key}"), where=inv.where)
    return _UNKNOWN


_RUN_VALUE = frozenset({
    "-v", "--volume", "-e", "--env", "-p", "--publish", "-w", "--workdir", "-u", "--user", "--name", "--network",
    "--net", "-m", "--memory", "--cpus", "--entrypoint", "--env-file", "-l", "--label", "--mount", "--device",
    "--add-host", "--cap-add", "--cap-drop", "--restart", "-h", "--hostname", "--log-driver", "--log-opt",
    "--platform", "--pull", "--shm-size", "--ulimit", "--security-opt", "--tmpfs", "--volumes-from", "--gpus",
    "--ipc", "--pid", "--dns", "--expose", "--link", "--runtime", "--stop-signal", "--stop-timeout", "--health-cmd",
    "--cidfile", "--cgroupns", "--memory-swap", "--cpuset-cpus", "--userns", "--uts", "--group-add",
})


def _container_run(analyzer: Analyzer, inv: Invocation, state: ShellState, stdin: Stream | None,
                   rest: tuple[Arg, ...]) -> Stream:
    """``docker run -v HOST:CTR IMAGE CMD...``: with host folders mounted, the command can
    reach them, so it is judged with container paths translated back to host paths
    (``-v /:/host ... rm -rf /host`` is ``rm -rf /``). Without bind mounts the command
    only touches the throwaway container and is not judged."""
    mounts: list[tuple[str, str]] = []
    entrypoint: list[Arg] = []
    i = 0
    while i < len(rest) and rest[i].text.startswith("-"):
        option, eq, attached = rest[i].text.partition("=")
        value = attached if eq else (rest[i + 1].text if i + 1 < len(rest) else "")
        if option in ("-v", "--volume"):
            host, _, target = value.partition(":")
            if target and host.startswith(("/", "~", ".", "$")):
                mounts.append((target.split(":", 1)[0].rstrip("/") or "/", host))
        elif option == "--mount":
            fields = dict(part.partition("=")[::2] for part in value.split(","))
            source, target = fields.get("source") or fields.get("src"), fields.get("target") or fields.get("dst")
            if fields.get("type", "volume") == "bind" and source and target:
                mounts.append((target.rstrip("/") or "/", source))
        elif option == "--entrypoint" and value:
            entrypoint = [Arg(text=value, raw=value, bare=value)]
        i += 1 if eq or option not in _RUN_VALUE else 2
    if not mounts or i >= len(rest):
        return _UNKNOWN
    image = rest[i].text
    command = entrypoint + [_host_path(a, mounts) for a in rest[i + 1:]]
    if not command:
        return _UNKNOWN
    return analyzer.invoke(command, state.child(), (*inv.via, f"{inv.name} run"),
                           f"{inv.where} in a container of {image}", inv.excerpt, stdin)


def _host_path(arg: Arg, mounts: list[tuple[str, str]]) -> Arg:
    for target, host in sorted(mounts, key=lambda m: -len(m[0])):
        text = arg.text
        if text == target or text.startswith(target.rstrip("/") + "/") or target == "/":
            rest = text[len(target):] if target != "/" else text
            joined = host.rstrip("/") + "/" + rest.lstrip("/") if rest.strip("/") else host
            return Arg(text=joined, raw=arg.raw, dynamic=arg.dynamic or "$" in host, glob=arg.glob,
                       bare=joined if "$" not in host else "", taint=arg.taint)
    return arg
