"""Rules for git commands that lose work: force pushes, hard resets, cleans, discarded
changes, deleted branches and stashes, rewritten history."""

from __future__ import annotations

import re

from ._context import RuleContext
from ._options import Parsed, parse_options
from ._records import Arg, Invocation

# git's own options before the sub-command that take a value.
_GLOBAL_VALUE = frozenset({"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path",
                           "--super-prefix", "--config-env", "--list-cmds"})
#: Paths that stand for a whole tree in checkout/restore.
_WHOLE_TREE = re.compile(r"^(\.|\./|\*|:/|:/\*|:\(top\).*|:\(glob\)\*\*.*|\*\*|\.\*|.*/|\.\./?)$")


def split_git(args: tuple[Arg, ...]) -> tuple[str | None, tuple[Arg, ...]]:
    """(sub-command, its arguments) after git's global options."""
    i = 0
    while i < len(args):
        text = args[i].text
        if text in _GLOBAL_VALUE:
            i += 2
        elif text.startswith("-"):
            i += 1
        else:
            return text, args[i + 1:]
    return None, ()


def _push(args: tuple[Arg, ...], ctx: RuleContext) -> None:
    p = parse_options(args, takes_value=("-o", "--push-option", "--repo", "--receive-pack", "--exec"))
    operands = [a.text for a in p.operands]
    remote = operands[0] if operands else "the default remote"
    refs = operands[1:]
    target = f"{remote} {' '.join(refs)}".strip()
    forced = p.has("-f", "--force", "--mirror") or any(name.startswith("--force-with-lease") for name, _ in p.options)
    plus = [r for r in refs if r.startswith("+")]
    if forced or plus:
        how = "--mirror" if p.has("--mirror") else ("+refspec" if plus and not forced else "force")
        ctx.emit("git-force-push", f"{how} push to {target}, overwriting the remote history")
    deleted = [r for r in refs if r.startswith(":") and len(r) > 1]
    if p.has("-d", "--delete") or deleted:
        names = ", ".join(r.lstrip(":") for r in (deleted or refs)) or "branches"
        ctx.emit("git-push-delete", f"deletes {names} on {remote}")
    if p.has("--prune"):
        ctx.emit("git-push-delete", f"deletes remote branches on {remote} that do not exist locally (--prune)")


def _whole_tree(paths: list[str]) -> list[str]:
    return [path for path in paths if _WHOLE_TREE.match(path)]


def _checkout(args: tuple[Arg, ...], ctx: RuleContext) -> None:
    p = parse_options(args, takes_value=("-b", "-B", "--orphan", "--conflict", "--pathspec-from-file"))
    if p.has("-f", "--force"):
        ctx.emit("git-discard-changes", "git checkout --force discards every uncommitted change")
        return
    raw = [a.text for a in args]
    if "--" in raw:
        paths = raw[raw.index("--") + 1:]
    else:
        paths = [a.text for a in p.operands]
    broad = _whole_tree(paths)
    if broad:
        ctx.emit("git-discard-changes", f"git checkout {' '.join(broad)} discards uncommitted changes in the "
                                        f"whole tree")


def _restore(args: tuple[Arg, ...], ctx: RuleContext) -> None:
    p = parse_options(args, takes_value=("-s", "--source", "--pathspec-from-file", "--conflict"))
    staged_only = p.has("-S", "--staged") and not p.has("-W", "--worktree")
    if staged_only:
        return
    broad = _whole_tree([a.text for a in p.operands])
    if broad:
        ctx.emit("git-discard-changes", f"git restore {' '.join(broad)} discards uncommitted changes in the "
                                        f"whole tree")


def _reset(p: Parsed, ctx: RuleContext) -> None:
    if p.has("--hard"):
        target = p.operands[0].text if p.operands else "HEAD"
        ctx.emit("git-reset-hard", f"git reset --hard {target} discards uncommitted work")


def _clean(p: Parsed, ctx: RuleContext) -> None:
    if p.has("-n", "--dry-run") or not p.has("-f", "--force"):
        return
    extra = " and ignored files (-x)" if p.has("-x", "-X") else ""
    dirs = " and folders" if p.has("-d") else ""
    ctx.emit("git-clean", f"git clean deletes untracked files{dirs}{extra}")


def _branch(p: Parsed, ctx: RuleContext) -> None:
    forced = p.has("-D") or (p.has("-d", "--delete") and p.has("-f", "--force"))
    if forced:
        names = " ".join(a.text for a in p.operands) or "branches"
        ctx.emit("git-branch-force-delete", f"force-deletes the branch {names}, merged or not")


def _stash(p: Parsed, ctx: RuleContext) -> None:
    if not p.operands:
        return
    verb = p.operands[0].text
    if verb == "clear":
        ctx.emit("git-stash-discard", "git stash clear deletes every stash")
    elif verb == "drop":
        which = p.operands[1].text if len(p.operands) > 1 else "the latest stash"
        ctx.emit("git-stash-discard", f"git stash drop deletes {which}")


def git(inv: Invocation, ctx: RuleContext) -> None:
    """git sub-commands that lose work (see the module docstring)."""
    sub, args = split_git(inv.args)
    if sub is None:
        return
    if sub == "push":
        _push(args, ctx)
    elif sub == "checkout":
        _checkout(args, ctx)
    elif sub == "restore":
        _restore(args, ctx)
    elif sub == "switch":
        if any(a.text in ("--discard-changes", "-f", "--force") for a in args):
            ctx.emit("git-discard-changes", "git switch --discard-changes throws away uncommitted changes")
    elif sub == "reset":
        _reset(parse_options(args), ctx)
    elif sub == "clean":
        _clean(parse_options(args, takes_value=("-e", "--exclude")), ctx)
    elif sub == "branch":
        _branch(parse_options(args), ctx)
    elif sub == "stash":
        _stash(parse_options(args), ctx)
    elif sub in ("filter-branch", "filter-repo"):
        ctx.emit("git-history-rewrite", f"git {sub} rewrites the repository's history")
    elif sub == "reflog" and args and args[0].text in ("expire", "delete"):
        if args[0].text == "delete" or any(re.match(r"--expire(-unreachable)?=(now|all|0)", a.text) for a in args):
            ctx.emit("git-history-rewrite", "git reflog expire/delete removes the safety net for lost commits")
    elif sub == "gc" and any(a.text in ("--prune=now", "--prune=all") for a in args):
        ctx.emit("git-history-rewrite", "git gc --prune=now deletes unreachable commits for good")


COMMANDS = {"git": (git,)}
