"""Reading interpreter code for what it does to the system.

It is pattern reading, not parsing: calls that run shell commands (``os.system``,
``subprocess.*``, ``system``, ``exec``, backticks, ``child_process``...), that delete
(``shutil.rmtree``, ``os.remove``, ``FileUtils.rm_rf``, ``fs.rmSync``...) or write
(``open(path, 'w')``, ``File.write``, ``fs.writeFileSync``...) files, and process-forking
loops. Arguments are read when they are literals, concatenations, reversed literals
(``'/ fr- mr'[::-1]``), character codes, home-folder idioms or variables assigned such a
value earlier in the code (``cmd = 'rm -rf /'; os.system(cmd)``); anything else counts
as computed at run time. String literals that are base64, hex or character codes are
decoded and read again, as code and as shell.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import shlex
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ._interp import Language
from ._words import decode_ansi_c

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


_LITERAL_START = re.compile(r"""([rRbBuUfF]{0,2})('''|\"\"\"|'|"|`)""")
_HOME_IDIOM = re.compile(
    r"""(?:os\.path\.expanduser\(\s*(['"])~\1\s*\)|os\.environ\[\s*(['"])HOME\2\s*\]|os\.getenv\(\s*(['"])HOME\3\s*\)"""
    r"""|os\.environ\.get\(\s*(['"])HOME\4\s*\)|Path\.home\(\)|pathlib\.Path\.home\(\)|os\.homedir\(\)"""
    r"""|process\.env\.HOME|\$ENV\{\s*['"]?HOME['"]?\s*\}|ENV\[\s*['"]HOME['"]\s*\]|Dir\.home"""
    r"""|getenv\(\s*['"]HOME['"]\s*\)"""
    r"""|Sys\.getenv\(\s*['"]HOME['"]\s*\)|path\.expand\(\s*['"]~['"]\s*\))"""
)
_WRAPPING_CALL = re.compile(r"(?:os\.path\.expanduser|os\.path\.abspath|os\.path\.realpath|pathlib\.Path|Path|"
                            r"File\.expand_path|path\.resolve|path\.join|os\.path\.join|File\.join|str|String)\(")
_CHARCODES = re.compile(r"(?:map\(\s*chr\s*,\s*[\[(]|fromCharCode\(|chr\(\w+\)\s+for\s+\w+\s+in\s+[\[(]|"
                        r"\.pack\(\s*['\"]c\*['\"]\s*\)|pack\(\s*['\"]C\*['\"]\s*,)\s*([\d,\s]+)[\])]?")
_PERL_CHR = re.compile(r"(?:chr\(\s*\d+\s*\)\s*\.?\s*){3,}")
_B64_LITERAL = re.compile(r"^[A-Za-z0-9+/]{8,}={0,2}$")
_HEX_LITERAL = re.compile(r"^(?:[0-9a-fA-F]{2}){6,}$")
_PATH_METHOD = re.compile(r"\s*\)(?:\s*\.\s*(?:expanduser|resolve|absolute)\(\))*\s*\.\s*"
                          r"(unlink|rmdir|write_text|write_bytes|open\(\s*['\"]([wa]))")
_IDENTIFIER = re.compile(r"\$?[A-Za-z_][A-Za-z0-9_]*")
_ASSIGNMENT: dict[str, re.Pattern[str]] = {
    "perl": re.compile(r"(?:my\s+|our\s+|local\s+)?\$([A-Za-z_]\w*)\s*=(?!=)"),
    "php": re.compile(r"\$([A-Za-z_]\w*)\s*=(?!=)"),
    "node": re.compile(r"(?<![\w.$])(?:var\s+|let\s+|const\s+)?([A-Za-z_$][\w$]*)\s*=(?![=>])"),
    "default": re.compile(r"(?<![\w.$])(?:local\s+)?([A-Za-z_]\w*)\s*(?:<-|=)(?!=)"),
}

_SHELL_CALLS: dict[str, str] = {
    "python": r"(?:os|__import__\(\s*['\"]os['\"]\s*\))\.(?:system|popen)|subprocess\.(?:run|call|check_call|"
              r"check_output|Popen|getoutput|getstatusoutput)|commands\.getoutput|pty\.spawn|os\.exec[lv]p?e?|"
              r"os\.spawn[lv]p?e?|(?<![\w.])(?:run|call|check_output|check_call|Popen|system|popen)",
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
           r"remove)|(?:fs|require\(\s*['\"](?:node:)?fs['\"]\s*\))\.(?:unlinkSync|unlink|rmSync|rmdirSync|rmdir|rm)|"
           r"(?<![\w.>$])unlink|file\.remove|Files\.delete")
_WRITE = (r"(?<![\w.])open|io\.open|fopen|File\.(?:write|open|new)|IO\.write|fs\.(?:writeFileSync|writeFile|"
          r"appendFileSync|appendFile|createWriteStream)|file_put_contents|writeLines|Deno\.writeTextFile")
_FORK_LOOP = re.compile(
    r"(?:while\s*\(?\s*(?:True|1|true)\s*\)?\s*:?\s*\{?\s*(?:os\.)?fork\s*\(|fork\s+while\s+fork|fork\s*;?\s*while|"
    r"while\s*\(\s*1\s*\)\s*\{\s*fork|loop\s*(?:do|\{)\s*fork|for\s*\(\s*;\s*;\s*\)\s*\{?\s*(?:os\.|pcntl_)?fork|"
    r"while\s+(?:True|1)\s*:\s*\n?\s*os\.fork\(\))"
)


def code_actions(code: str, lang: Language, depth: int = 0) -> list[CodeAction]:
    """What ``code`` would do (see the module docstring)."""
    if depth > _MAX_DEPTH or not code:
        return []
    return _Reader(code, lang).actions(depth)


def _skip_ws(code: str, i: int) -> int:
    while i < len(code) and code[i] in " \t\r\n":
        i += 1
    return i


def _chars(numbers: str) -> str:
    out = []
    for number in re.findall(r"\d+", numbers):
        value = int(number)
        if value < 0x110000:
            out.append(chr(value))
    return "".join(out)


class _Reader:
    """Reads one piece of code; ``symbols`` are its variables with a literal value."""

    def __init__(self, code: str, lang: Language) -> None:
        self.code = code
        self.lang = lang
        self.symbols: dict[str, str] = {}
        pattern = _ASSIGNMENT.get(lang, _ASSIGNMENT["default"])
        for m in pattern.finditer(code):
            value, dynamic, _ = self.expression(m.end())
            if value is not None and not dynamic:
                self.symbols[m.group(1)] = value

    # -- values ---------------------------------------------------------------------------

    def literal(self, i: int) -> tuple[str, int, bool] | None:
        """A string literal at ``i``: (value, end, has interpolation)."""
        code, lang = self.code, self.lang
        m = _LITERAL_START.match(code, i)
        if m is None:
            return None
        prefix, quote = m.group(1).lower(), m.group(2)
        if prefix and lang != "python":
            return None
        if quote == "`" and lang != "node":
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
                if "r" in prefix:
                    value = body
                elif quote == "'" and lang in ("perl", "php", "ruby", "awk"):
                    value = body.replace("\\'", "'").replace("\\\\", "\\")
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

    def listing(self, i: int) -> tuple[list[str], int] | None:
        """A list/array literal of strings at ``i`` (``['rm', '-rf', '/']``)."""
        code = self.code
        if i >= len(code) or code[i] not in "[(":
            return None
        close = "]" if code[i] == "[" else ")"
        items: list[str] = []
        j = i + 1
        while True:
            j = _skip_ws(code, j)
            if j < len(code) and code[j] == close:
                return items, j + 1
            value, _, j = self.expression(j)
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

    def expression(self, i: int) -> tuple[str | None, bool, int]:
        """The string value of the expression at ``i`` when it can be read: (value,
        whether part of it is only known at run time, end)."""
        code, lang = self.code, self.lang
        parts: list[str] = []
        dynamic = False
        concat = {"perl": (".",), "php": (".",), "lua": ("..",), "awk": ()}.get(lang, ("+",))
        while True:
            i = _skip_ws(code, i)
            part = self._operand(i)
            if part is None:
                if parts:
                    dynamic = True
                return ("".join(parts) if parts else None), True if not parts else dynamic, i
            value, part_dynamic, i = part
            parts.append(value)
            dynamic = dynamic or part_dynamic
            j = _skip_ws(code, i)
            for op in concat:
                if code.startswith(op, j) and not code.startswith(op + "=", j):
                    i = j + len(op)
                    break
            else:
                if lang == "python" and _LITERAL_START.match(code, j) and j > i:
                    i = j  # adjacent literals concatenate
                    continue
                if lang == "awk" and j < len(code) and code[j] == '"':
                    i = j
                    continue
                return "".join(parts), dynamic, i

    def _operand(self, i: int) -> tuple[str, bool, int] | None:
        code = self.code
        literal = self.literal(i)
        if literal is not None:
            value, i, dynamic = literal
            if code.startswith("[::-1]", i):
                value, i = value[::-1], i + 6
            elif code.startswith(".split('').reverse().join('')", i):
                value, i = value[::-1], i + len(".split('').reverse().join('')")
            elif code.startswith(".reverse", i):
                value, i = value[::-1], i + len(".reverse") + (2 if code.startswith("()", i + 8) else 0)
            return value, dynamic, i
        if (m := _HOME_IDIOM.match(code, i)) is not None:
            return "~", False, m.end()
        if (m := _WRAPPING_CALL.match(code, i)) is not None:
            return self._wrapping_call(m)
        if (m := _CHARCODES.match(code, i)) is not None:
            end = m.end()
            while end < len(code) and code[end] in ")]":
                end += 1
            return _chars(m.group(1)), False, end
        if (m := _IDENTIFIER.match(code, i)) is not None:
            name = m.group().lstrip("$")
            after = _skip_ws(code, m.end())
            if name in self.symbols and not (after < len(code) and code[after] in "(["):
                return self.symbols[name], False, m.end()
        return None

    def _wrapping_call(self, m: re.Match[str]) -> tuple[str, bool, int] | None:
        code = self.code
        joined = m.group().startswith(("os.path.join", "path.join", "File.join"))
        pieces: list[str] = []
        dynamic = False
        j = m.end()
        while True:
            value, inner_dynamic, j = self.expression(j)
            if value is None:
                return None
            pieces.append(value)
            dynamic = dynamic or inner_dynamic
            j = _skip_ws(code, j)
            if j < len(code) and code[j] == "," and joined:
                j += 1
                continue
            break
        if j < len(code) and code[j] == ")":
            j += 1
        if len(pieces) > 1:
            return "/".join(p.rstrip("/") for p in pieces[:-1]) + "/" + pieces[-1], dynamic, j
        return pieces[0], dynamic, j

    def arguments(self, start: int) -> tuple[str | None, bool, list[str] | None]:
        """After a call's name: (the single argument as a string, dynamic) or the argument
        vector when several are given (``system("rm", "-rf", "/")``, ``spawn('rm',
        ['-rf', '/'])``, ``subprocess.run(['rm', '-rf', '/'])``)."""
        code = self.code
        i = _skip_ws(code, start)
        if i < len(code) and code[i] == "(":
            i += 1
        values: list[str] = []
        dynamic = False
        listed_any = False
        while True:
            i = _skip_ws(code, i)
            listed = self.listing(i) if i < len(code) and code[i] == "[" else None
            if listed is not None:
                values.extend(listed[0])
                listed_any = True
                i = listed[1]
            else:
                value, value_dynamic, end = self.expression(i)
                if value is None:
                    break
                values.append(value)
                dynamic = dynamic or value_dynamic
                i = end
            i = _skip_ws(code, i)
            if i < len(code) and code[i] == ",":
                i += 1
                continue
            break
        if not values:
            return None, True, None
        if len(values) == 1 and not listed_any:
            return values[0], dynamic, None
        if len(values) >= 2 and values[0].rsplit("/", 1)[-1] == values[1].rsplit("/", 1)[-1]:
            values = values[1:]  # exec-style: the program, then argv starting with its name
        return None, False, values

    # -- what the code does ---------------------------------------------------------------

    def actions(self, depth: int) -> list[CodeAction]:
        """Everything the code does, decoded strings and ``exec``'d code included."""
        code, lang = self.code, self.lang
        actions: list[CodeAction] = []
        if _FORK_LOOP.search(code):
            actions.append(CodeAction(kind="forkbomb", call="fork"))
        for m in re.finditer(_SHELL_CALLS[lang], code):
            call = m.group()
            if call in ("`", "$`"):  # ruby backticks, zx's $`...`
                end = code.find("`", m.end())
                if end > m.end():
                    actions.append(CodeAction(kind="shell", text=code[m.end():end], call="backticks"))
                continue
            if call in ("qx", "%x"):
                body = _delimited(code, m.end())
                if body is not None:
                    actions.append(CodeAction(kind="shell", text=body, call=call))
                continue
            value, dynamic, argv = self.arguments(m.end())
            if argv is not None:
                actions.append(CodeAction(kind="shell", text=" ".join(shlex.quote(a) for a in argv), call=call))
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
        actions.extend(self.file_actions())
        if lang == "python":
            for m in re.finditer(r"(?<![\w.])(?:exec|eval|compile)\s*\(", code):
                value, _, _ = self.expression(m.end())
                if value:
                    actions.extend(code_actions(value, lang, depth + 1))
        for decoded in self.hidden_strings():
            actions.append(CodeAction(kind="shell", text=decoded, call="decoded string"))
            actions.extend(code_actions(decoded, lang, depth + 1))
        return actions

    def file_actions(self) -> list[CodeAction]:
        """Deletes and writes of files the code makes."""
        code, lang = self.code, self.lang
        actions: list[CodeAction] = []
        for m in re.finditer(_RECURSIVE_DELETE, code):
            value, dynamic, _ = self.arguments(m.end())
            actions.append(CodeAction(kind="delete", text=value or "", dynamic=dynamic or value is None,
                                      recursive=True, call=m.group()))
        for m in re.finditer(_DELETE, code):
            value, dynamic, _ = self.arguments(m.end())
            recursive = bool(re.match(r"[^;\n]*recursive\s*[:=]\s*(true|TRUE|T)", code[m.end():]))
            if value is not None or recursive:
                actions.append(CodeAction(kind="delete", text=value or "", dynamic=dynamic or value is None,
                                          recursive=recursive, call=m.group()))
        for m in re.finditer(r"Path\(\s*", code):
            value, dynamic, end = self.expression(m.end())
            tail = _PATH_METHOD.match(code[end:end + 80])
            if value is None or tail is None:
                continue
            if tail.group(1) in ("unlink", "rmdir"):
                actions.append(CodeAction(kind="delete", text=value, dynamic=dynamic, call="Path." + tail.group(1)))
            else:
                mode = "append" if tail.group(2) == "a" else "overwrite"
                actions.append(CodeAction(kind="write", text=value, dynamic=dynamic, mode=mode, call="Path.write"))
        for m in re.finditer(_WRITE, code):
            action = self._write_call(m)
            if action is not None:
                actions.append(action)
        if lang == "perl":
            for m in re.finditer(r"open\s*\(?\s*(?:my\s+)?[\$\w]+\s*,\s*(['\"])(>>?|\+<|\+>)\1\s*,\s*", code):
                value, dynamic, _ = self.expression(m.end())
                if value is not None:
                    mode = "append" if m.group(2) == ">>" else "overwrite"
                    actions.append(CodeAction(kind="write", text=value, dynamic=dynamic, mode=mode, call="open"))
            for m in re.finditer(r"open\s*\(?\s*(?:my\s+)?[\$\w]+\s*,\s*(['\"])(>>?)\s*([^'\"]+)\1", code):
                mode = "append" if m.group(2) == ">>" else "overwrite"
                actions.append(CodeAction(kind="write", text=m.group(3).strip(), mode=mode, call="open"))
        return actions

    def _write_call(self, m: re.Match[str]) -> CodeAction | None:
        code = self.code
        call = m.group()
        i = _skip_ws(code, m.end())
        if i >= len(code) or code[i] != "(":
            return None
        value, dynamic, end = self.expression(i + 1)
        if value is None:
            return None
        if call in ("open", "io.open", "fopen", "File.open", "File.new"):
            j = _skip_ws(code, end)
            if j >= len(code) or code[j] != ",":
                return None
            mode_value, _, _ = self.expression(j + 1)
            if not mode_value or not re.search(r"[wa+]", mode_value):
                return None
            mode = "append" if "a" in mode_value else ("edit" if "+" in mode_value and "w" not in mode_value
                                                      else "overwrite")
            return CodeAction(kind="write", text=value, dynamic=dynamic, mode=mode, call=call)  # type: ignore[arg-type]
        mode = "append" if "append" in call.lower() or "FILE_APPEND" in code[end:end + 80] else "overwrite"
        return CodeAction(kind="write", text=value, dynamic=dynamic, mode=mode, call=call)  # type: ignore[arg-type]

    def hidden_strings(self) -> list[str]:
        """Base64, hex and character-code strings in the code, decoded when they decode
        to text."""
        code = self.code
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
            if all(c.isprintable() or c in "\n\t\r" for c in text):
                found.append(text[:_MAX_DECODED])
        for m in _CHARCODES.finditer(code):
            found.append(_chars(m.group(1)))
        for m in _PERL_CHR.finditer(code):
            found.append(_chars(m.group()))
        if "rot13" in code or "rot_13" in code:
            for m in re.finditer(r"""(['"])([^'"\\]{6,})\1""", code):
                found.append(codecs.decode(m.group(2), "rot13"))
        return found


def _delimited(code: str, i: int) -> str | None:
    i = _skip_ws(code, i)
    if i >= len(code):
        return None
    pairs = {"{": "}", "(": ")", "[": "]", "<": ">"}
    opener = code[i]
    closer = pairs.get(opener, opener)
    end = code.find(closer, i + 1)
    return None if end < 0 else code[i + 1:end]
