"""GNU-style option parsing for the commands rules judge.

``rm -rf -- /``, ``rm / -rf`` (GNU tools take options after operands), ``git push -fu``,
``chmod --recursive=...``: rules ask "is -r set?" and "what are the operands?" and this
module answers the same way for every command.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from ._records import Arg


class Parsed(BaseModel):
    """Options (each short flag separately, as ``-r``; long ones as ``--name``) with
    their values, and the operands in order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    options: tuple[tuple[str, str | None], ...] = ()
    operands: tuple[Arg, ...] = ()

    def has(self, *names: str) -> bool:
        """Whether any of ``names`` was given (long names also match ``--name=value``)."""
        return any(name in names for name, _ in self.options)

    def value(self, *names: str) -> str | None:
        """The value of the last of ``names`` given."""
        found = None
        for name, value in self.options:
            if name in names:
                found = value
        return found

    def values(self, *names: str) -> list[str]:
        """Every value given for ``names``, in order."""
        return [value for name, value in self.options if name in names and value is not None]


def parse_options(args: Sequence[Arg], *, takes_value: Iterable[str] = (), permute: bool = True) -> Parsed:
    """Split ``args`` into options and operands.

    ``takes_value`` names options that consume a value (``-n``, ``--name``); long options
    not named there take a value only when it is attached (``--color=auto``). With
    ``permute`` (GNU behaviour) options may follow operands until ``--``.
    """
    with_value = frozenset(takes_value)
    options: list[tuple[str, str | None]] = []
    operands: list[Arg] = []
    i = 0
    n = len(args)
    while i < n:
        arg = args[i]
        text = arg.text
        i += 1
        if text == "--" and not arg.dynamic:
            operands.extend(args[i:])
            break
        if len(text) < 2 or not text.startswith("-") or arg.dynamic:
            operands.append(arg)
            if not permute:
                operands.extend(args[i:])
                break
            continue
        if text.startswith("--"):
            name, eq, value = text.partition("=")
            if eq:
                options.append((name, value))
            elif name in with_value and i < n:
                options.append((name, args[i].text))
                i += 1
            else:
                options.append((name, None))
            continue
        for k in range(1, len(text)):
            flag = "-" + text[k]
            if flag in with_value:
                rest = text[k + 1:]
                if rest:
                    options.append((flag, rest))
                elif i < n:
                    options.append((flag, args[i].text))
                    i += 1
                else:
                    options.append((flag, None))
                break
            options.append((flag, None))
    return Parsed(options=tuple(options), operands=tuple(operands))
