"""Interpreters: which code ``python -c``, ``perl -e``, ``ruby -e``, ``node -e``,
``php -r``, ``lua -e``, ``Rscript -e``, ``awk`` and ``osascript -e`` run (an argument,
standard input, a process substitution, a module, a script file or a URL). Reading the
code itself is :mod:`._code`'s job.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ._options import parse_options
from ._records import Arg, Invocation, Stream

Language = Literal["python", "perl", "ruby", "node", "php", "lua", "r", "awk", "applescript"]


# ---------------------------------------------------------------------------------------
# Which interpreter, which code
# ---------------------------------------------------------------------------------------

LANGUAGE_OF: dict[str, Language] = {
    "python": "python", "python2": "python", "python3": "python", "pypy": "python", "pypy3": "python",
    "perl": "perl", "ruby": "ruby", "node": "node", "nodejs": "node", "deno": "node", "bun": "node",
    "php": "php", "lua": "lua", "luajit": "lua", "Rscript": "r", "awk": "awk", "gawk": "awk", "mawk": "awk",
    "nawk": "awk", "busybox-awk": "awk", "osascript": "applescript",
}


class CodeSource(BaseModel):
    """Where an interpreter's code comes from: literal text, standard input, a stream,
    or a module (``python -m pip``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: list[str] = []
    reads_stdin: bool = False
    stream: Stream | None = None
    tainted: str | None = None
    module: tuple[str, tuple[Arg, ...]] | None = None
    #: Files an in-place edit (``perl -pi -e``) rewrites.
    edits: tuple[Arg, ...] = ()
    remote_script: str | None = None
    #: The script file run, when the code comes from a file.
    script: Arg | None = None


def interpreter_code(inv: Invocation) -> CodeSource:
    """Find the code ``inv`` runs."""
    lang = LANGUAGE_OF[inv.name]
    args = inv.args
    if lang == "python":
        return _python(args)
    if lang == "awk":
        return _awk(args)
    if lang == "node" and inv.name in ("deno", "bun"):
        if args and args[0].text == "eval":
            return CodeSource(code=[args[1].text] if len(args) > 1 else [], tainted=_taint(args[1:2]))
        if args and args[0].text in ("run", "x") and any("://" in a.text for a in args[1:]):
            return CodeSource(remote_script=next(a.text for a in args[1:] if "://" in a.text))
        return CodeSource()
    flags = {"perl": ("-e", "-E"), "ruby": ("-e",), "node": ("-e", "--eval", "-p", "--print"), "php": ("-r",),
             "lua": ("-e",), "r": ("-e",), "applescript": ("-e",)}[lang]
    takes = {"perl": ("-I", "-M", "-m", "-x", "-C"), "ruby": ("-r", "-I", "-C", "-E"),
             "node": ("-r", "--require", "--import", "--loader"), "php": ("-d", "-c", "-f", "-z"),
             "lua": ("-l",), "r": (), "applescript": ("-l",)}[lang]
    p = parse_options(args, takes_value=(*flags, *takes), permute=False)
    code = p.values(*flags)
    taint = next((a.taint for a in args if a.taint), None)
    edits: tuple[Arg, ...] = ()
    if lang in ("perl", "ruby") and any(re.fullmatch(r"-[a-zA-Z]*i.*", a.text) for a in args if
                                         a.text.startswith("-") and not a.text.startswith("--")):
        edits = tuple(p.operands)
    if code:
        return CodeSource(code=code, tainted=taint, edits=edits)
    if p.operands:
        first = p.operands[0]
        if first.stream is not None:
            return CodeSource(stream=first.stream)
        if first.text in ("-", "/dev/stdin"):
            return CodeSource(reads_stdin=True)
        if "://" in first.text:
            return CodeSource(remote_script=first.text)
        return CodeSource(edits=edits, script=first)  # a script file: its content is not here
    return CodeSource(reads_stdin=True)


def _taint(args: tuple[Arg, ...]) -> str | None:
    return next((a.taint for a in args if a.taint), None)


def _python(args: tuple[Arg, ...]) -> CodeSource:
    i = 0
    while i < len(args):
        text = args[i].text
        if text == "-c" and i + 1 < len(args):
            return CodeSource(code=[args[i + 1].text], tainted=args[i + 1].taint)
        if text.startswith("-c") and len(text) > 2:
            return CodeSource(code=[text[2:]], tainted=args[i].taint)
        if text == "-m" and i + 1 < len(args):
            return CodeSource(module=(args[i + 1].text, args[i + 2:]))
        if text.startswith("-m") and len(text) > 2:
            return CodeSource(module=(text[2:], args[i + 1:]))
        if text in ("-W", "-X", "-Q"):
            i += 2
            continue
        if text == "-" or text == "/dev/stdin":
            return CodeSource(reads_stdin=True)
        if text.startswith("-") and len(text) > 1:
            if "c" in text[1:] and re.fullmatch(r"-[BdEhiIOqsSuvVx]*c", text) and i + 1 < len(args):
                return CodeSource(code=[args[i + 1].text], tainted=args[i + 1].taint)
            i += 1
            continue
        if args[i].stream is not None:
            return CodeSource(stream=args[i].stream)
        if "://" in text:
            return CodeSource(remote_script=text)
        return CodeSource(script=args[i])  # a script file
    return CodeSource(reads_stdin=True)


def _awk(args: tuple[Arg, ...]) -> CodeSource:
    i = 0
    code: list[str] = []
    while i < len(args):
        text = args[i].text
        if text in ("-F", "-v", "--assign", "--field-separator"):
            i += 2
            continue
        if text in ("-f", "--file"):
            return CodeSource()
        if text in ("-e", "--source") and i + 1 < len(args):
            code.append(args[i + 1].text)
            i += 2
            continue
        if text.startswith("-") and len(text) > 1:
            i += 1
            continue
        if not code:
            code.append(text)
        break
    return CodeSource(code=code)
