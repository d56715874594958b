"""What a rule gets to work with: the invocation, the shell state, and ways to report.

Rules do not build findings themselves: they ``emit`` a rule id and a message, and call
``delete``/``write`` for paths, so the judgement of what a path means lives in one place
(:mod:`._paths`) and every rule says the same thing about the same folder.
"""

from __future__ import annotations

from typing import Literal

from hermes_core.types import Finding, Verdict

from ._paths import deletion_scope, display, has_glob, is_device, normalize, write_class
from ._records import Arg, Invocation, ShellState, Stream
from .rules import RULES_BY_ID

WriteMode = Literal["overwrite", "append", "edit", "delete"]

_EXCERPT = 200
MAX_PER_RULE = 5
_SCOPE_RULE = {"root": "delete-root", "system": "delete-system-dir", "home": "delete-home"}
_VERB = {"overwrite": "overwrites", "append": "appends to", "edit": "edits in place", "delete": "deletes"}
#: Under a recursive delete, the classes of folders worth their own finding (deleting
#: ~/.ssh is an SSH change, not just a recursive delete).
_TREE_CLASSES = frozenset({"rc", "ssh", "hermes", "cron", "sudoers"})
_EVERY_FILE_SAMPLE = ("main.py", "README.md", "src", "Makefile", "notes.txt")


class Findings:
    """Collects findings for one scan, without duplicates."""

    def __init__(self) -> None:
        self.items: list[Finding] = []
        self._seen: set[tuple[str, str]] = set()
        self._per_rule: dict[str, int] = {}

    def add(self, rule_id: str, message: str, excerpt: str = "") -> None:
        """Record a finding for ``rule_id`` (once per rule and message, and at most
        ``MAX_PER_RULE`` per rule: the verdict is the same, and the approval prompt stays
        readable when a command touches hundreds of paths)."""
        key = (rule_id, message)
        if key in self._seen or self._per_rule.get(rule_id, 0) >= MAX_PER_RULE:
            return
        self._seen.add(key)
        self._per_rule[rule_id] = self._per_rule.get(rule_id, 0) + 1
        rule = RULES_BY_ID[rule_id]
        excerpt = " ".join(excerpt.split())
        if len(excerpt) > _EXCERPT:
            excerpt = excerpt[: _EXCERPT - 1] + "…"
        self.items.append(Finding(rule=rule_id, message=message, severity=rule.severity,
                                  excerpt=excerpt, verdict=rule.verdict))

    def verdict(self) -> Verdict:
        """The most severe verdict among the findings."""
        worst = Verdict.ALLOW
        for finding in self.items:
            if finding.verdict.rank > worst.rank:
                worst = finding.verdict
        return worst

    def has(self, verdict: Verdict) -> bool:
        """Whether any finding has ``verdict``."""
        return any(f.verdict == verdict for f in self.items)


class RuleContext:
    """Handed to every rule function with the invocation it judges."""

    def __init__(self, findings: Findings, state: ShellState, inv: Invocation, stdin: Stream | None = None) -> None:
        self.findings = findings
        self.state = state
        self.inv = inv
        #: What the command reads on standard input, when known (database clients).
        self.stdin = stdin

    def emit(self, rule_id: str, message: str) -> None:
        """Report ``rule_id`` with a message saying what the command would do."""
        self.findings.add(rule_id, message + self.inv.where, self.inv.excerpt)

    # -- paths --------------------------------------------------------------------------

    def path(self, arg: Arg) -> str:
        """``arg`` normalized as a path (see :func:`._paths.normalize`)."""
        return normalize(arg.text, self.state.cwd)

    def shown(self, arg: Arg) -> str:
        """``arg`` as a path for messages (``~/x``, or as written when relative)."""
        path = self.path(arg)
        return display(path) if path.startswith("/") else arg.text

    def _empty_note(self, arg: Arg) -> str:
        """For a path with unknown parts: what it becomes if they are empty, when that is
        a disaster (``$DIR/`` -> ``/``)."""
        if not arg.dynamic:
            return ""
        bare = arg.bare
        if not bare:
            return ""
        scope = deletion_scope(normalize(bare, self.state.cwd))
        if scope is None:
            return ""
        return f" (that is {scope[1]} if the unknown part is empty)"

    def delete(self, arg: Arg, *, recursive: bool, verb: str | None = None) -> None:
        """Judge deleting ``arg`` (recursively: the folder and everything in it)."""
        path = self.path(arg)
        if recursive:
            scope = deletion_scope(path)
            if scope is not None:
                kind, what = scope
                self.emit(_SCOPE_RULE[kind], f"{verb or 'recursive delete of'} {what}")
                return
            self.emit("recursive-delete", f"{verb or 'recursive delete of'} {self.shown(arg)}{self._empty_note(arg)}")
            self.write(arg, "delete", only=_TREE_CLASSES)
            return
        last = path.rsplit("/", 1)[-1]
        if has_glob(last) and (last == "*" or len(_glob_hits(last)) >= 2):
            scope = deletion_scope(path)
            if scope is not None:
                kind, what = scope
                self.emit(_SCOPE_RULE[kind], f"{verb or 'delete of'} {what}")
                return
            folder = path.rsplit("/", 1)[0] if "/" in path else ""
            where = display(folder) if folder.startswith("/") else (folder or "the current folder")
            self.emit("delete-glob", f"deletes every file in {where}")
        self.write(arg, "delete", verb=verb)

    def write(self, arg: Arg, mode: WriteMode, *, verb: str | None = None,
              only: frozenset[str] | None = None) -> None:
        """Judge writing to ``arg`` (or deleting it, for ``mode="delete"``); ``only``
        limits the judgement to some classes of paths."""
        path = self.path(arg)
        judged = write_class(path, self.state.cwd is not None)
        if judged is None and arg.dynamic and path.startswith("/dev/") and not is_device(path):
            judged = ("device", f"the device {path}") if _maybe_device(path) else None
        if judged is None or (only is not None and judged[0] not in only):
            return
        kind, what = judged
        action = verb or _VERB[mode]
        if kind == "device":
            if mode == "delete":
                self.emit("system-file-write", f"{action} the device node {path}")
            else:
                self.emit("write-block-device", f"writes to {what}, destroying the data on it")
        elif kind == "sysrq":
            self.emit("shutdown", "writes to the kernel's SysRq trigger (it can reboot or crash the machine)")
        elif kind == "critical":
            if mode in ("overwrite", "delete"):
                self.emit("overwrite-system-file", f"{action} {what}")
            elif path == "/etc/sudoers":
                self.emit("sudoers-edit", f"{action} {what}")
            else:
                self.emit("system-file-write", f"{action} {what}")
        elif kind == "history":
            if mode in ("overwrite", "delete"):
                self.emit("history-clear", f"{action} {what}")
        elif kind == "dotfile":
            if mode in ("overwrite", "delete"):
                self.emit("overwrite-dotfile", f"{action} {what}")
        else:
            rule = {"sudoers": "sudoers-edit", "rc": "shell-rc-write", "ssh": "ssh-config-write",
                    "hermes": "hermes-state-write", "cron": "crontab-edit", "system": "system-file-write"}[kind]
            self.emit(rule, f"{action} {what}")


def _glob_hits(component: str) -> list[str]:
    import fnmatch

    return [s for s in _EVERY_FILE_SAMPLE if fnmatch.fnmatchcase(s, component)]


def _maybe_device(path: str) -> bool:
    """``/dev/$DISK``: a device whose name is only known at run time."""
    return "$" in path and not path.startswith(("/dev/fd/", "/dev/pts/", "/dev/shm/"))
