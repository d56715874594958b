"""Rules for commands that delete, overwrite or re-permission files.

Each function takes the invocation and a :class:`~._context.RuleContext`; ``COMMANDS``
maps command names to them. What a path *means* (system folder, home, disk, start-up
file...) is decided by the context's ``delete``/``write``, not here.
"""

from __future__ import annotations

import posixpath
import re

from ._context import RuleContext
from ._options import parse_options
from ._paths import deletion_scope, display, normalize
from ._records import Arg, Invocation


def after_prefix(arg: Arg, prefix: str) -> Arg:
    """The rest of ``arg`` after ``prefix`` (the path in ``of=/dev/sda``)."""
    bare = arg.bare[len(prefix):] if arg.bare.startswith(prefix) else ""
    return Arg(text=arg.text[len(prefix):], raw=arg.raw, dynamic=arg.dynamic, glob=arg.glob, bare=bare)


def _join(folder: Arg, name: str) -> Arg:
    text = folder.text.rstrip("/") + "/" + name
    return Arg(text=text, raw=folder.raw, dynamic=folder.dynamic, bare=folder.bare.rstrip("/") + "/" + name)


def rm(inv: Invocation, ctx: RuleContext) -> None:
    """``rm``: recursive deletes, and deletes of sensitive files."""
    p = parse_options(inv.args)
    recursive = p.has("-r", "-R", "--recursive") or inv.per_file
    for target in p.operands:
        ctx.delete(target, recursive=recursive)


def unlink(inv: Invocation, ctx: RuleContext) -> None:
    """``unlink FILE``: a delete."""
    for target in parse_options(inv.args).operands:
        ctx.delete(target, recursive=inv.per_file)


def shred(inv: Invocation, ctx: RuleContext) -> None:
    """``shred``: unrecoverable overwrites (of a disk: the hardline)."""
    p = parse_options(inv.args, takes_value=("-n", "--iterations", "-s", "--size", "--random-source"))
    for target in p.operands:
        ctx.write(target, "overwrite")
        if not ctx.path(target).startswith("/dev/"):
            ctx.emit("shred-file", f"shreds {ctx.shown(target)} beyond recovery")


# -- permissions --------------------------------------------------------------------------

_CHMOD_FLAGS = frozenset({"-R", "--recursive", "-c", "-f", "-v", "--changes", "--silent", "--quiet",
                          "--verbose", "--preserve-root", "--no-preserve-root", "-h", "-H", "-L", "-P"})
_NUMERIC_MODE = re.compile(r"^[0-7]{1,5}$")
_SYMBOLIC_CLAUSE = re.compile(r"^([ugoa]*)((?:[-+=][rwxXstugo]*)+)$")


def world_writable(mode: str) -> bool:
    """Whether a chmod mode grants write permission to everybody."""
    if _NUMERIC_MODE.match(mode):
        return bool(int(mode[-1]) & 2)
    for clause in mode.split(","):
        m = _SYMBOLIC_CLAUSE.match(clause)
        if m is None:
            continue
        who = m.group(1)
        for op, perms in re.findall(r"([-+=])([rwxXstugo]*)", m.group(2)):
            if op in "+=" and "w" in perms and ("o" in who or "a" in who):
                return True
    return False


def chmod(inv: Invocation, ctx: RuleContext) -> None:
    """``chmod``: recursive on system or home folders, or world-writable modes."""
    recursive = False
    mode: str | None = None
    targets: list[Arg] = []
    reference = False
    rest_are_operands = False
    for arg in inv.args:
        text = arg.text
        if not rest_are_operands and text == "--":
            rest_are_operands = True
        elif not rest_are_operands and text in _CHMOD_FLAGS:
            recursive = recursive or text in ("-R", "--recursive")
        elif not rest_are_operands and text.startswith("--reference"):
            reference = True
        elif not rest_are_operands and re.fullmatch(r"-[Rcfvh]+", text):
            recursive = recursive or "R" in text
        elif mode is None and not reference:
            mode = text
        else:
            targets.append(arg)
    mode = mode or ""
    recursive = recursive or inv.per_file
    for target in targets:
        shown = ctx.shown(target)
        if recursive:
            scope = deletion_scope(ctx.path(target))
            if scope is not None and scope[0] in ("root", "system"):
                ctx.emit("chmod-system", f"recursive chmod {mode} of {scope[1]}")
                continue
            if scope is not None:
                ctx.emit("chmod-recursive-home", f"recursive chmod {mode} of {scope[1]}")
        if world_writable(mode):
            extent = " and everything in it" if recursive else ""
            ctx.emit("chmod-world-writable", f"makes {shown}{extent} writable by every user (chmod {mode})")


def chown(inv: Invocation, ctx: RuleContext) -> None:
    """``chown -R`` / ``chgrp -R``."""
    p = parse_options(inv.args, takes_value=("--from",))
    recursive = p.has("-R", "--recursive") or inv.per_file
    operands = list(p.operands)
    if not p.has("--reference") and operands:
        owner = operands.pop(0).text
    else:
        owner = ""
    if not recursive:
        return
    verb = inv.name if inv.name in ("chown", "chgrp") else "chown"
    for target in operands:
        scope = deletion_scope(ctx.path(target))
        if scope is not None and scope[0] in ("root", "system"):
            ctx.emit("chown-system", f"recursive {verb} {owner} of {scope[1]}".replace("  ", " "))
        else:
            where = scope[1] if scope is not None else ctx.shown(target)
            ctx.emit("chown-recursive", f"recursive {verb} {owner} of {where}".replace("  ", " "))


# -- copies, moves, links, writers --------------------------------------------------------

_COPY_VALUE = ("-t", "--target-directory", "-S", "--suffix", "-m", "--mode", "-o", "--owner", "-g", "--group")


def _destinations(inv: Invocation) -> tuple[list[Arg], list[Arg]]:
    """(sources, written paths) of cp/mv/install/ln: the destination itself and, when it
    may be a folder, each source's name inside it."""
    p = parse_options(inv.args, takes_value=_COPY_VALUE)
    folder = p.value("-t", "--target-directory")
    operands = list(p.operands)
    if folder is not None:
        base = Arg(text=folder, raw=folder, bare=folder)
        return operands, [_join(base, posixpath.basename(s.text.rstrip("/"))) for s in operands]
    if len(operands) < 2:
        return [], []
    dest, sources = operands[-1], operands[:-1]
    written = [dest] + [_join(dest, posixpath.basename(s.text.rstrip("/"))) for s in sources]
    return sources, written


def cp(inv: Invocation, ctx: RuleContext) -> None:
    """``cp``/``install``: what the destination overwrites."""
    _, written = _destinations(inv)
    for target in written:
        ctx.write(target, "overwrite")


def mv(inv: Invocation, ctx: RuleContext) -> None:
    """``mv``: sources moved away, destinations overwritten."""
    sources, written = _destinations(inv)
    for source in sources:
        scope = deletion_scope(ctx.path(source))
        if scope is not None:
            ctx.delete(source, recursive=True, verb="moves away")
        else:
            ctx.write(source, "delete", verb="moves away")
    for target in written:
        ctx.write(target, "overwrite")


def ln(inv: Invocation, ctx: RuleContext) -> None:
    """``ln -f``: the link replaces its target path."""
    p = parse_options(inv.args, takes_value=("-t", "--target-directory", "-S", "--suffix"))
    if not p.has("-f", "--force"):
        return
    _, written = _destinations(inv)
    for target in written:
        ctx.write(target, "overwrite", verb="replaces with a link")


def tee(inv: Invocation, ctx: RuleContext) -> None:
    """``tee [-a] FILES``."""
    p = parse_options(inv.args, takes_value=())
    mode = "append" if p.has("-a", "--append") else "overwrite"
    for target in p.operands:
        ctx.write(target, mode)


def truncate(inv: Invocation, ctx: RuleContext) -> None:
    """``truncate FILES``."""
    p = parse_options(inv.args, takes_value=("-s", "--size", "-r", "--reference"))
    for target in p.operands:
        ctx.write(target, "overwrite", verb="truncates")


def sponge(inv: Invocation, ctx: RuleContext) -> None:
    """``sponge [-a] FILE``."""
    p = parse_options(inv.args)
    mode = "append" if p.has("-a") else "overwrite"
    for target in p.operands:
        ctx.write(target, mode)


def dd(inv: Invocation, ctx: RuleContext) -> None:
    """``dd of=TARGET``."""
    for arg in inv.args:
        if arg.text.startswith("of="):
            ctx.write(after_prefix(arg, "of="), "overwrite")


def sed(inv: Invocation, ctx: RuleContext) -> None:
    """``sed -i``: files edited in place."""
    in_place = any(a.text.startswith("--in-place") or re.fullmatch(r"-[nErsuz]*i.*", a.text) for a in inv.args)
    if not in_place:
        return
    p = parse_options(inv.args, takes_value=("-e", "--expression", "-f", "--file", "-l", "--line-length"))
    operands = list(p.operands)
    if not p.has("-e", "--expression", "-f", "--file") and operands:
        operands.pop(0)  # the script
    for target in operands:
        ctx.write(target, "edit")


def curl(inv: Invocation, ctx: RuleContext) -> None:
    """``curl -o FILE`` / ``-O``: files written (and remembered as downloads)."""
    p = parse_options(inv.args, takes_value=("-o", "--output", "-d", "--data", "-H", "--header", "-X",
                                             "--request", "-u", "--user", "-A", "--user-agent", "-e",
                                             "--referer", "-F", "--form", "-T", "--upload-file", "-b",
                                             "--cookie", "-c", "--cookie-jar", "-w", "--write-out", "-x",
                                             "--proxy", "-m", "--max-time", "--retry", "--connect-timeout",
                                             "-r", "--range", "-K", "--config", "-E", "--cert", "--key",
                                             "--cacert", "--data-raw", "--data-binary", "--data-urlencode"))
    for target in p.values("-o", "--output"):
        if target != "-":
            ctx.write(Arg(text=target, raw=target, bare=target), "overwrite")
            ctx.state.downloads.add(normalize(target, ctx.state.cwd))
    if p.has("-O", "--remote-name"):
        for url in p.operands:
            _remember_download(url.text, ctx)


def wget(inv: Invocation, ctx: RuleContext) -> None:
    """``wget [-O FILE] URL``: files written (and remembered as downloads)."""
    p = parse_options(inv.args, takes_value=("-O", "--output-document", "-o", "--output-file", "-a",
                                             "--append-output", "-P", "--directory-prefix", "-U",
                                             "--user-agent", "--header", "-t", "--tries", "-T", "--timeout",
                                             "-e", "--execute", "-i", "--input-file"))
    targets = p.values("-O", "--output-document")
    for target in targets:
        if target != "-":
            ctx.write(Arg(text=target, raw=target, bare=target), "overwrite")
            ctx.state.downloads.add(normalize(target, ctx.state.cwd))
    if not targets:
        for url in p.operands:
            _remember_download(url.text, ctx)


def _remember_download(url: str, ctx: RuleContext) -> None:
    """``wget URL`` and ``curl -O URL`` save to the URL's last path segment."""
    name = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    if name and "://" in url and "." in name:
        ctx.state.downloads.add(normalize(name, ctx.state.cwd))


def rsync(inv: Invocation, ctx: RuleContext) -> None:
    """``rsync --delete`` into a system or home folder."""
    deleting = any(a.text.startswith("--delete") or a.text in ("--del", "--remove-source-files") for a in inv.args)
    if not deleting:
        return
    p = parse_options(inv.args, takes_value=("-e", "--rsh", "--exclude", "--include", "--filter", "-f",
                                             "--exclude-from", "--include-from", "--files-from", "--chmod",
                                             "--chown", "-B", "--block-size", "--backup-dir", "--suffix",
                                             "--bwlimit", "--timeout", "--port", "--log-file", "-T",
                                             "--temp-dir", "--partial-dir", "--link-dest", "--compare-dest",
                                             "--copy-dest"))
    if len(p.operands) < 2:
        return
    dest = p.operands[-1]
    if ":" in dest.text.split("/", 1)[0]:
        return  # a remote destination: judged on the remote host, not here
    scope = deletion_scope(ctx.path(dest))
    if scope is not None:
        ctx.emit("recursive-delete", f"rsync --delete into {scope[1]} deletes whatever the source lacks there")


def visudo(inv: Invocation, ctx: RuleContext) -> None:
    """``visudo``: editing the sudo rules."""
    if any(a.text in ("-c", "--check") for a in inv.args):
        return
    p = parse_options(inv.args, takes_value=("-f", "--file"))
    target = p.value("-f", "--file") or "/etc/sudoers"
    ctx.emit("sudoers-edit", f"edits the sudo rules {display(target)}")


def sudoedit(inv: Invocation, ctx: RuleContext) -> None:
    """``sudoedit FILES``: files edited as root."""
    p = parse_options(inv.args, takes_value=("-u", "--user", "-g", "--group", "-C", "-D", "-h", "-p"))
    for target in p.operands:
        ctx.write(target, "edit")


def ssh_keygen(inv: Invocation, ctx: RuleContext) -> None:
    """``ssh-keygen -f FILE``: writing a key file."""
    p = parse_options(inv.args, takes_value=("-f", "-t", "-b", "-C", "-N", "-P", "-m", "-E", "-O", "-Z", "-a",
                                             "-I", "-n", "-V", "-z", "-s", "-R", "-F", "-r"))
    for target in p.values("-f"):
        if p.has("-y", "-l", "-R", "-F", "-B", "-e", "-i"):
            return  # reading or converting a key, not writing one
        ctx.write(Arg(text=target, raw=target, bare=target), "overwrite", verb="writes an SSH key to")


COMMANDS = {
    "rm": (rm,), "unlink": (unlink,), "shred": (shred,), "wipe": (shred,), "srm": (shred,),
    "chmod": (chmod,), "chown": (chown,), "chgrp": (chown,),
    "cp": (cp,), "install": (cp,), "mv": (mv,), "ln": (ln,),
    "tee": (tee,), "truncate": (truncate,), "sponge": (sponge,), "dd": (dd,), "sed": (sed,), "gsed": (sed,),
    "curl": (curl,), "wget": (wget,), "rsync": (rsync,), "visudo": (visudo,), "sudoedit": (sudoedit,),
    "ssh-keygen": (ssh_keygen,),
}
