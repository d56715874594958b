"""The ``daytona`` terminal backend: a persistent bash in a Daytona sandbox."""

from __future__ import annotations

from hermes_core import ConfigError, TerminalSettings
from hermes_core.shell_driver import PersistentShell

from .config import DaytonaOptions
from .transport import DaytonaTransport


class DaytonaBackend(PersistentShell):
    """One session's sandbox and shell. The sandbox is created on the first command and
    deleted by ``close``."""

    name = "daytona"
    # Every signal or poll is an HTTP round trip: allow for a slower side channel, and
    # more time before a command list that keeps starting programs costs the shell.
    side_timeout = 30.0
    kill_grace = 10.0

    def __init__(self, settings: TerminalSettings) -> None:
        options = load_options(settings.options)
        self.options = options
        self.daytona = DaytonaTransport(options, session_id=settings.session_id)
        super().__init__(
            self.daytona,
            timeout=settings.timeout,
            max_output_chars=settings.max_output_chars,
            cwd=options.workdir,
            env=dict(settings.env),
        )
        self.startup_timeout = options.create_timeout + 30.0

    def close(self) -> None:
        # Deleting the sandbox ends every process in it.
        try:
            self.close_shell(kill_processes=False)
        finally:
            self.daytona.close()


def load_options(raw: dict) -> DaytonaOptions:
    """Validate a ``terminal.daytona`` mapping, with an error naming the bad key."""
    from pydantic import ValidationError

    try:
        return DaytonaOptions.model_validate(raw or {})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(section)'}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(problems, key="terminal.daytona") from exc
