"""Which commands the scanner knows: the rule functions registered per command name,
and the command families the analyzer itself handles (shells, wrappers, interpreters)."""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType

from . import _rules_db, _rules_files, _rules_git, _rules_ops, _rules_system
from ._builtins import BUILTINS
from ._interp import LANGUAGE_OF
from ._static import DECODERS, FETCHERS, PASSTHROUGH
from ._wrappers import WRAPPERS


def _merge(*tables: dict[str, tuple[Callable[..., None], ...]]) -> dict[str, tuple[Callable[..., None], ...]]:
    merged: dict[str, tuple[Callable[..., None], ...]] = {}
    for table in tables:
        for name, functions in table.items():
            merged[name] = merged.get(name, ()) + functions
    return merged


#: Command name -> the rule functions that judge it.
RULE_FUNCTIONS = MappingProxyType(_merge(_rules_files.COMMANDS, _rules_system.COMMANDS, _rules_git.COMMANDS,
                                         _rules_ops.COMMANDS, _rules_db.COMMANDS))

SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "yash", "posh", "rbash", "fish", "csh",
                    "tcsh", "ksh93", "oksh", "loksh"})

#: Every name the scanner does something with (for case-insensitive and versioned names).
KNOWN_COMMANDS = frozenset(RULE_FUNCTIONS) | SHELLS | frozenset(WRAPPERS) | frozenset(LANGUAGE_OF) | DECODERS \
    | FETCHERS | PASSTHROUGH | BUILTINS | frozenset({"env", "eval", "source", ".", "xargs", "find", "echo", "printf",
                                                     "which", "type", "at", "batch", "tmux", "screen", "parallel"})
