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

    if argv is not None:  # called from Python: behave like a normal function
        run(args)
        return
    try:
        run(args)
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    _exit_now(code)


def _exit_now(code: object) -> None:
    """End the process without the interpreter's module-by-module teardown (~40 ms with
    every plugin loaded). Everything hermes opened is closed by then; what remains is
    flushing output and logs, done here."""
    import logging
    import os

    if isinstance(code, str):
        sys.stderr.write(code + "\n")
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        code = code or 1
    logging.shutdown()
    os._exit(code if isinstance(code, int) else (0 if code is None else 1))
