"""Commands that run code given to them: wrappers (``sudo``, ``timeout``...), ``env``,
shells (``bash -c``, a script on standard input), ``eval``, ``source``, ``at``, and
interpreters (``python -c``, ``perl -e``...). Each takes the analyzer and judges the code
through it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._code import code_actions
from ._context import RuleContext
from ._interp import LANGUAGE_OF, interpreter_code
from ._records import Arg, Invocation, ShellState, Stream
from ._wrappers import unwrap, unwrap_env

if TYPE_CHECKING:
    from ._analyzer import Analyzer

_UNKNOWN = Stream(kind="unknown")
_EMPTY = Stream(kind="empty")


def wrapper(analyzer: Analyzer, inv: Invocation, state: ShellState, stdin: Stream | None) -> Stream:
    """``sudo``, ``nohup``, ``timeout``, ``ssh``...: judge the command (or shell string) inside."""
    unwrapped = unwrap(inv.name, inv.args)
    if unwrapped is None:
        if inv.name == "command" and inv.args and inv.args[0].text in ("-v", "-V") and len(inv.args) > 1:
            return Stream(kind="text", data=f"/usr/bin/{inv.args[1].text}\n".encode(), source="command -v")
        return _UNKNOWN
    via = (*inv.via, inv.name)
    where = inv.where + unwrapped.where
    if unwrapped.tainted:
        analyzer.tainted(unwrapped.tainted, f"through {inv.name}", inv.excerpt, where)
    out = _UNKNOWN
    for text in unwrapped.shell:
        out = analyzer.run_text(text, state.child(), via=via, where=where, stdin=stdin)
    if unwrapped.args:
        out = analyzer.invoke(list(unwrapped.args), state, via, where, inv.excerpt, stdin, per_file=inv.per_file)
    return out


def at(analyzer: Analyzer, inv: Invocation, state: ShellState, stdin: Stream | None) -> Stream:
    """``at`` and ``batch`` run the commands they read (standard input or ``-f``)."""
    words = [a.text for a in inv.args]
    if any(w in ("-l", "-r", "-d", "-c", "-V") for w in words):
        return _UNKNOWN
    if "-f" in words and words.index("-f") + 1 < len(inv.args):
        return analyzer.check_script_file(inv.args[words.index("-f") + 1], inv, state)
    if stdin is not None:
        return analyzer.run_stream(stdin, inv, state, inv.name)
    return _UNKNOWN


def env(analyzer: Analyzer, inv: Invocation, state: ShellState, stdin: Stream | None) -> Stream:
    """``env [-i] [-C DIR] [-S STRING] [NAME=VALUE]... COMMAND``."""
    unwrapped = unwrap_env(inv.args)
    if unwrapped is None:
        return _UNKNOWN
    inner_state = state
    if unwrapped.cwd is not None:
        from ._paths import normalize

        inner_state = state.child()
        inner_state.depth = state.depth
        inner_state.cwd = normalize(unwrapped.cwd, state.cwd)
    via = (*inv.via, "env")
    if unwrapped.tainted:
        analyzer.tainted(unwrapped.tainted, "through env", inv.excerpt, inv.where)
    for text in unwrapped.shell:
        analyzer.run_text(text, inner_state.child(), via=via, where=inv.where, stdin=stdin)
    if unwrapped.args:
        return analyzer.invoke(list(unwrapped.args), inner_state, via, inv.where, inv.excerpt, stdin,
                           per_file=inv.per_file)
    return _UNKNOWN


def shell(analyzer: Analyzer, inv: Invocation, state: ShellState, stdin: Stream | None) -> Stream:
    """``bash -c STRING [ARG0 ARGS...]``, ``sh SCRIPT``, or a shell reading standard input."""
    args = inv.args
    i = 0
    command_mode = read_stdin = False
    while i < len(args):
        text = args[i].text
        if text in ("-o", "+o", "-O", "+O", "--rcfile", "--init-file"):
            i += 2
            continue
        if text in ("--", "-"):
            i += 1
            break
        if text.startswith("--"):
            i += 1
            continue
        if len(text) > 1 and text[0] in "-+" and not args[i].dynamic:
            if text[0] == "-" and "c" in text[1:]:
                command_mode = True
            if text[0] == "-" and "s" in text[1:]:
                read_stdin = True
            i += 1
            continue
        break
    rest = args[i:]
    runner = f"{inv.name} -c" if command_mode else inv.name
    if command_mode and rest:
        script = rest[0]
        if script.taint:
            analyzer.tainted(script.taint, f"as the {runner} string", inv.excerpt, inv.where)
        positional = [a.text for a in rest[1:]] or None
        return analyzer.run_text(script.text, state.child(positional=positional), via=(*inv.via, runner),
                             where=inv.where, stdin=stdin)
    if rest and not read_stdin:
        script = rest[0]
        if script.stream is not None:
            return analyzer.run_stream(script.stream, inv, state, inv.name)
        if script.text == "/dev/stdin" and stdin is not None:
            return analyzer.run_stream(stdin, inv, state, inv.name)
        if script.taint:
            analyzer.tainted(script.taint, f"as the script {inv.name} runs", inv.excerpt, inv.where)
        return analyzer.check_script_file(script, inv, state)  # a script file
    if stdin is not None:
        return analyzer.run_stream(stdin, inv, state, inv.name)
    return _UNKNOWN


def eval_(analyzer: Analyzer, inv: Invocation, state: ShellState, stdin: Stream | None) -> Stream:
    """``eval WORDS``: the words joined and parsed again."""
    taint = next((a.taint for a in inv.args if a.taint), None)
    if taint:
        analyzer.tainted(taint, "through eval", inv.excerpt, inv.where)
    text = " ".join(a.text for a in inv.args)
    if not text.strip():
        return _EMPTY
    return analyzer.run_text(text, state.child(), via=(*inv.via, "eval"), where=inv.where, stdin=stdin)


def source(analyzer: Analyzer, inv: Invocation, state: ShellState, stdin: Stream | None) -> Stream:
    """``source FILE`` / ``. FILE``: judged when the file comes from this command."""
    if not inv.args:
        return _UNKNOWN
    script = inv.args[0]
    if script.stream is not None:
        return analyzer.run_stream(script.stream, inv, state, inv.name)
    if script.text in ("/dev/stdin", "-") and stdin is not None:
        return analyzer.run_stream(stdin, inv, state, inv.name)
    if script.taint:
        analyzer.tainted(script.taint, f"through {inv.name}", inv.excerpt, inv.where)
    if "://" in script.text:
        analyzer.findings.add("remote-code-exec", f"sources the remote script {script.text}{inv.where}", inv.excerpt)
    return analyzer.check_script_file(script, inv, state)


def interpreter(analyzer: Analyzer, inv: Invocation, state: ShellState, stdin: Stream | None) -> Stream:
    """``python -c``, ``perl -e``, ``node -e``... and interpreters reading code from input."""
    source = interpreter_code(inv)
    runner = inv.name
    if source.module is not None:
        module, margs = source.module
        if module in ("pip", "pip3", "ensurepip"):
            return analyzer.dispatch(inv.model_copy(update={"name": "pip", "args": margs}), state, stdin)
        return _UNKNOWN
    if source.remote_script:
        analyzer.findings.add("remote-code-exec", f"runs the remote script {source.remote_script} with "
                                              f"{runner}{inv.where}", inv.excerpt)
    if source.tainted:
        analyzer.tainted(source.tainted, f"as {runner} code", inv.excerpt, inv.where)
    if source.script is not None:
        analyzer.check_script_file(source.script, inv, state, LANGUAGE_OF[inv.name])
    ctx = RuleContext(analyzer.findings, state, inv, stdin)
    for target in source.edits:
        ctx.write(target, "edit")
    codes = list(source.code)
    for stream in (source.stream, stdin if source.reads_stdin else None):
        if stream is None:
            continue
        if stream.kind == "text":
            codes.append(stream.text())
        elif stream.kind == "remote":
            analyzer.findings.add("remote-code-exec", f"runs code downloaded by {stream.source} with {runner}"
                                                  f"{inv.where}", inv.excerpt)
        elif stream.kind == "decoded":
            analyzer.findings.add("obfuscated-command", f"runs a decoded payload ({stream.source}) with {runner} "
                                                    f"whose content could not be read{inv.where}", inv.excerpt)
    language = LANGUAGE_OF[inv.name]
    for code in codes:
        run_code(analyzer, code, language, inv, state)
    return _UNKNOWN


def run_code(analyzer: Analyzer, code: str, language: str, inv: Invocation, state: ShellState) -> None:
    """Judge what interpreter ``code`` does (see :mod:`._code`)."""
    ctx = RuleContext(analyzer.findings, state, inv)
    for action in code_actions(code, language):  # type: ignore[arg-type]
        if action.kind == "forkbomb":
            ctx.emit("fork-bomb", f"{inv.name} code forks processes in an endless loop (a fork bomb)")
        elif action.kind == "shell":
            if action.text.strip():
                analyzer.run_text(action.text, state.child(), via=(*inv.via, f"{inv.name} {action.call}"),
                              where=inv.where)
        else:
            dynamic = action.dynamic or not action.text
            text = action.text or f"a path computed at run time (by {action.call})"
            arg = Arg(text=text, raw=text, dynamic=dynamic, bare="" if dynamic else text)
            if action.kind == "delete":
                ctx.delete(arg, recursive=action.recursive)
            else:
                ctx.write(arg, action.mode)
