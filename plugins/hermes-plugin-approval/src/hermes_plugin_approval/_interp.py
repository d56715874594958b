"""Interpreter one-liners: the code given to ``python -c``, ``perl -e``, ``ruby -e``,
``node -e``, ``php -r``, ``lua -e``, ``Rscript -e``, ``awk`` and ``osascript -e`` (or fed to
them on standard input), read for what it does to the system.

It is pattern reading, not parsing: calls that run shell commands (``os.system``,
``subprocess.*``, ``system``, ``exec``, backticks, ``child_process``...), that delete
(``shutil.rmtree``, ``os.remove``, ``FileUtils.rm_rf``, ``fs.rmSync``...) or write
(``open(path, 'w')``, ``File.write``, ``fs.writeFileSync``...) files, and process-forking
loops. Arguments are read when they are literals, concatenations of literals, reversed
literals (``'/ fr- mr'[::-1]``), character codes or home-folder idioms; other arguments
count as "computed at run time". String literals that are base64 or character codes are
decoded and read again, as code and as shell.
"""

from __future__ import annotations

import base64
import binascii
import re
import shlex
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ._options import parse_options
from ._records import Arg, Invocation, Stream
from ._words import decode_ansi_c

Language = Literal["python", "perl", "ruby", "node", "php", "lua", "r", "awk", "applescript"]

_MAX_DEPTH = 4
_MAX_DECODED = 20_000


class CodeAction(BaseModel):
    """Something interpreter code would do to the system."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["shell", "delete", "write", "forkbomb"]
    #: The shell command, or the path.
    text: str = ""
    dynamic: bool = False
    recursive: bool = False
    mode: Literal["overwrite", "append", "edit"] = "overwrite"
    #: What the code called, for messages.
    call: str = ""


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

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

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


# ---------------------------------------------------------------------------------------
# Reading code
# ---------------------------------------------------------------------------------------

_LITERAL_START = re.compile(r"""([rRbBuUfF]{0,2})('''|\"\"\"|'|"|`)""")
_HOME_IDIOM = re.compile(
    r"""(?:os\.path\.expanduser\(\s*(['"])~\1\s*\)|os\.environ\[\s*(['"])HOME\2\s*\]|os\.getenv\(\s*(['"])HOME\3\s*\)"""
    r"""|os\.environ\.get\(\s*(['"])HOME\4\s*\)|Path\.home\(\)|pathlib\.Path\.home\(\)|os\.homedir\(\)"""
    r"""|process\.env\.HOME|\$ENV\{\s*['"]?HOME['"]?\s*\}|ENV\[\s*['"]HOME['"]\s*\]|Dir\.home|getenv\(\s*['"]HOME['"]\s*\)"""
    r"""|Sys\.getenv\(\s*['"]HOME['"]\s*\)|path\.expand\(\s*['"]~['"]\s*\))"""
)
_WRAPPING_CALL = re.compile(r"(?:os\.path\.expanduser|os\.path\.abspath|os\.path\.realpath|pathlib\.Path|Path|"
                            r"File\.expand_path|path\.resolve|path\.join|os\.path\.join|File\.join|str|String)\(")
_CHARCODES = re.compile(r"(?:map\(\s*chr\s*,\s*[\[(]|fromCharCode\(|chr\(\w+\)\s+for\s+\w+\s+in\s+[\[(]|"
                        r"\.pack\(\s*['\"]c\*['\"]\s*\)|pack\(\s*['\"]C\*['\"]\s*,)\s*([\d,\s]+)[\])]?")
_PERL_CHR = re.compile(r"(?:chr\(\s*\d+\s*\)\s*\.?\s*){3,}")
_B64_LITERAL = re.compile(r"^[A-Za-z0-9+/]{8,}={0,2}$")
_HEX_LITERAL = re.compile(r"^(?:[0-9a-fA-F]{2}){6,}$")

_SHELL_CALLS: dict[Language, str] = {
    "python": r"(?:os|__import__\(\s*['\"]os['\"]\s*\))\.(?:system|popen)|subprocess\.(?:run|call|check_call|check_output|Popen|getoutput|"
              r"getstatusoutput)|commands\.getoutput|pty\.spawn|os\.exec[lv]p?e?|os\.spawn[lv]p?e?|"
              r"(?<![\w.])(?:run|call|check_output|check_call|Popen|system|popen)",
    "perl": r"(?<![\w$])(?:system|exec|qx|readpipe)|open3|open2",
    "ruby": r"(?<![\w.])(?:system|exec|spawn|`)|Kernel\.(?:system|exec|spawn)|IO\.popen|Open3\.\w+|%x",
    "node": r"(?:child_process|cp|require\(\s*['\"](?:node:)?child_process['\"]\s*\))\s*\.\s*"
            r"(?:execFileSync|execFile|execSync|exec|spawnSync|spawn)|(?<![\w.])(?:execFileSync|execFile|execSync|"
            r"exec|spawnSync|spawn)|Deno\.run|Bun\.spawn(?:Sync)?|\$`",
    "php": r"(?<![\w>$])(?:system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec)",
    "lua": r"os\.execute|io\.popen",
    "r": r"(?<![\w.])(?:system2?|shell)",
    "awk": r"(?<![\w])system",
    "applescript": r"do\s+shell\s+script",
}
_RECURSIVE_DELETE = (r"shutil\.rmtree|(?<![\w.])rmtree|remove_tree|FileUtils\.(?:rm_rf|rm_r|remove_dir|"
                     r"remove_entry(?:_secure)?|rmtree)|rimraf(?:\.sync)?|fse?\.(?:remove|removeSync|emptyDir|"
                     r"emptyDirSync)|Deno\.remove")
_DELETE = (r"os\.remove|os\.unlink|os\.rmdir|os\.removedirs|File\.(?:delete|unlink)|FileUtils\.(?:rm_f|rm|"
           r"remove)|(?:fs|require\(\s*['\"](?:node:)?fs['\"]\s*\))\.(?:unlinkSync|unlink|rmSync|rmdirSync|rmdir|rm)|(?<![\w.>$])unlink|file\.remove|"
           r"Files\.delete")
_WRITE = (r"(?<![\w.])open|io\.open|fopen|File\.(?:write|open|new)|IO\.write|fs\.(?:writeFileSync|writeFile|"
          r"appendFileSync|appendFile|createWriteStream)|file_put_contents|writeLines|Deno\.writeTextFile")
_FORK_LOOP = re.compile(
    r"(?:while\s*\(?\s*(?:True|1|true)\s*\)?\s*:?\s*\{?\s*(?:os\.)?fork\s*\(|fork\s+while\s+fork|fork\s*;?\s*while|"
    r"while\s*\(\s*1\s*\)\s*\{\s*fork|loop\s*(?:do|\{)\s*fork|for\s*\(\s*;\s*;\s*\)\s*\{?\s*(?:os\.|pcntl_)?fork|"
    r"while\s+(?:True|1)\s*:\s*\n?\s*os\.fork\(\))"
)


def _read_literal(code: str, i: int, lang: Language) -> tuple[str, int, bool] | None:
    """A string literal at ``i``: (value, end, has interpolation)."""
    m = _LITERAL_START.match(code, i)
    if m is None:
        return None
    prefix, quote = m.group(1).lower(), m.group(2)
    if prefix and lang != "python":
        return None
    if quote == "`" and lang not in ("node",):
        return None
    j = m.end()
    buf: list[str] = []
    n = len(code)
    while j < n:
        if code.startswith(quote, j):
            body = "".join(buf)
            dynamic = ("f" in prefix and "{" in body) or (quote == "`" and "${" in body) or (
                quote == '"' and lang in ("perl", "php") and re.search(r"\$\w|\$\{", body) is not None) or (
                quote == '"' and lang == "ruby" and "#{" in body)
            if "r" in prefix or (quote == "'" and lang in ("perl", "php", "ruby", "awk")):
                value = body.replace("\\'", "'").replace("\\\\", "\\") if "r" not in prefix else body
            else:
                value = decode_ansi_c(body)
            return value, j + len(quote), dynamic
        if code[j] == "\\" and j + 1 < n:
            buf.append(code[j:j + 2])
            j += 2
            continue
        buf.append(code[j])
        j += 1
    return None


def _skip_ws(code: str, i: int) -> int:
    while i < len(code) and code[i] in " \t\r\n":
        i += 1
    return i


def _read_list(code: str, i: int, lang: Language) -> tuple[list[str], int] | None:
    """A list/array literal of strings at ``i`` (``['rm', '-rf', '/']``)."""
    if i >= len(code) or code[i] not in "[(":
        return None
    close = "]" if code[i] == "[" else ")"
    items: list[str] = []
    j = i + 1
    while True:
        j = _skip_ws(code, j)
        if j < len(code) and code[j] == close:
            return items, j + 1
        value, dynamic, j = read_expression(code, j, lang)
        if value is None:
            return None
        items.append(value)
        j = _skip_ws(code, j)
        if j < len(code) and code[j] == ",":
            j += 1
        elif j < len(code) and code[j] == close:
            return items, j + 1
        else:
            return None


def read_expression(code: str, i: int, lang: Language) -> tuple[str | None, bool, int]:
    """The string value of the expression at ``i`` when it can be read: (value, whether
    part of it is only known at run time, end)."""
    parts: list[str] = []
    dynamic = False
    concat = {"perl": (".",), "php": (".",), "lua": ("..",), "awk": ()}.get(lang, ("+",))
    while True:
        i = _skip_ws(code, i)
        literal = _read_literal(code, i, lang)
        if literal is not None:
            value, i, interpolated = literal
            dynamic = dynamic or interpolated
            if code.startswith("[::-1]", i):
                value, i = value[::-1], i + 6
            elif code.startswith(".reverse()", i) or code.startswith(".split('').reverse().join('')", i):
                step = ".split('').reverse().join('')" if code.startswith(".split(", i) else ".reverse()"
                value, i = value[::-1], i + len(step)
            parts.append(value)
        elif (m := _HOME_IDIOM.match(code, i)) is not None:
            parts.append("~")
            i = m.end()
        elif (m := _WRAPPING_CALL.match(code, i)) is not None:
            joined = m.group().startswith(("os.path.join", "path.join", "File.join"))
            pieces: list[str] = []
            j = m.end()
            while True:
                value, inner_dynamic, j = read_expression(code, j, lang)
                if value is None:
                    return None, True, j
                pieces.append(value)
                dynamic = dynamic or inner_dynamic
                j = _skip_ws(code, j)
                if j < len(code) and code[j] == "," and joined:
                    j += 1
                    continue
                break
            if j < len(code) and code[j] == ")":
                j += 1
            parts.append("/".join(p.rstrip("/") for p in pieces[:-1]) + "/" + pieces[-1] if len(pieces) > 1
                         else pieces[0])
            i = j
        elif (m := _CHARCODES.match(code, i)) is not None:
            parts.append(_chars(m.group(1)))
            i = m.end()
            while i < len(code) and code[i] in ")]":
                i += 1
        else:
            if parts:
                dynamic = True
            return ("".join(parts) if parts else None), True if not parts else dynamic, i
        j = _skip_ws(code, i)
        for op in concat:
            if code.startswith(op, j):
                i = j + len(op)
                break
        else:
            if lang == "python" and _LITERAL_START.match(code, j) and j > i:
                i = j  # implicit concatenation of adjacent literals
                continue
            if lang == "awk" and j < len(code) and code[j] == '"':
                i = j
                continue
            return "".join(parts), dynamic, i


def _chars(numbers: str) -> str:
    out = []
    for number in re.findall(r"\d+", numbers):
        value = int(number)
        if value < 0x110000:
            out.append(chr(value))
    return "".join(out)


def _call_arguments(code: str, start: int, lang: Language) -> tuple[str | None, bool, list[str] | None]:
    """After a call's name: (first argument as a string, dynamic, first list argument)."""
    i = _skip_ws(code, start)
    paren = i < len(code) and code[i] == "("
    if paren:
        i += 1
    i = _skip_ws(code, i)
    listed = _read_list(code, i, lang)
    if listed is not None:
        return None, False, listed[0]
    value, dynamic, end = read_expression(code, i, lang)
    j = _skip_ws(code, end)
    if j < len(code) and code[j] == ",":
        rest = _read_list(code, _skip_ws(code, j + 1), lang)
        if rest is not None and value is not None:
            items = rest[0]
            argv = items if items and items[0].rsplit("/", 1)[-1] == value.rsplit("/", 1)[-1] else [value, *items]
            return None, False, argv
    return value, dynamic, None


def _shell_from_argv(argv: list[str]) -> str:
    return " ".join(shlex.quote(a) for a in argv)


def code_actions(code: str, lang: Language, depth: int = 0) -> list[CodeAction]:
    """What ``code`` would do (see the module docstring)."""
    actions: list[CodeAction] = []
    if depth > _MAX_DEPTH or not code:
        return actions
    if _FORK_LOOP.search(code):
        actions.append(CodeAction(kind="forkbomb", call="fork"))
    for m in re.finditer(_SHELL_CALLS[lang], code):
        call = m.group()
        if call == "`" or call == "$`":  # ruby backticks, zx's $`...`
            end = code.find("`", m.end())
            if end > m.end():
                actions.append(CodeAction(kind="shell", text=code[m.end():end], call="backticks"))
            continue
        if call in ("qx", "%x"):
            body = _delimited(code, m.end())
            if body is not None:
                actions.append(CodeAction(kind="shell", text=body, call=call))
            continue
        value, dynamic, argv = _call_arguments(code, m.end(), lang)
        if argv is not None:
            actions.append(CodeAction(kind="shell", text=_shell_from_argv(argv), call=call))
        elif value is not None:
            actions.append(CodeAction(kind="shell", text=value, dynamic=dynamic, call=call))
    if lang in ("perl", "php"):
        for m in re.finditer(r"`([^`]*)`", code):
            actions.append(CodeAction(kind="shell", text=m.group(1), call="backticks"))
    if lang == "awk":
        for m in re.finditer(r"(\"(?:[^\"\\]|\\.)*\")\s*\|\s*getline", code):
            actions.append(CodeAction(kind="shell", text=decode_ansi_c(m.group(1)[1:-1]), call="getline"))
        for m in re.finditer(r"print[f]?\s+(\"(?:[^\"\\]|\\.)*\")\s*\|\s*\"(?:/bin/)?(?:ba|z|da|k)?sh\"", code):
            actions.append(CodeAction(kind="shell", text=decode_ansi_c(m.group(1)[1:-1]), call="print | sh"))
    actions.extend(_file_actions(code, lang))
    if lang == "python":
        for m in re.finditer(r"(?<![\w.])(?:exec|eval|compile)\s*\(", code):
            value, _, _ = read_expression(code, m.end(), lang)
            if value:
                actions.extend(code_actions(value, lang, depth + 1))
    for decoded in _hidden_strings(code, lang):
        actions.append(CodeAction(kind="shell", text=decoded, call="decoded string"))
        actions.extend(code_actions(decoded, lang, depth + 1))
    return actions


def _delimited(code: str, i: int) -> str | None:
    i = _skip_ws(code, i)
    if i >= len(code):
        return None
    pairs = {"{": "}", "(": ")", "[": "]", "<": ">"}
    opener = code[i]
    closer = pairs.get(opener, opener)
    end = code.find(closer, i + 1)
    return None if end < 0 else code[i + 1:end]


def _file_actions(code: str, lang: Language) -> list[CodeAction]:
    actions: list[CodeAction] = []
    for m in re.finditer(_RECURSIVE_DELETE, code):
        value, dynamic, _ = _call_arguments(code, m.end(), lang)
        actions.append(CodeAction(kind="delete", text=value or "", dynamic=dynamic or value is None,
                                  recursive=True, call=m.group()))
    for m in re.finditer(_DELETE, code):
        value, dynamic, _ = _call_arguments(code, m.end(), lang)
        recursive = bool(re.match(r"[^;\n]*recursive\s*[:=]\s*(true|TRUE|T)", code[m.end():]))
        if value is not None or recursive:
            actions.append(CodeAction(kind="delete", text=value or "", dynamic=dynamic or value is None,
                                      recursive=recursive, call=m.group()))
    for m in re.finditer(r"Path\(\s*", code):
        value, dynamic, end = read_expression(code, m.end(), lang)
        rest = code[end:end + 40]
        tail = re.match(r"\s*\)\s*\.\s*(unlink|rmdir|write_text|write_bytes|open\(\s*['\"]([wa])", rest)
        if value is None or tail is None:
            continue
        if tail.group(1) in ("unlink", "rmdir"):
            actions.append(CodeAction(kind="delete", text=value, dynamic=dynamic, call="Path." + tail.group(1)))
        else:
            mode = "append" if tail.group(2) == "a" else "overwrite"
            actions.append(CodeAction(kind="write", text=value, dynamic=dynamic, mode=mode, call="Path.write"))
    for m in re.finditer(_WRITE, code):
        action = _write_call(code, m, lang)
        if action is not None:
            actions.append(action)
    if lang == "perl":
        for m in re.finditer(r"open\s*\(?\s*(?:my\s+)?[\$\w]+\s*,\s*(['\"])(>>?|\+<|\+>)\1\s*,\s*", code):
            value, dynamic, _ = read_expression(code, m.end(), lang)
            if value is not None:
                mode = "append" if m.group(2) == ">>" else "overwrite"
                actions.append(CodeAction(kind="write", text=value, dynamic=dynamic, mode=mode, call="open"))
        for m in re.finditer(r"open\s*\(?\s*(?:my\s+)?[\$\w]+\s*,\s*(['\"])(>>?)\s*([^'\"]+)\1", code):
            mode = "append" if m.group(2) == ">>" else "overwrite"
            actions.append(CodeAction(kind="write", text=m.group(3).strip(), mode=mode, call="open"))
    return actions


def _write_call(code: str, m: re.Match[str], lang: Language) -> CodeAction | None:
    call = m.group()
    i = _skip_ws(code, m.end())
    if i >= len(code) or code[i] != "(":
        return None
    value, dynamic, end = read_expression(code, i + 1, lang)
    if value is None:
        return None
    if call in ("open", "io.open", "fopen", "File.open", "File.new"):
        j = _skip_ws(code, end)
        if j >= len(code) or code[j] != ",":
            return None
        mode_value, _, _ = read_expression(code, j + 1, lang)
        if not mode_value or not re.search(r"[wa+]", mode_value):
            return None
        mode = "append" if "a" in mode_value else ("edit" if "+" in mode_value and "w" not in mode_value else "overwrite")
        return CodeAction(kind="write", text=value, dynamic=dynamic, mode=mode, call=call)  # type: ignore[arg-type]
    mode = "append" if "append" in call.lower() or "FILE_APPEND" in code[end:end + 80] else "overwrite"
    return CodeAction(kind="write", text=value, dynamic=dynamic, mode=mode, call=call)  # type: ignore[arg-type]


def _hidden_strings(code: str, lang: Language) -> list[str]:
    """Base64, hex and character-code strings in ``code``, decoded when they decode to
    text."""
    found: list[str] = []
    for m in re.finditer(r"""(['"])([A-Za-z0-9+/=]{8,}|(?:[0-9a-fA-F]{2}){6,})\1""", code):
        body = m.group(2)
        data: bytes | None = None
        try:
            if _HEX_LITERAL.match(body) and ("fromhex" in code or "unhexlify" in code or "hex" in code.lower()):
                data = binascii.unhexlify(body)
            elif _B64_LITERAL.match(body) and len(body) % 4 == 0:
                data = base64.b64decode(body, validate=True)
        except (ValueError, binascii.Error):
            data = None
        if data is None:
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if text.isprintable() or all(c.isprintable() or c in "\n\t\r" for c in text):
            found.append(text[:_MAX_DECODED])
    for m in _CHARCODES.finditer(code):
        found.append(_chars(m.group(1)))
    for m in _PERL_CHR.finditer(code):
        found.append(_chars(m.group()))
    if "rot13" in code or "rot_13" in code:
        for m in re.finditer(r"""(['"])([^'"\\]{6,})\1""", code):
            import codecs

            found.append(codecs.decode(m.group(2), "rot13"))
    return found
