"""Rules for the machine itself: disks, power, processes, services, users, firewall,
packages, cron and shell history."""

from __future__ import annotations

import re

from ._context import RuleContext
from ._options import parse_options
from ._paths import is_device, normalize
from ._records import Arg, Invocation


def _device_targets(inv: Invocation, ctx: RuleContext) -> tuple[list[str], list[Arg]]:
    """(device paths, operands only known at run time) among the arguments."""
    devices, unknown = [], []
    for arg in inv.args:
        path = ctx.path(arg)
        if path.startswith("/dev/") and (is_device(path) or arg.dynamic):
            devices.append(path)
        elif arg.dynamic and not arg.text.startswith("-"):
            unknown.append(arg)
    return devices, unknown


# -- disks ----------------------------------------------------------------------------------


def mkfs(inv: Invocation, ctx: RuleContext) -> None:
    """mkfs/mkswap onto devices (or onto a target only known at run time)."""
    devices, unknown = _device_targets(inv, ctx)
    if any(a.text in ("-V", "--version", "--help", "-h") for a in inv.args) and not devices:
        return
    what = "a swap area" if inv.name == "mkswap" else "a new file system"
    for device in devices:
        ctx.emit("format-device", f"writes {what} onto {device}, erasing it")
    for arg in unknown:
        ctx.emit("disk-change", f"writes {what} onto {arg.text}, a target only known at run time")


def wipefs(inv: Invocation, ctx: RuleContext) -> None:
    """``wipefs -a`` on devices."""
    p = parse_options(inv.args, takes_value=("-o", "--offset", "-t", "--types", "-b", "--backup"))
    if not p.has("-a", "--all", "-o", "--offset") or p.has("-n", "--no-act"):
        return
    for device in _device_targets(inv, ctx)[0]:
        ctx.emit("format-device", f"erases the file system signatures on {device}")


def erase_device(inv: Invocation, ctx: RuleContext) -> None:
    """blkdiscard, nvme format, hdparm --security-erase, badblocks -w, sgdisk --zap-all,
    cryptsetup luksFormat/erase: whole-device erasure."""
    words = {a.text for a in inv.args}
    if inv.name == "badblocks" and not words & {"-w"}:
        return
    if inv.name == "hdparm" and not any(w.startswith(("--security-erase", "--trim-sector")) for w in words):
        return
    if inv.name == "nvme" and not words & {"format", "sanitize"}:
        return
    if inv.name == "cryptsetup" and not words & {"luksFormat", "erase", "luksErase", "reencrypt"}:
        return
    if inv.name == "sgdisk" and not words & {"-Z", "--zap-all", "-z", "--zap", "-o", "--clear"}:
        partition_tool(inv, ctx)
        return
    for device in _device_targets(inv, ctx)[0]:
        ctx.emit("format-device", f"erases the device {device} ({inv.name})")


_LISTING = frozenset({"-l", "--list", "-d", "--dump", "-s", "--show-size", "-p", "--print", "-L", "-V",
                      "--version", "-h", "--help", "print", "-g", "--show-geometry", "--verify", "-v"})


def partition_tool(inv: Invocation, ctx: RuleContext) -> None:
    """fdisk, sfdisk, parted, gdisk...: changing partition tables (listing is fine)."""
    words = [a.text for a in inv.args]
    devices = _device_targets(inv, ctx)[0]
    if not devices:
        return
    if inv.name == "parted" and any(w in ("mklabel", "mktable") for w in words):
        for device in devices:
            ctx.emit("format-device", f"writes a new, empty partition table onto {device}")
        return
    actions = [w for w in words if not w.startswith("/dev/") and w not in _LISTING and not w.startswith("-")]
    listing = any(w in _LISTING for w in words)
    if listing and not actions:
        return
    for device in devices:
        ctx.emit("disk-change", f"changes the partition table of {device} ({inv.name})")


def mount(inv: Invocation, ctx: RuleContext) -> None:
    """mount/umount, other than listing."""
    p = parse_options(inv.args, takes_value=("-t", "--types", "-o", "--options", "-O", "--test-opts", "-L",
                                             "--label", "-U", "--uuid", "-N", "--namespace"))
    if inv.name == "mount" and not p.operands and not p.has("-a", "--all", "--bind", "--move", "-B", "-M"):
        return  # listing the mounts
    what = " ".join(a.text for a in p.operands) or "file systems"
    verb = "unmounts" if inv.name in ("umount", "unmount") else "mounts"
    ctx.emit("mount-change", f"{verb} {what}")


def swapoff(inv: Invocation, ctx: RuleContext) -> None:
    """``swapoff``."""
    ctx.emit("swap-off", "turns swap space off (" + (" ".join(a.text for a in inv.args) or "swapoff") + ")")


# -- power ------------------------------------------------------------------------------------

_HELP = frozenset({"--help", "-h", "--version", "-V"})


def shutdown(inv: Invocation, ctx: RuleContext) -> None:
    """shutdown, reboot, halt, poweroff (``shutdown -c`` cancels: fine)."""
    words = {a.text for a in inv.args}
    if inv.name == "shutdown" and words & {"-c", "--help", "-k"}:
        return
    if inv.name != "shutdown" and words & _HELP:
        return
    verb = {"reboot": "reboots", "halt": "halts", "poweroff": "powers off"}.get(inv.name, "shuts down")
    if inv.name == "shutdown" and words & {"-r", "--reboot"}:
        verb = "reboots"
    ctx.emit("shutdown", f"{verb} the machine")


def init(inv: Invocation, ctx: RuleContext) -> None:
    """``init 0|6`` (power), ``init 1`` (single-user mode)."""
    words = [a.text for a in inv.args]
    if words and words[0] in ("0", "6"):
        ctx.emit("shutdown", f"{'reboots' if words[0] == '6' else 'shuts down'} the machine ({inv.name} {words[0]})")
    elif words and words[0] in ("1", "s", "S", "single"):
        ctx.emit("service-stop", f"switches to single-user mode ({inv.name} {words[0]}), stopping services")


def kexec(inv: Invocation, ctx: RuleContext) -> None:
    """``kexec -e``: reboot into another kernel."""
    if any(a.text in ("-e", "--exec") for a in inv.args):
        ctx.emit("shutdown", "reboots straight into another kernel (kexec -e)")


_SYSTEMCTL_VALUE = ("-H", "--host", "-M", "--machine", "-t", "--type", "-s", "--signal", "-p", "--property",
                    "-o", "--output", "-n", "--lines", "--root", "--kill-whom", "--kill-value", "--job-mode",
                    "--state", "--what", "--when", "--timestamp", "--boot-loader-entry", "--reboot-argument")


def systemctl(inv: Invocation, ctx: RuleContext) -> None:
    """systemctl power verbs (hardline), sleep, and stopping services."""
    p = parse_options(inv.args, takes_value=_SYSTEMCTL_VALUE)
    if not p.operands:
        return
    verb = p.operands[0].text
    units = [a.text for a in p.operands[1:]]
    if verb in ("poweroff", "reboot", "halt", "kexec", "soft-reboot") or (
        verb in ("start", "isolate") and any(u.startswith(("poweroff.", "reboot.", "halt.", "kexec.")) for u in units)
    ):
        ctx.emit("shutdown", f"{'reboots' if 'reboot' in verb + ' '.join(units) else 'shuts down'} the machine "
                             f"(systemctl {' '.join([verb, *units])})")
    elif verb in ("suspend", "hibernate", "hybrid-sleep", "suspend-then-hibernate", "sleep"):
        ctx.emit("power-suspend", f"puts the machine to sleep (systemctl {verb})")
    elif verb in ("stop", "disable", "mask", "kill", "isolate", "rescue", "emergency", "freeze"):
        what = ", ".join(units) if units else "the system"
        ctx.emit("service-stop", f"{verb}s {what}" if verb not in ("rescue", "emergency") else
                 f"switches the machine to {verb} mode")


def loginctl(inv: Invocation, ctx: RuleContext) -> None:
    """loginctl power verbs and ending sessions."""
    words = [a.text for a in inv.args if not a.text.startswith("-")]
    if words and words[0] in ("poweroff", "reboot", "halt"):
        ctx.emit("shutdown", f"{'reboots' if words[0] == 'reboot' else 'shuts down'} the machine (loginctl)")
    elif words and words[0] in ("suspend", "hibernate"):
        ctx.emit("power-suspend", f"puts the machine to sleep (loginctl {words[0]})")
    elif words and words[0] in ("terminate-user", "kill-user", "terminate-session", "kill-session"):
        ctx.emit("kill-process", f"ends login sessions (loginctl {' '.join(words)})")


def suspend(inv: Invocation, ctx: RuleContext) -> None:
    """pm-suspend / pm-hibernate."""
    ctx.emit("power-suspend", f"puts the machine to sleep ({inv.name})")


# -- services ---------------------------------------------------------------------------------


def service(inv: Invocation, ctx: RuleContext) -> None:
    """``service NAME stop`` and alike."""
    words = [a.text for a in inv.args]
    if len(words) >= 2 and words[1] in ("stop", "disable", "force-stop", "kill"):
        ctx.emit("service-stop", f"{words[1]}s the service {words[0]}")
    elif inv.name == "rc-service" and len(words) >= 2 and words[-1] == "stop":
        ctx.emit("service-stop", f"stops the service {words[0]}")


def launchctl(inv: Invocation, ctx: RuleContext) -> None:
    """launchctl unloading or stopping services."""
    words = [a.text for a in inv.args]
    if words and words[0] in ("unload", "bootout", "disable", "remove", "kill", "stop"):
        ctx.emit("service-stop", f"{words[0]}s {' '.join(words[1:]) or 'a service'} (launchctl)")


# -- processes --------------------------------------------------------------------------------

_SIGNAL_NAMES = {"1": "HUP", "2": "INT", "3": "QUIT", "6": "ABRT", "9": "KILL", "15": "TERM", "19": "STOP"}
_SPECIAL_PIDS = {"1": "init (PID 1)", "-1": "every process it may signal (PID -1)", "0": "its whole process group"}


def kill(inv: Invocation, ctx: RuleContext) -> None:
    """``kill`` with SIGKILL, or aimed at PID 1, -1 or 0."""
    signal: str | None = None
    pids: list[str] = []
    args = [a.text for a in inv.args]
    i = 0
    while i < len(args):
        text = args[i]
        i += 1
        if text in ("-l", "-L", "--list", "--table") or text.startswith("--list"):
            return
        if text == "--":
            pids.extend(args[i:])
            break
        if text in ("-s", "-n", "--signal") and i < len(args):
            signal = args[i]
            i += 1
        elif text.startswith("--signal="):
            signal = text.split("=", 1)[1]
        elif signal is None and not pids and re.fullmatch(r"-(\d+|[A-Za-z][A-Za-z0-9+]*)", text):
            signal = text[1:]
        else:
            pids.append(text)
    name = (signal or "TERM").upper().removeprefix("SIG")
    name = _SIGNAL_NAMES.get(name, name)
    if name == "0":
        return
    forced = name == "KILL"
    special = [_SPECIAL_PIDS[p] for p in pids if p in _SPECIAL_PIDS]
    if special:
        ctx.emit("kill-process", f"sends SIG{name} to {', '.join(special)}")
    elif forced:
        ctx.emit("kill-process", f"force-kills (SIGKILL) {' '.join(pids) or 'processes'}")


def pkill(inv: Invocation, ctx: RuleContext) -> None:
    """pkill/killall: killing by name."""
    words = [a.text for a in inv.args]
    if words and words[0] in ("-l", "--list", "-L", "--help", "-V", "--version"):
        return
    targets = [w for w in words if not w.startswith("-")]
    ctx.emit("kill-process", f"kills every process matching {' '.join(targets) or 'the pattern'} ({inv.name})")


# -- users, firewall ----------------------------------------------------------------------------


def user_account(inv: Invocation, ctx: RuleContext) -> None:
    """useradd, userdel, usermod, passwd, chpasswd..."""
    words = [a.text for a in inv.args]
    if inv.name == "passwd" and words and words[0] in ("-S", "--status"):
        return
    if inv.name == "chage" and words and words[0] in ("-l", "--list"):
        return
    target = next((w for w in reversed(words) if not w.startswith("-")), "")
    ctx.emit("user-account-change", f"changes user accounts ({inv.name} {target})".replace(" )", ")"))


def iptables(inv: Invocation, ctx: RuleContext) -> None:
    """iptables -F/-X/-P ACCEPT."""
    words = [a.text for a in inv.args]
    for k, word in enumerate(words):
        if word in ("-F", "--flush") or re.fullmatch(r"-[a-zA-Z]*F", word):
            ctx.emit("firewall-disable", f"flushes the {inv.name} rules")
        elif word in ("-X", "--delete-chain"):
            ctx.emit("firewall-disable", f"deletes {inv.name} chains")
        elif word in ("-P", "--policy") and k + 2 < len(words) and words[k + 2].upper() == "ACCEPT":
            ctx.emit("firewall-disable", f"sets the {words[k + 1]} policy to ACCEPT ({inv.name})")


def nft(inv: Invocation, ctx: RuleContext) -> None:
    """``nft flush ruleset``, deleting tables."""
    words = [a.text for a in inv.args if not a.text.startswith("-")]
    if words[:2] in (["flush", "ruleset"], ["flush", "table"], ["delete", "table"]):
        ctx.emit("firewall-disable", f"removes firewall rules (nft {' '.join(words[:3])})")


def ufw(inv: Invocation, ctx: RuleContext) -> None:
    """``ufw disable``/``reset``."""
    words = [a.text for a in inv.args if not a.text.startswith("-")]
    if words and words[0] in ("disable", "reset"):
        ctx.emit("firewall-disable", f"{words[0]}s the ufw firewall")


def pfctl(inv: Invocation, ctx: RuleContext) -> None:
    """``pfctl -d``."""
    if any(a.text == "-d" for a in inv.args):
        ctx.emit("firewall-disable", "disables the pf firewall")


# -- packages -----------------------------------------------------------------------------------

_REMOVE_VERBS = {
    "apt": {"remove", "purge", "autoremove", "autopurge"},
    "apt-get": {"remove", "purge", "autoremove", "autopurge"},
    "aptitude": {"remove", "purge"},
    "yum": {"remove", "erase", "autoremove"},
    "dnf": {"remove", "erase", "autoremove"},
    "microdnf": {"remove"},
    "zypper": {"remove", "rm"},
    "apk": {"del"},
    "snap": {"remove"},
    "flatpak": {"uninstall", "remove"},
    "brew": {"uninstall", "remove", "rm", "autoremove"},
    "port": {"uninstall"},
    "pip": {"uninstall"},
    "pipx": {"uninstall", "uninstall-all"},
    "conda": {"remove", "uninstall"},
    "mamba": {"remove", "uninstall"},
    "gem": {"uninstall"},
    "cargo": {"uninstall"},
}
_NPM_REMOVE = {"uninstall", "remove", "rm", "un", "r", "unlink"}


def package_remove(inv: Invocation, ctx: RuleContext) -> None:
    """Removing packages with system and language package managers."""
    words = [a.text for a in inv.args]
    plain = [w for w in words if not w.startswith("-")]
    name = inv.name
    if name in ("npm", "pnpm", "yarn", "bun"):
        global_ = any(w in ("-g", "--global", "--location=global") for w in words)
        if name == "yarn" and plain[:1] == ["global"]:
            global_, plain = True, plain[1:]
        if global_ and plain and plain[0] in _NPM_REMOVE:
            ctx.emit("package-remove", f"uninstalls global {name} packages: {' '.join(plain[1:])}".rstrip(": "))
        return
    if name == "uv":
        if plain[:2] in (["pip", "uninstall"], ["tool", "uninstall"]):
            ctx.emit("package-remove", f"uninstalls Python packages: {' '.join(plain[2:])}".rstrip(": "))
        return
    if name == "dpkg":
        if any(w in ("-r", "-P", "--remove", "--purge") for w in words):
            ctx.emit("package-remove", f"removes system packages: {' '.join(plain)}".rstrip(": "))
        return
    if name == "pacman":
        if any(re.fullmatch(r"-R[a-zA-Z]*", w) or w == "--remove" for w in words):
            ctx.emit("package-remove", f"removes system packages: {' '.join(plain)}".rstrip(": "))
        return
    if name == "nix-env":
        if any(w in ("-e", "--uninstall") for w in words):
            ctx.emit("package-remove", f"uninstalls nix packages: {' '.join(plain)}".rstrip(": "))
        return
    verbs = _REMOVE_VERBS.get(name, set())
    verb = next((w for w in plain if w in verbs), None)
    if verb is not None:
        rest = [w for w in plain if w != verb]
        ctx.emit("package-remove", f"{verb} of {name} packages: {' '.join(rest)}".rstrip(": "))


# -- cron, history ------------------------------------------------------------------------------


def crontab(inv: Invocation, ctx: RuleContext) -> None:
    """crontab -r/-e or installing a crontab (listing is fine)."""
    p = parse_options(inv.args, takes_value=("-u",))
    whose = f"{p.value('-u')}'s crontab" if p.has("-u") else "your crontab"
    if p.has("-r"):
        ctx.emit("crontab-edit", f"removes {whose}")
    elif p.has("-e"):
        ctx.emit("crontab-edit", f"edits {whose}")
    elif p.has("-l") or p.has("-T"):
        return
    elif p.operands or not p.options:
        source = p.operands[0].text if p.operands else "standard input"
        ctx.emit("crontab-edit", f"replaces {whose} with {source}")


def history(inv: Invocation, ctx: RuleContext) -> None:
    """``history -c``/``-d``."""
    words = [a.text for a in inv.args]
    if any(w in ("-c", "-d") or re.fullmatch(r"-[a-z]*c[a-z]*", w) for w in words):
        ctx.emit("history-clear", "clears the shell history")


def set_builtin(inv: Invocation, ctx: RuleContext) -> None:
    """``set +o history``."""
    words = [a.text for a in inv.args]
    for k, word in enumerate(words[:-1]):
        if word == "+o" and words[k + 1] == "history":
            ctx.emit("history-clear", "turns shell history off (set +o history)")


def unset(inv: Invocation, ctx: RuleContext) -> None:
    """``unset HISTFILE`` and alike."""
    for arg in inv.args:
        if arg.text in ("HISTFILE", "HISTSIZE", "HISTFILESIZE"):
            ctx.emit("history-clear", f"turns shell history off (unset {arg.text})")


def history_variable(name: str, value: str, ctx: RuleContext) -> None:
    """``HISTFILE=/dev/null``, ``HISTSIZE=0``: called for every assignment."""
    if name == "HISTFILE" and (value in ("", "/dev/null") or normalize(value) == "/dev/null"):
        ctx.emit("history-clear", f"turns shell history off (HISTFILE={value})")
    elif name in ("HISTSIZE", "HISTFILESIZE") and value.strip() == "0":
        ctx.emit("history-clear", f"turns shell history off ({name}=0)")


COMMANDS = {
    "mkfs": (mkfs,), "mke2fs": (mkfs,), "mkswap": (mkfs,), "mkdosfs": (mkfs,), "newfs": (mkfs,),
    "wipefs": (wipefs,),
    "blkdiscard": (erase_device,), "nvme": (erase_device,), "hdparm": (erase_device,), "badblocks": (erase_device,),
    "sgdisk": (erase_device,), "cryptsetup": (erase_device,),
    "fdisk": (partition_tool,), "sfdisk": (partition_tool,), "cfdisk": (partition_tool,), "gdisk": (partition_tool,),
    "cgdisk": (partition_tool,), "parted": (partition_tool,),
    "mount": (mount,), "umount": (mount,), "unmount": (mount,), "swapoff": (swapoff,),
    "shutdown": (shutdown,), "reboot": (shutdown,), "halt": (shutdown,), "poweroff": (shutdown,),
    "init": (init,), "telinit": (init,), "kexec": (kexec,), "systemctl": (systemctl,), "loginctl": (loginctl,),
    "pm-suspend": (suspend,), "pm-hibernate": (suspend,),
    "service": (service,), "rc-service": (service,), "launchctl": (launchctl,),
    "kill": (kill,), "pkill": (pkill,), "killall": (pkill,), "killall5": (pkill,), "skill": (pkill,),
    "slay": (pkill,),
    "useradd": (user_account,), "adduser": (user_account,), "userdel": (user_account,),
    "deluser": (user_account,), "usermod": (user_account,), "passwd": (user_account,),
    "chpasswd": (user_account,), "groupdel": (user_account,), "delgroup": (user_account,),
    "groupmod": (user_account,), "gpasswd": (user_account,), "vipw": (user_account,), "vigr": (user_account,),
    "chage": (user_account,), "chsh": (user_account,),
    "iptables": (iptables,), "ip6tables": (iptables,), "iptables-legacy": (iptables,), "iptables-nft": (iptables,),
    "nft": (nft,), "ufw": (ufw,), "pfctl": (pfctl,),
    "crontab": (crontab,), "history": (history,), "set": (set_builtin,), "unset": (unset,),
    **{name: (package_remove,) for name in
       [*_REMOVE_VERBS, "npm", "pnpm", "yarn", "bun", "uv", "dpkg", "pacman", "nix-env"]},
}
