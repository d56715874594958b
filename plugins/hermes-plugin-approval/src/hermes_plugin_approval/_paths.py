"""What a path means: the whole system, a system folder, a home folder, a disk, a file
the system or the user cannot lose.

Paths are normalized first: ``~`` becomes a stand-in absolute folder ``/home/~`` (so
``~/..`` is ``/home``, all home folders), relative paths are joined to the working folder
when ``cd`` made it known, ``.``/``..``/``//`` are resolved. Glob components are judged by
what they can match.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from typing import Literal

#: The stand-in for the user's home folder inside normalized paths.
HOME = "/home/~"

SYSTEM_TOP = frozenset({
    "bin", "boot", "dev", "etc", "lib", "lib32", "lib64", "libx32", "opt", "proc", "run", "sbin",
    "srv", "sys", "usr", "var", "mnt", "media", "snap", "nix", "lost+found", "cdrom", "efi",
    "System", "Library", "Applications", "private", "Volumes",
})
HOMES_PARENTS = frozenset({"home", "Users"})
#: Top-level folders where every child is vital too.
_ALL_CHILDREN_VITAL = frozenset({"bin", "sbin", "lib", "lib32", "lib64", "libx32", "boot", "efi", "System"})
#: Second-level folders whose loss breaks the system.
_VITAL = frozenset({
    ("usr", "bin"), ("usr", "sbin"), ("usr", "lib"), ("usr", "lib32"), ("usr", "lib64"), ("usr", "libexec"),
    ("usr", "include"), ("usr", "share"), ("usr", "local"), ("usr", "src"),
    ("var", "lib"), ("var", "log"), ("var", "spool"), ("var", "mail"), ("var", "backups"),
    ("etc", "ssh"), ("etc", "pam.d"), ("etc", "systemd"), ("etc", "apt"), ("etc", "default"), ("etc", "init.d"),
    ("private", "etc"), ("private", "var"),
})
_HOME_SAMPLE = ("Documents", "projects", "Desktop", ".ssh", ".bashrc", ".config")

_DEVICE = re.compile(
    r"^/dev/(sd[a-z]+\d*|hd[a-z]+\d*|vd[a-z]+\d*|xvd[a-z]+\d*|nvme\d+(n\d+(p\d+)?)?|mmcblk\d+(p\d+|boot\d+)?"
    r"|dm-\d+|md\d+(p\d+)?|md/.+|loop\d+|nbd\d+(p\d+)?|sr\d+|disk/.+|mapper/.+|root|rbd\d+|zd\d+|zvol/.+"
    r"|bcache\d+|drbd\d+|cciss/.+|mtdblock\d+|mtd\d+|rdisk\d+.*|disk\d+.*|mem|kmem|port|[a-z0-9_-]+/by-.+)$"
)
_DEVICE_SAMPLE = ("/dev/sda", "/dev/sda1", "/dev/nvme0n1", "/dev/vda", "/dev/xvda", "/dev/mmcblk0", "/dev/hda",
                  "/dev/disk/by-id/x", "/dev/mapper/root", "/dev/disk0")
_HARMLESS_DEV = re.compile(r"^/dev/(null|zero|full|random|urandom|tty\w*|pts/.*|stdin|stdout|stderr|fd/.*"
                           r"|shm(/.*)?|console|ptmx|log|mqueue(/.*)?|hugepages(/.*)?|net/tun|kmsg)$")

CRITICAL = {
    "/etc/passwd": "the user database /etc/passwd",
    "/etc/shadow": "the password database /etc/shadow",
    "/etc/group": "the group database /etc/group",
    "/etc/gshadow": "the group password database /etc/gshadow",
    "/etc/sudoers": "the sudo rules /etc/sudoers",
    "/etc/fstab": "the file system table /etc/fstab",
    "/etc/default/grub": "the boot loader settings /etc/default/grub",
}
_CRITICAL_UNDER = ("/boot/", "/etc/grub.d/", "/efi/")

RC_HOME = frozenset({
    ".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".profile", ".zshrc", ".zshenv", ".zprofile",
    ".zlogin", ".zlogout", ".kshrc", ".mkshrc", ".cshrc", ".tcshrc", ".login", ".logout", ".config/fish/config.fish",
})
_RC_HOME_UNDER = (".config/fish/conf.d/", ".bashrc.d/", ".zshrc.d/", ".oh-my-zsh/custom/")
_RC_SYSTEM = frozenset({"/etc/profile", "/etc/bash.bashrc", "/etc/bashrc", "/etc/zshrc", "/etc/zprofile",
                        "/etc/zshenv", "/etc/environment", "/etc/csh.cshrc", "/etc/csh.login"})
_RC_SYSTEM_UNDER = ("/etc/profile.d/", "/etc/zsh/", "/etc/bash_completion.d/")
_CRON = frozenset({"/etc/crontab", "/etc/anacrontab"})
_CRON_UNDER = ("/etc/cron.d/", "/etc/cron.hourly/", "/etc/cron.daily/", "/etc/cron.weekly/", "/etc/cron.monthly/",
               "/var/spool/cron/", "/var/spool/anacron/", "/etc/periodic/")
_HISTORY = frozenset({".bash_history", ".zsh_history", ".history", ".sh_history", ".python_history",
                      ".psql_history", ".mysql_history", ".node_repl_history", ".sqlite_history",
                      ".local/share/fish/fish_history", ".zhistory"})
_CREDENTIAL_UNDER = (".aws/", ".kube/", ".gnupg/", ".docker/", ".config/gh/", ".config/git/", ".gcloud/",
                     ".config/gcloud/", ".azure/", ".terraform.d/", ".password-store/")
_SYSTEM_UNDER = ("/etc/", "/usr/", "/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/", "/boot/",
                 "/proc/sys/", "/sys/", "/System/", "/Library/", "/private/etc/")

WriteClass = Literal["device", "sysrq", "critical", "sudoers", "rc", "ssh", "hermes", "cron", "history",
                     "dotfile", "system"]


def normalize(text: str, cwd: str | None = None) -> str:
    """``text`` as an absolute path when it can be (see the module docstring)."""
    if text == "~" or text.startswith("~/"):
        text = HOME + text[1:]
    if not text.startswith("/") and cwd is not None:
        base = normalize(cwd)
        text = base.rstrip("/") + "/" + text if base else text
    if text.startswith("/"):
        return posixpath.normpath("/" + text.lstrip("/"))
    return posixpath.normpath(text) if text else text


def display(path: str) -> str:
    """A normalized path as the user would write it (``/home/~/x`` -> ``~/x``)."""
    if path == HOME:
        return "~"
    if path.startswith(HOME + "/"):
        return "~" + path[len(HOME):]
    return path


def has_glob(component: str) -> bool:
    """Whether a path component holds glob characters."""
    return any(ch in component for ch in "*?[")


def _matches(component: str, names: frozenset[str] | tuple[str, ...]) -> list[str]:
    if not has_glob(component):
        return [component] if component in names else []
    return [name for name in names if fnmatch.fnmatchcase(name, component)]


def _broad(component: str, sample: tuple[str, ...]) -> bool:
    """Whether a glob component stands for (nearly) everything in its folder."""
    return has_glob(component) and len(_matches(component, sample)) >= 2


def home_relative(path: str) -> str | None:
    """The part of ``path`` inside a home folder (``~``, ``/home/<user>``, ``/root``,
    ``/Users/<user>``), or None. Empty for the home folder itself."""
    parts = path.split("/")
    if len(parts) >= 2 and parts[1] == "root":
        return "/".join(parts[2:])
    if len(parts) >= 3 and parts[1] in HOMES_PARENTS and parts[2] and not has_glob(parts[2]):
        return "/".join(parts[3:])
    return None


Scope = tuple[Literal["root", "system", "home"], str]


def deletion_scope(path: str) -> Scope | None:
    """When deleting ``path`` recursively wipes the system, a system folder or a home
    folder: the kind and a description. None for anything smaller."""
    if not path.startswith("/"):
        return None
    comps = [c for c in path.split("/") if c]
    if not comps:
        return "root", "/ (the whole file system)"
    first = comps[0]
    if len(comps) == 1:
        if first == "*" or _broad(first, tuple(SYSTEM_TOP)):
            return "root", f"everything in / ({path})"
        hit = _matches(first, SYSTEM_TOP)
        if hit:
            return "system", f"the system folder /{hit[0]}" + (f" (matched by {path})" if hit[0] != first else "")
        if _matches(first, HOMES_PARENTS):
            return "home", f"all home folders ({path})"
        if first == "root":
            return "home", "root's home folder /root"
        return None
    second = comps[1]
    firsts = _matches(first, SYSTEM_TOP | HOMES_PARENTS | {"root"})
    if not firsts:
        return None
    if len(comps) == 2:
        for top in firsts:
            if top in HOMES_PARENTS:
                if second == "~":
                    return "home", "the home folder ~"
                if has_glob(second):
                    return "home", f"all home folders ({path})"
                return "home", f"the home folder {display(path)}"
            if top == "root" and _broad(second, _HOME_SAMPLE):
                return "home", f"everything in root's home folder ({path})"
            if top in SYSTEM_TOP and (second == "*" or _broad(second, ("a", "b", "lib", "bin", "share"))):
                return "system", f"everything in the system folder /{top} ({path})"
            if top in _ALL_CHILDREN_VITAL or _matches(second, tuple(s for t, s in _VITAL if t == top)):
                return "system", f"the system folder {path}"
        return None
    if len(comps) == 3:
        third = comps[2]
        for top in firsts:
            if top in HOMES_PARENTS and not has_glob(second) and _broad(third, _HOME_SAMPLE):
                where = "~" if second == "~" else f"/{top}/{second}"
                return "home", f"everything in the home folder {where} ({display(path)})"
            if (top, second) in _VITAL and (third == "*" or _broad(third, ("a", "b", "lib", "bin", "share"))):
                return "system", f"everything in the system folder /{top}/{second} ({path})"
    return None


def is_device(path: str) -> bool:
    """A disk, partition or memory device (writing to it destroys data)."""
    if not path.startswith("/dev/") or _HARMLESS_DEV.match(path):
        return False
    if has_glob(path):
        return any(fnmatch.fnmatchcase(sample, path) for sample in _DEVICE_SAMPLE)
    return bool(_DEVICE.match(path))


def write_class(path: str, cwd_known: bool) -> tuple[WriteClass, str] | None:
    """What writing to (or deleting) ``path`` touches: the class and a description."""
    if path.startswith("/dev/"):
        if is_device(path):
            return "device", f"the device {path}"
        return None
    if path == "/proc/sysrq-trigger":
        return "sysrq", "the kernel's SysRq trigger"
    if path in CRITICAL:
        return "critical", CRITICAL[path]
    if path.startswith(_CRITICAL_UNDER):
        return "critical", f"the boot loader file {path}"
    if path.startswith("/etc/sudoers.d/") or path == "/etc/sudoers.d":
        return "sudoers", f"the sudo rules file {path}"
    if path in _RC_SYSTEM or path.startswith(_RC_SYSTEM_UNDER):
        return "rc", f"the shell start-up file {path}"
    if path in _CRON or path.startswith(_CRON_UNDER):
        return "cron", f"the cron file {path}"
    if path.startswith("/etc/ssh/"):
        return "ssh", f"the SSH configuration {path}"
    rel = home_relative(path)
    shown = display(path)
    if rel is not None:
        if rel in RC_HOME or rel.startswith(_RC_HOME_UNDER):
            return "rc", f"the shell start-up file {shown}"
        if rel == ".ssh" or rel.startswith(".ssh/"):
            return "ssh", f"the SSH file {shown}"
        if rel == ".hermes" or rel.startswith(".hermes/"):
            return "hermes", f"hermes's own file {shown}"
        if rel in _HISTORY:
            return "history", f"the shell history {shown}"
        if (rel.startswith(".") and "/" not in rel and rel not in (".", "..")) or rel.startswith(_CREDENTIAL_UNDER):
            return "dotfile", f"{shown}"
    if path.startswith(_SYSTEM_UNDER):
        return "system", f"the system file {path}"
    if not path.startswith("/") and not cwd_known and "/" not in path and path in RC_HOME:
        return "rc", f"{path} (the shell start-up file, if this runs in the home folder)"
    return None
