"""Shell builtins that change what the analyzer knows: the working folder (``cd``),
variables (``export``, ``declare``, ``read``), positional parameters (``set --``,
``shift``), aliases, and ``trap`` (whose command runs later)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ._context import RuleContext
from ._paths import normalize
from ._records import Arg, Invocation, ShellState, Stream
from ._rules_system import history_variable

if TYPE_CHECKING:
    from ._analyzer import Analyzer

BUILTINS = frozenset({"cd", "pushd", "popd", "export", "declare", "typeset", "local", "readonly", "alias",
                      "unalias", "read", "trap", "set", "shift"})
_EMPTY = Stream(kind="empty")


def builtin(analyzer: Analyzer, inv: Invocation, state: ShellState, stdin: Stream | None) -> Stream:
    """Apply a shell builtin to the state (see the module docstring)."""
    name = inv.name
    if name in ("cd", "pushd", "popd"):
        _cd(inv, state)
    elif name in ("export", "declare", "typeset", "local", "readonly"):
        _declare(analyzer, inv, state)
    elif name == "alias":
        for arg in inv.args:
            alias, eq, value = arg.text.partition("=")
            if eq and re.fullmatch(r"[\w.:+@%-]+", alias):
                state.aliases[alias] = value
    elif name == "unalias":
        for arg in inv.args:
            state.aliases.pop(arg.text, None)
    elif name == "read":
        _read(inv, state, stdin)
    elif name == "set":
        _set_positional(inv, state)
    elif name == "shift":
        elements = state.arrays.get("@")
        if elements is not None:
            count = int(inv.args[0].text) if inv.args and inv.args[0].text.isdigit() else 1
            _positional(state, elements[count:])
    elif name == "trap":
        args = [a for a in inv.args if a.text != "--"]
        if args and args[0].text not in ("-l", "-p") and len(args) >= 2:
            analyzer.run_text(args[0].text, state.child(), via=(*inv.via, "trap"), where=inv.where)
    return _EMPTY


def _positional(state: ShellState, values: list[str]) -> None:
    for key in [k for k in state.env if k.isdigit() and k != "0"]:
        del state.env[key]
    for index, value in enumerate(values, 1):
        state.env[str(index)] = value
    state.arrays["@"] = list(values)


def _set_positional(inv: Invocation, state: ShellState) -> None:
    """``set -- a b c`` (or ``set a b c``) replaces ``$1``, ``$2``... and ``$@``."""
    args = list(inv.args)
    if args and args[0].text == "--":
        args = args[1:]
    elif not args or args[0].text.startswith(("-", "+")):
        return
    if any(a.dynamic for a in args):
        state.arrays.pop("@", None)
        return
    _positional(state, [a.text for a in args])


def _cd(inv: Invocation, state: ShellState) -> None:
    if inv.name == "popd":
        state.cwd = None
        return
    args = [a for a in inv.args if a.text not in ("-L", "-P", "-e", "-@", "--")]
    if not args:
        state.cwd = "~" if inv.name == "cd" else None
        return
    target = args[0]
    if target.dynamic or target.text == "-" or target.text.startswith(("+", "-")):
        state.cwd = None
        return
    state.cwd = normalize(target.text, state.cwd)


def _declare(analyzer: Analyzer, inv: Invocation, state: ShellState) -> None:
    ctx = RuleContext(analyzer.findings, state, inv)
    for arg in inv.args:
        text = arg.text
        if text.startswith(("-", "+")) and "=" not in text:
            continue
        name, eq, value = text.partition("=")
        name = name.rstrip("+")
        if not eq or not name.isidentifier():
            continue
        history_variable(name, value, ctx)
        analyzer.command_variable(name, Arg(text=value, raw=arg.raw, dynamic=arg.dynamic, taint=arg.taint), state,
                                  inv.where, inv.excerpt)
        if arg.dynamic:
            state.env.pop(name, None)
        else:
            state.env[name] = value


def _read(inv: Invocation, state: ShellState, stdin: Stream | None) -> None:
    names: list[str] = []
    array: str | None = None
    args = inv.args
    i = 0
    while i < len(args):
        text = args[i].text
        if text == "-a" and i + 1 < len(args):
            array = args[i + 1].text
        if text in ("-p", "-a", "-d", "-n", "-N", "-t", "-u", "-i"):
            i += 2
            continue
        if not text.startswith("-"):
            names.append(text)
        i += 1
    names = names or ["REPLY"]
    if stdin is None or stdin.kind != "text":
        for name in names:
            state.env.pop(name, None)
        if array is not None:
            state.arrays.pop(array, None)
        return
    line = stdin.text().split("\n", 1)[0]
    ifs = state.env.get("IFS", " \t\n")
    fields = [f for f in re.split("[" + re.escape(ifs) + "]+", line.strip(ifs))] if ifs else [line]
    if array is not None:
        state.arrays[array] = fields
        return
    for k, name in enumerate(names):
        if k == len(names) - 1:
            state.env[name] = " ".join(fields[k:]) if ifs.startswith(" ") else (fields[k] if k < len(fields) else "")
        else:
            state.env[name] = fields[k] if k < len(fields) else ""
