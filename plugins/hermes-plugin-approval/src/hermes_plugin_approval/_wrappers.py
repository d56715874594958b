"""Commands that run another command: ``sudo``, ``env``, ``nohup``, ``timeout``, ``ssh``...

Each is described by a :class:`WrapperSpec` (which options take a value, how many
positional words come before the command, which options carry a shell string), and
:func:`unwrap` returns the command inside, so the analyzer judges ``rm`` in
``sudo -u root nice -n 5 rm -rf /`` exactly as if it were typed alone.
"""

from __future__ import annotations

from types import MappingProxyType

from pydantic import BaseModel, ConfigDict

from ._records import Arg


class WrapperSpec(BaseModel):
    """How a wrapper command's own arguments look."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Options (short ``-u`` or long ``--user``) that take a value.
    values: frozenset[str] = frozenset()
    #: Positional words before the command (``timeout DURATION``, ``chroot DIR``).
    positionals: int = 0
    #: Options whose value is a shell command string (``su -c``, ``flock -c``).
    shell_options: frozenset[str] = frozenset()
    #: Options after which nothing runs (``command -v``, ``sudo -l``).
    stops: frozenset[str] = frozenset()
    #: The command words are joined and run by a shell (``watch``, ``ssh``).
    joins_as_shell: bool = False
    #: Only options carry a command (``su``: positional words are a user and arguments).
    options_only: bool = False
    #: Prefix for messages when the command runs elsewhere ("on host", "in container").
    where: str = ""


class Unwrapped(BaseModel):
    """What a wrapper runs: a command (``args``) and/or shell strings."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    args: tuple[Arg, ...] = ()
    shell: tuple[str, ...] = ()
    tainted: str | None = None
    where: str = ""
    env: tuple[tuple[str, str], ...] = ()
    cwd: str | None = None


def _spec(values: str = "", positionals: int = 0, shell_options: str = "", stops: str = "",
          joins_as_shell: bool = False, options_only: bool = False, where: str = "") -> WrapperSpec:
    return WrapperSpec(values=frozenset(values.split()), positionals=positionals,
                       shell_options=frozenset(shell_options.split()), stops=frozenset(stops.split()),
                       joins_as_shell=joins_as_shell, options_only=options_only, where=where)


WRAPPERS = MappingProxyType({
    "sudo": _spec("-u --user -g --group -C --close-from -D --chdir -h --host -p --prompt -r --role -t --type "
                  "-T --command-timeout -U --other-user", stops="-l --list -v --validate -V --version -e --edit -K "
                  "--remove-timestamp"),
    "doas": _spec("-u -C", stops="-C"),
    "pkexec": _spec("--user"),
    "su": _spec("-s --shell -g --group -G --supp-group -w --whitelist-environment",
                shell_options="-c --command --session-command", options_only=True),
    "runuser": _spec("-u --user -g --group -G --supp-group -s --shell -w --whitelist-environment",
                     shell_options="-c --command --session-command"),
    "nohup": _spec(),
    "nice": _spec("-n --adjustment"),
    "ionice": _spec("-c --class -n --classdata -p --pid -P --pgid -u --uid", stops="-p --pid -P --pgid -u --uid"),
    "timeout": _spec("-s --signal -k --kill-after", positionals=1),
    "gtimeout": _spec("-s --signal -k --kill-after", positionals=1),
    "time": _spec("-f --format -o --output"),
    "stdbuf": _spec("-i --input -o --output -e --error"),
    "command": _spec(stops="-v -V"),
    "builtin": _spec(),
    "exec": _spec("-a"),
    "setsid": _spec(),
    "chroot": _spec("--userspec --groups", positionals=1),
    "flock": _spec("-w --timeout -E --conflict-exit-code", positionals=1, shell_options="-c --command"),
    "taskset": _spec(positionals=1, stops="-p --pid"),
    "chrt": _spec(positionals=1, stops="-p --pid"),
    "unbuffer": _spec(),
    "firejail": _spec(),
    "fakeroot": _spec("-l --lib --faked -s -i"),
    "proxychains": _spec("-f"),
    "proxychains4": _spec("-f"),
    "torsocks": _spec("-u -p -a -P"),
    "catchsegv": _spec(),
    "strace": _spec("-o -e -p -s -P -E -u -a -b -I -O -S -X"),
    "ltrace": _spec("-o -e -p -s -u -a -n"),
    "valgrind": _spec(),
    "nsenter": _spec("-t --target -S --setuid -G --setgid --wd -w"),
    "unshare": _spec("--map-user --map-group --propagation --setgroups"),
    "systemd-run": _spec("-u --unit -p --property -E --setenv -M --machine -H --host --description --slice "
                         "--uid --gid --nice --working-directory -d --on-calendar --on-active --on-boot"),
    "numactl": _spec("-C --physcpubind -N --cpunodebind -m --membind -p --preferred -i --interleave"),
    "prlimit": _spec("-p --pid"),
    "gosu": _spec(positionals=1),
    "su-exec": _spec(positionals=1),
    "sg": _spec(positionals=1, shell_options="-c", joins_as_shell=True),
    "script": _spec("-T --log-timing -I --log-in -O --log-out -B --log-io -E --echo -t", positionals=1,
                    shell_options="-c --command", options_only=True),
    "xvfb-run": _spec("-n --server-num -s --server-args -f --auth-file -e --error-file -p --xauth-protocol"),
    "dbus-run-session": _spec(),
    "caffeinate": _spec("-t -w"),
    "watch": _spec("-n --interval -d --differences -q", joins_as_shell=True, stops="-v --version -h --help"),
    "busybox": _spec(),
    "toybox": _spec(),
    "ssh": _spec("-b -c -D -E -e -F -I -i -J -L -l -m -O -o -p -Q -R -S -W -w -B", positionals=1,
                 joins_as_shell=True, stops="-V -G", where="on host"),
})


def unwrap(name: str, args: tuple[Arg, ...]) -> Unwrapped | None:
    """The command ``name args`` runs, or None when it runs nothing."""
    spec = WRAPPERS[name]
    env: list[tuple[str, str]] = []
    shell: list[str] = []
    tainted = None
    i = 0
    n = len(args)
    while i < n:
        arg = args[i]
        text = arg.text
        if text == "--" and not arg.dynamic:
            i += 1
            break
        if arg.dynamic or len(text) < 2 or not text.startswith("-"):
            break
        i += 1
        if text.startswith("--"):
            option, eq, value = text.partition("=")
            if option in spec.stops:
                return None
            if option in spec.shell_options:
                if not eq and i < n:
                    value, tainted = args[i].text, args[i].taint or tainted
                    i += 1
                shell.append(value)
            elif option in spec.values and not eq:
                i += 1
            continue
        for k in range(1, len(text)):
            flag = "-" + text[k]
            if flag in spec.stops:
                return None
            if flag in spec.shell_options or flag in spec.values:
                attached = text[k + 1:]
                if not attached and i < n:
                    attached = args[i].text
                    if flag in spec.shell_options:
                        tainted = args[i].taint or tainted
                    i += 1
                if flag in spec.shell_options:
                    shell.append(attached)
                break
    if name == "sudo" or name == "doas" or name == "env":
        while i < n and "=" in args[i].text and args[i].text.split("=", 1)[0].isidentifier():
            key, _, value = args[i].text.partition("=")
            env.append((key, value))
            i += 1
    rest = args[i:]
    if spec.shell_options and not shell:
        # su and flock accept their -c after positional words (su root -c ..., flock FILE -c ...)
        for k, arg in enumerate(rest[:3]):
            option, eq, value = arg.text.partition("=")
            if arg.text in spec.shell_options and k + 1 < len(rest):
                shell.append(rest[k + 1].text)
                tainted = rest[k + 1].taint or tainted
                rest = rest[:k]
                break
            if eq and option in spec.shell_options:
                shell.append(value)
                rest = rest[:k]
                break
    if spec.options_only:
        return Unwrapped(shell=tuple(shell), tainted=tainted, env=tuple(env)) if shell else None
    where = ""
    if spec.positionals:
        if len(rest) < spec.positionals:
            return Unwrapped(shell=tuple(shell), tainted=tainted) if shell else None
        if spec.where:
            where = f" {spec.where} {rest[0].text}"
        rest = rest[spec.positionals:]
    tainted = tainted or next((a.taint for a in rest if a.taint), None)
    if spec.joins_as_shell and rest:
        if name == "watch" and any(a.text in ("-x", "--exec") for a in args[:i]):
            return Unwrapped(args=rest, shell=tuple(shell), tainted=tainted, where=where)
        shell.append(" ".join(a.text for a in rest))
        return Unwrapped(shell=tuple(shell), tainted=tainted, where=where, env=tuple(env))
    return Unwrapped(args=rest, shell=tuple(shell), tainted=tainted, where=where, env=tuple(env))


def unwrap_env(args: tuple[Arg, ...]) -> Unwrapped | None:
    """``env [-i] [-u NAME] [-C DIR] [-S STRING] [NAME=VALUE]... [COMMAND [ARG]...]``."""
    i = 0
    n = len(args)
    env: list[tuple[str, str]] = []
    shell: list[str] = []
    cwd = None
    while i < n:
        text = args[i].text
        if text == "--":
            i += 1
            break
        if text in ("-u", "--unset", "-C", "--chdir"):
            if text in ("-C", "--chdir") and i + 1 < n:
                cwd = args[i + 1].text
            i += 2
            continue
        if text.startswith(("--unset=", "--chdir=")):
            if text.startswith("--chdir="):
                cwd = text.split("=", 1)[1]
            i += 1
            continue
        if text in ("-S", "--split-string") and i + 1 < n:
            shell.append(" ".join(a.text for a in args[i + 1:]))
            return Unwrapped(shell=tuple(shell), env=tuple(env), cwd=cwd)
        if text.startswith("-S") and len(text) > 2:
            shell.append(" ".join([text[2:], *(a.text for a in args[i + 1:])]))
            return Unwrapped(shell=tuple(shell), env=tuple(env), cwd=cwd)
        if text.startswith("--split-string="):
            shell.append(" ".join([text.split("=", 1)[1], *(a.text for a in args[i + 1:])]))
            return Unwrapped(shell=tuple(shell), env=tuple(env), cwd=cwd)
        if text.startswith("-") and len(text) > 1 and not args[i].dynamic:
            i += 1
            continue
        break
    while i < n and "=" in args[i].text and args[i].text.split("=", 1)[0].isidentifier():
        key, _, value = args[i].text.partition("=")
        env.append((key, value))
        i += 1
    rest = args[i:]
    if not rest:
        return None
    return Unwrapped(args=rest, env=tuple(env), cwd=cwd, tainted=next((a.taint for a in rest if a.taint), None))
