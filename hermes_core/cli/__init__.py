"""The ``hermes`` command line.

``main`` answers ``hermes --version`` before importing anything (not even click), so the
most common health check costs only the interpreter's start-up. Everything else goes
through the lazy click group in :mod:`hermes_core.cli._root`.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        from hermes_core import __version__

        sys.stdout.write(f"hermes {__version__}\n")
        return
    from ._root import run

    run(args)
