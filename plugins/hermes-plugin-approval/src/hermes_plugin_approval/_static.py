"""What a command prints, worked out without running it, for the few commands where that
is possible and matters: ``echo``/``printf`` (the payload of ``echo ... | sh``), decoders
(``base64 -d``, ``xxd -r -p``, ``gunzip``, ``rev``, ``tr``) and downloaders (their output
is remote code if it reaches a shell). Filters pass a download's or a decoder's taint
through (``curl ... | tee log | sh`` is still remote code).
"""

from __future__ import annotations

import base64
import binascii
import bz2
import lzma
import re
import zlib
from collections.abc import Callable

from ._records import Arg, Invocation, Stream

_MAX_BYTES = 256_000

FETCHERS = frozenset({"curl", "wget", "fetch", "http", "https", "xh", "aria2c", "lwp-request", "GET", "nc",
                      "ncat", "netcat", "socat", "telnet", "ftp", "tftp", "scp", "rclone"})
PASSTHROUGH = frozenset({"tee", "head", "tail", "sed", "gsed", "grep", "egrep", "fgrep", "sort", "uniq", "cut",
                         "awk", "gawk", "mawk", "nawk", "dos2unix", "iconv", "pv", "fold", "fmt", "column",
                         "expand", "unexpand", "tac", "nl", "strings", "buffer", "cat", "perl", "sponge"})
_DECOMPRESS = {
    "gunzip": "gzip", "zcat": "gzip", "gzip": "gzip", "bunzip2": "bzip2", "bzcat": "bzip2", "bzip2": "bzip2",
    "xz": "xz", "unxz": "xz", "xzcat": "xz", "lzma": "xz", "unlzma": "xz", "lzcat": "xz", "zstd": "zstd",
    "unzstd": "zstd", "zstdcat": "zstd",
}
DECODERS = frozenset({"base64", "base32", "basenc", "xxd", "openssl", "rev", "tr", "uudecode", *_DECOMPRESS})


def text_stream(data: bytes | str, source: str) -> Stream:
    """A stream of known text (capped)."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return Stream(kind="text", data=data[:_MAX_BYTES], source=source)


def _taint(args: tuple[Arg, ...]) -> str | None:
    return next((a.taint for a in args if a.taint), None)


def _unknown(args: tuple[Arg, ...], source: str) -> Stream:
    taint = _taint(args)
    return Stream(kind=taint or "unknown", source=source)  # type: ignore[arg-type]


def _escapes(text: str, *, stop_at_c: bool = True) -> str:
    """echo -e / printf %b escapes."""
    from ._words import decode_ansi_c

    if stop_at_c and "\\c" in text:
        text = text[: text.index("\\c")]
    # printf/echo write \0nnn for octal; $'...' writes \nnn
    return decode_ansi_c(re.sub(r"\\0([0-7]{1,3})", r"\\\1", text))


def echo(inv: Invocation) -> Stream:
    """``echo [-neE] WORDS``."""
    args = list(inv.args)
    interpret, newline = False, True
    while args and re.fullmatch(r"-[neE]+", args[0].text):
        flags = args.pop(0).text
        interpret = interpret or "e" in flags
        newline = newline and "n" not in flags
    if any(a.dynamic for a in args):
        return _unknown(inv.args, "echo")
    text = " ".join(a.text for a in args)
    if interpret:
        text = _escapes(text)
    return text_stream(text + ("\n" if newline else ""), "echo")


def printf(inv: Invocation) -> Stream:
    """``printf FORMAT ARGS`` (``%s``, ``%b``, ``%d``, ``%c``, escapes)."""
    args = [a for a in inv.args]
    if args and args[0].text == "-v":
        return Stream(kind="empty", source="printf")
    if args and args[0].text == "--":
        args = args[1:]
    if not args or any(a.dynamic for a in args):
        return _unknown(inv.args, "printf")
    fmt, values = args[0].text, [a.text for a in args[1:]]
    out: list[str] = []
    rounds = 0
    while True:
        used = 0

        def spec(m: re.Match[str]) -> str:
            """One conversion of the format."""
            nonlocal used
            conv = m.group(2)
            if conv == "%":
                return "%"
            value = values[used] if used < len(values) else ""
            used += 1
            if conv == "b":
                return _escapes(value)
            if conv in "di":
                return str(int(value)) if re.fullmatch(r"-?\d+", value) else "0"
            if conv == "c":
                return value[:1]
            return value

        out.append(_escapes(re.sub(r"%([-+ #0]*\d*(?:\.\d+)?)([sbdicxXo%])", spec, fmt), stop_at_c=False))
        values = values[used:]
        rounds += 1
        if not values or used == 0 or rounds > 64:
            break
    return text_stream("".join(out), "printf")


def _input(inv: Invocation, stdin: Stream | None, operands: list[Arg]) -> Stream:
    """What a filter reads: its file operand when there is one, else standard input."""
    if operands:
        arg = operands[0]
        if arg.stream is not None:
            return arg.stream
        if arg.text != "-":
            return Stream(kind="unknown", source=f"{inv.name} {arg.text}")
    return stdin or Stream(kind="unknown", source=inv.name)


def cat(inv: Invocation, stdin: Stream | None) -> Stream:
    """``cat``: its files (when known) or standard input."""
    files = [a for a in inv.args if not (a.text.startswith("-") and a.text != "-")]
    if not files:
        return stdin or Stream(kind="unknown", source="cat")
    parts = [_input(inv, stdin, [f]) for f in files]
    if all(p.kind in ("text", "empty") for p in parts):
        return text_stream(b"".join(p.data for p in parts), "cat")
    for kind in ("remote", "decoded"):
        if any(p.kind == kind for p in parts):
            return Stream(kind=kind, source=next(p.source for p in parts if p.kind == kind))  # type: ignore[arg-type]
    return Stream(kind="unknown", source="cat")


def decode(inv: Invocation, stdin: Stream | None) -> Stream:
    """Decoders: decode what they read when we know it, else taint the output."""
    name = inv.name
    words = [a.text for a in inv.args]
    operands = [a for a in inv.args if not a.text.startswith("-") or a.text == "-"]
    source = f"{name} {' '.join(words)}".strip()
    decoding = any(w in ("-d", "--decode", "-D", "-r", "--revert") or re.fullmatch(r"-[a-zA-Z]*d[a-zA-Z]*", w)
                   for w in words)
    if name in _DECOMPRESS:
        decoding = decoding or name not in ("gzip", "bzip2", "xz", "zstd", "lzma")
    if name in ("rev", "tr"):
        decoding = True
    if name == "openssl":
        if not words or words[0] not in ("base64", "enc"):
            return Stream(kind="remote", source=source) if words[:1] == ["s_client"] else Stream(source=source)
        operands = []
        decoding = "-d" in words
    if name == "tr":
        operands = []
    if name == "basenc":
        decoding = decoding and any(w in ("--base64", "--base64url", "--base32", "--base16") for w in words)
    if not decoding:
        return Stream(kind="unknown", source=source)
    data_in = _input(inv, stdin, operands)
    if data_in.kind == "remote":
        return Stream(kind="remote", source=data_in.source)
    if data_in.kind != "text":
        return Stream(kind="decoded", source=source)
    data = data_in.data
    try:
        if name in ("base64", "basenc") or (name == "openssl" and ("base64" in words or "-a" in words
                                                                    or "-base64" in words)):
            cleaned = re.sub(rb"[^A-Za-z0-9+/=_-]", b"", data)
            cleaned += b"=" * (-len(cleaned) % 4)
            out = base64.b64decode(cleaned.replace(b"-", b"+").replace(b"_", b"/"))
        elif name == "base32":
            cleaned = re.sub(rb"[^A-Z2-7=]", b"", data.upper())
            out = base64.b32decode(cleaned + b"=" * (-len(cleaned) % 8))
        elif name == "xxd":
            if "-p" not in words and "-ps" not in words and "-plain" not in words:
                return Stream(kind="decoded", source=source)
            out = binascii.unhexlify(re.sub(rb"[^0-9a-fA-F]", b"", data)[: 2 * _MAX_BYTES])
        elif name in _DECOMPRESS:
            kind = _DECOMPRESS[name]
            if kind == "gzip":
                out = zlib.decompressobj(47).decompress(data, _MAX_BYTES)
            elif kind == "bzip2":
                out = bz2.BZ2Decompressor().decompress(data, _MAX_BYTES)
            elif kind == "xz":
                out = lzma.LZMADecompressor().decompress(data, _MAX_BYTES)
            else:
                return Stream(kind="decoded", source=source)
        elif name == "rev":
            text = data.decode("utf-8", "replace")
            out = "\n".join(line[::-1] for line in text.split("\n")).encode()
        elif name == "tr":
            out = _tr(words, data.decode("utf-8", "replace")).encode()
        else:
            return Stream(kind="decoded", source=source)
    except (ValueError, binascii.Error, zlib.error, OSError, lzma.LZMAError, EOFError):
        return Stream(kind="decoded", source=source)
    return text_stream(out, source)


def _tr_set(spec: str) -> str:
    from ._words import decode_ansi_c

    classes = {"[:lower:]": "abcdefghijklmnopqrstuvwxyz", "[:upper:]": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
               "[:digit:]": "0123456789", "[:space:]": " \t\n\r\f\v", "[:blank:]": " \t"}
    for name, chars in classes.items():
        spec = spec.replace(name, chars)
    spec = decode_ansi_c(spec)
    out: list[str] = []
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            lo, hi = ord(spec[i]), ord(spec[i + 2])
            out.extend(chr(c) for c in range(lo, hi + 1)[:256])
            i += 3
        else:
            out.append(spec[i])
            i += 1
    return "".join(out)


def _tr(words: list[str], text: str) -> str:
    flags = [w for w in words if w.startswith("-") and len(w) > 1]
    sets = [w for w in words if not (w.startswith("-") and len(w) > 1)]
    if any("d" in f for f in flags) and sets:
        drop = set(_tr_set(sets[0]))
        return "".join(c for c in text if c not in drop)
    if len(sets) < 2 or any(set(f) & set("cCs") for f in flags):
        raise ValueError("tr form not modelled")
    src, dst = _tr_set(sets[0]), _tr_set(sets[1])
    if not dst:
        raise ValueError("empty tr target")
    dst = dst + dst[-1] * max(0, len(src) - len(dst))
    return text.translate(str.maketrans(src, dst[: len(src)]))


def _attach(arg: Arg, open_file: Callable[[Arg], Stream | None]) -> Arg:
    if arg.stream is not None or arg.text.startswith("-"):
        return arg
    stream = open_file(arg)
    return arg if stream is None else arg.model_copy(update={"stream": stream})


def fetch(inv: Invocation) -> Stream:
    """Downloaders: their output is remote."""
    url = next((a.text for a in inv.args if "://" in a.text or re.match(r"^[\w.-]+\.[a-z]{2,}/", a.text)), "")
    return Stream(kind="remote", source=f"{inv.name} {url}".strip())


def stdout_of(inv: Invocation, stdin: Stream | None, open_file: Callable[[Arg], Stream | None] | None = None) -> Stream:
    """What ``inv`` prints (see the module docstring). ``open_file`` says what reading
    a file yields when the same command wrote or downloaded it."""
    name = inv.name
    if open_file is not None and name in DECODERS | {"cat"} | PASSTHROUGH:
        inv = inv.model_copy(update={"args": tuple(_attach(a, open_file) for a in inv.args)})
    if name in ("which", "type") and inv.args:
        names = [a.text for a in inv.args if not a.text.startswith("-")]
        if names and name != "type" or any(a.text in ("-p", "-P") for a in inv.args):
            return text_stream("".join(f"/usr/bin/{n}\n" for n in names), name)
    if name == "echo":
        return echo(inv)
    if name == "printf":
        return printf(inv)
    if name in FETCHERS:
        if name == "scp" or name == "rclone":
            return Stream(kind="unknown", source=name)
        return fetch(inv)
    if name in DECODERS:
        return decode(inv, stdin)
    if name == "cat":
        return cat(inv, stdin)
    if name in PASSTHROUGH:
        files = [a for a in inv.args if a.stream is not None]
        source = files[0].stream if files else stdin
        if source is not None and source.kind in ("remote", "decoded"):
            return Stream(kind=source.kind, source=source.source)
    taint = _taint(inv.args)
    return Stream(kind=taint or "unknown", source=name)  # type: ignore[arg-type]
