"""Text files read and written faithfully: binary sniffing, encodings, line endings,
atomic replacement that keeps the file's mode, and errors worded for the model."""

from __future__ import annotations

import codecs
import errno
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hermes_core import ToolError

from .paths import display, missing_message

#: How much of a file's start decides whether it is text.
SNIFF_BYTES = 8192

#: Largest file write_file and patch load whole (they need it all in memory).
MAX_EDIT_BYTES = 20 * 1024 * 1024

# Signatures distinctive enough to call a file binary even when its first bytes hold no
# NUL (PDFs often do not).
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or docx/xlsx/jar)"),
    (b"\x7fELF", "ELF executable"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x00asm", "WebAssembly module"),
)

_TEXT_CONTROLS = frozenset(b"\t\n\r\f\b\x1b")


def sniff_binary(head: bytes) -> str | None:
    """What kind of binary data ``head`` (a file's first bytes) is, or None for text."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not head.startswith(codecs.BOM_UTF32_LE):
        return None
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in head:
        return "binary data: it contains NUL bytes"
    if head:
        controls = sum(1 for byte in head if byte < 32 and byte not in _TEXT_CONTROLS)
        if controls / len(head) > 0.3:
            return "binary data: mostly control characters"
    return None


def human_size(size: int) -> str:
    """``1536`` -> ``1.5 KB``."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"  # pragma: no cover - the loop always returns


def bom_encoding(head: bytes) -> tuple[bytes, str]:
    """The byte-order mark at the start of ``head`` and the codec it implies."""
    if head.startswith(codecs.BOM_UTF8):
        return codecs.BOM_UTF8, "utf-8"
    if head.startswith(codecs.BOM_UTF16_LE):
        return codecs.BOM_UTF16_LE, "utf-16-le"
    if head.startswith(codecs.BOM_UTF16_BE):
        return codecs.BOM_UTF16_BE, "utf-16-be"
    return b"", "utf-8"


def dominant_newline(text: str) -> str:
    """``\\r\\n`` when most line breaks in ``text`` are CRLF, else ``\\n``."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf >= text.count("\n") - crlf else "\n"


def count_lines(text: str) -> int:
    """Lines in ``text``; a last line without a newline counts."""
    if not text:
        return 0
    return text.count("\n") + (0 if text.endswith("\n") else 1)


@dataclass
class TextFile:
    """A text file loaded for editing, with what is needed to write it back the same way.

    Undecodable UTF-8 bytes are kept as surrogate escapes, so a file in another encoding
    survives an edit byte for byte outside the edited text.
    """

    path: Path
    text: str
    encoding: str = "utf-8"
    bom: bytes = b""
    lossy: bool = False

    @property
    def newline(self) -> str:
        return dominant_newline(self.text)

    def encode(self, text: str) -> bytes:
        errors = "surrogateescape" if self.encoding == "utf-8" else "strict"
        return self.bom + text.encode(self.encoding, errors=errors)


def real_path(ctx: Any, path: Path, *, purpose: str = "write") -> Path:
    """``path`` with symlinks followed, so writes go to the link's target and the link stays."""
    try:
        return path.resolve(strict=False) if path.is_symlink() else path
    except PermissionError:
        raise ToolError(f"permission denied: cannot {purpose} {display(ctx, path)} "
                        "(a folder on the way is not accessible)") from None
    except (OSError, RuntimeError) as exc:
        raise ToolError(f"cannot follow the symbolic link {display(ctx, path)}: {exc}") from exc


def check_regular(ctx: Any, path: Path, *, purpose: str) -> os.stat_result:
    """``stat`` a file that must exist and be a regular file; clear errors otherwise."""
    shown = display(ctx, path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ToolError(missing_message(ctx, path)) from None
    except PermissionError:
        raise ToolError(f"permission denied: cannot {purpose} {shown} (a folder on the way is not accessible)") from None
    except OSError as exc:
        raise ToolError(f"cannot {purpose} {shown}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise ToolError(directory_message(ctx, path))
    if not stat.S_ISREG(info.st_mode):
        raise ToolError(f"{shown} is not a regular file (it is a device, socket or pipe); refusing to {purpose} it")
    return info


def directory_message(ctx: Any, path: Path, show: int = 15) -> str:
    """Why a folder cannot be read as a file, with a glimpse of what it holds."""
    shown = display(ctx, path)
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError:
        entries = []
    names = [e.name + ("/" if e.is_dir() else "") for e in entries[:show]]
    listing = ", ".join(names) if names else "nothing"
    more = f" and {len(entries) - show} more" if len(entries) > show else ""
    return (f"{shown} is a directory, not a file. It contains: {listing}{more}. "
            f"Use search_files(target='files', path='{shown}') to find files in it.")


def load_text(ctx: Any, path: Path, *, purpose: str = "edit") -> TextFile:
    """Load a whole text file for editing; refuses binary and oversized files."""
    shown = display(ctx, path)
    info = check_regular(ctx, path, purpose=purpose)
    if info.st_size > MAX_EDIT_BYTES:
        raise ToolError(f"{shown} is {human_size(info.st_size)}, too large to {purpose} here "
                        f"(limit {human_size(MAX_EDIT_BYTES)}); use the terminal instead")
    try:
        data = path.read_bytes()
    except PermissionError:
        raise ToolError(f"permission denied: cannot read {shown}") from None
    except OSError as exc:
        raise ToolError(f"cannot read {shown}: {exc.strerror or exc}") from None
    kind = sniff_binary(data[:SNIFF_BYTES])
    if kind is not None:
        raise ToolError(f"{shown} is a binary file ({kind}, {human_size(len(data))}); cannot {purpose} it as text")
    bom, encoding = bom_encoding(data)
    body = data[len(bom):]
    if encoding == "utf-8":
        try:
            return TextFile(real_path(ctx, path, purpose=purpose), body.decode("utf-8"), encoding, bom)
        except UnicodeDecodeError:
            return TextFile(real_path(ctx, path, purpose=purpose), body.decode("utf-8", "surrogateescape"),
                            encoding, bom, lossy=True)
    try:
        return TextFile(real_path(ctx, path, purpose=purpose), body.decode(encoding), encoding, bom)
    except UnicodeDecodeError as exc:
        raise ToolError(f"{shown} starts with a UTF-16 byte-order mark but is not valid UTF-16: {exc.reason}") from None


def _umask() -> int:
    """The process umask, read without changing it (``os.umask`` would race other threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def atomic_write(ctx: Any, path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` through a temporary file and a rename, keeping the
    old file's mode (and owner, where allowed). Readers never see a half-written file."""
    shown = display(ctx, path)
    try:
        old = path.stat()
    except FileNotFoundError:
        old = None
    except OSError as exc:
        raise _write_error(shown, exc) from None
    if old is not None and old.st_nlink > 1:
        # A rename would cut this name loose from the file's other hard links; write in place.
        try:
            with open(path, "r+b") as handle:
                handle.write(data)
                handle.truncate()
            return
        except OSError as exc:
            raise _write_error(shown, exc) from None
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _write_error(shown, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if old is not None:
            os.chmod(temp, stat.S_IMODE(old.st_mode))
            if (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
                try:
                    os.chown(temp, old.st_uid, old.st_gid)
                except OSError:
                    pass  # only root may give a file away; the content matters more
        else:
            os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except OSError as exc:
        _discard(temp)
        raise _write_error(shown, exc) from None
    except BaseException:
        _discard(temp)
        raise


def _discard(temp: str) -> None:
    try:
        os.unlink(temp)
    except OSError:
        pass


def _write_error(shown: str, exc: OSError) -> ToolError:
    if isinstance(exc, PermissionError):
        return ToolError(f"permission denied: cannot write {shown} (the file or its folder is not writable)")
    if exc.errno == errno.ENOSPC:
        return ToolError(f"cannot write {shown}: the disk is full")
    if exc.errno == errno.EROFS:
        return ToolError(f"cannot write {shown}: the file system is read-only")
    return ToolError(f"cannot write {shown}: {exc.strerror or exc}")
