"""The rule catalogue: every finding the scanner can report.

A rule's ``id`` is stable: the kernel builds the approval key from it
(``terminal:recursive-delete``), so users can put it in ``approvals.allow`` and a "this
session" answer covers every later command flagged by the same rules. ``block`` rules are
the hardline: the kernel refuses them even with ``approvals.mode: off``. ``ask`` rules go
to the approval gate.

The README's rule table is checked against this catalogue by a test.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Literal

from hermes_core.types import Verdict
from pydantic import BaseModel, ConfigDict


class Rule(BaseModel):
    """One rule: its id, what the kernel does with it, and what it catches."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    verdict: Verdict
    severity: Literal["low", "medium", "high", "critical"]
    summary: str


def _block(rule_id: str, summary: str) -> Rule:
    return Rule(id=rule_id, verdict=Verdict.BLOCK, severity="critical", summary=summary)


def _ask(rule_id: str, summary: str, severity: Literal["medium", "high"] = "high") -> Rule:
    return Rule(id=rule_id, verdict=Verdict.ASK, severity=severity, summary=summary)


RULES: tuple[Rule, ...] = (
    # -- hardline: never allowed -----------------------------------------------------------
    _block("delete-root", "recursive delete (or move away) of / or of everything in it"),
    _block("delete-system-dir", "recursive delete (or move away) of a system folder (/usr, /etc, /var/lib, ...) "
                                "or of everything in one"),
    _block("delete-home", "recursive delete (or move away) of a home folder (~, $HOME, /home/<user>, /root), "
                          "of everything in it, or of all home folders"),
    _block("format-device", "mkfs, mkswap, wipefs -a, blkdiscard and similar on a device"),
    _block("write-block-device", "dd, cp, cat, tee, shred or a redirection writing onto a disk "
                                 "(/dev/sd*, /dev/nvme*, /dev/vd*, /dev/xvd*, /dev/mmcblk*, /dev/disk/*, ...) "
                                 "or /dev/mem"),
    _block("fork-bomb", "a function or one-liner that multiplies processes until the machine stalls"),
    _block("shutdown", "shutdown, reboot, halt, poweroff, init 0/6, systemctl poweroff/reboot/halt, "
                       "kexec, writes to /proc/sysrq-trigger"),
    _block("chmod-system", "recursive chmod of / or of a system folder"),
    _block("chown-system", "recursive chown of / or of a system folder"),
    _block("overwrite-system-file", "truncating, overwriting or deleting /etc/passwd, /etc/shadow, /etc/group, "
                                    "/etc/gshadow, /etc/sudoers, /etc/fstab or boot loader files"),
    # -- dangerous: the user decides -------------------------------------------------------
    _ask("recursive-delete", "any other recursive delete: rm -r/-R, find -delete, find -exec rm, "
                             "rsync --delete into a system or home folder"),
    _ask("delete-glob", "rm of every file in a folder (rm *, rm -f dir/*)", "medium"),
    _ask("shred-file", "shred of files (unrecoverable)"),
    _ask("git-force-push", "git push --force, -f, --force-with-lease, --mirror or a +refspec"),
    _ask("git-push-delete", "git push --delete, --prune or a :branch refspec (deletes remote branches)"),
    _ask("git-reset-hard", "git reset --hard (discards uncommitted work)"),
    _ask("git-clean", "git clean -f (deletes untracked files)"),
    _ask("git-discard-changes", "git checkout/restore of whole folders, git checkout -f, "
                                "git switch --discard-changes (discard uncommitted work)"),
    _ask("git-branch-force-delete", "git branch -D (deletes unmerged branches)", "medium"),
    _ask("git-stash-discard", "git stash drop / clear", "medium"),
    _ask("git-history-rewrite", "git filter-branch, git filter-repo, git reflog expire/delete, "
                                "git gc --prune=now"),
    _ask("chmod-world-writable", "chmod making files world-writable (777, 666, o+w, a+w)"),
    _ask("chmod-recursive-home", "recursive chmod of a home folder"),
    _ask("chown-recursive", "chown -R / chgrp -R"),
    _ask("shell-rc-write", "writing, appending to or deleting shell start-up files (~/.bashrc, ~/.zshrc, "
                           "~/.profile, /etc/profile, /etc/bash.bashrc, ...)"),
    _ask("ssh-config-write", "writing or deleting SSH keys and config (~/.ssh/*, /etc/ssh/*)"),
    _ask("hermes-state-write", "writing or deleting hermes's own state (~/.hermes/*, $HERMES_HOME/*)"),
    _ask("crontab-edit", "crontab -r/-e/installing a crontab, writes into cron folders"),
    _ask("sudoers-edit", "visudo, sudoedit of sudoers, appending to /etc/sudoers, writes to /etc/sudoers.d/*"),
    _ask("system-file-write", "writing or deleting files under /etc, /usr, /bin, /sbin, /lib*, /proc/sys, /sys"),
    _ask("overwrite-dotfile", "overwriting or deleting dotfiles and credentials in the home folder "
                              "(~/.gitconfig, ~/.npmrc, ~/.aws/*, ~/.kube/config, ...)", "medium"),
    _ask("history-clear", "history -c, unset HISTFILE, HISTFILE=/dev/null, overwriting shell history files",
         "medium"),
    _ask("sql-drop", "DROP TABLE/DATABASE/SCHEMA, ALTER TABLE ... DROP in a database client"),
    _ask("sql-truncate", "TRUNCATE in a database client"),
    _ask("sql-unbounded-write", "DELETE FROM or UPDATE without WHERE in a database client"),
    _ask("db-flush", "redis FLUSHALL/FLUSHDB, MongoDB dropDatabase()/drop()/deleteMany({})"),
    _ask("kill-process", "kill -9/-KILL, kill of PID 1, -1 or 0, pkill, killall"),
    _ask("package-remove", "removing packages: apt/dpkg/yum/dnf/pacman/apk/snap/brew, pip/npm -g/gem/cargo "
                           "uninstall", "medium"),
    _ask("docker-destructive", "docker/podman system|image|volume|container prune, rm -f, rmi -f, volume rm, "
                               "compose down -v"),
    _ask("remote-code-exec", "running downloaded code: curl/wget piped into a shell or interpreter, "
                             "bash <(curl ...), sh -c \"$(curl ...)\", eval \"$(wget ...)\""),
    _ask("obfuscated-command", "a command hidden from static reading: a decoded payload run by a shell, a "
                               "command name computed at run time with dangerous arguments, or text too "
                               "broken or deep to parse that looks dangerous"),
    _ask("firewall-disable", "iptables/ip6tables -F/-X/-P ACCEPT, nft flush ruleset, ufw disable/reset"),
    _ask("user-account-change", "useradd, userdel, usermod, passwd, chpasswd, groupdel, deluser, ..."),
    _ask("service-stop", "systemctl stop/disable/mask/kill/isolate, service ... stop"),
    _ask("power-suspend", "systemctl suspend/hibernate, pm-suspend", "medium"),
    _ask("mount-change", "mount and umount (other than listing mounts)"),
    _ask("swap-off", "swapoff"),
    _ask("disk-change", "fdisk, sfdisk, parted, gdisk and the like changing a partition table; mkfs on a "
                        "target only known at run time"),
    _ask("k8s-delete", "kubectl delete/drain, helm uninstall"),
    _ask("infra-destroy", "terraform/tofu/pulumi/cdk destroy, aws s3 rm --recursive, aws s3 rb, gsutil rm -r"),
)

#: Rules by id (read-only).
RULES_BY_ID = MappingProxyType({rule.id: rule for rule in RULES})
