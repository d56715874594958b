"""The ``modal`` terminal backend: a persistent bash in a Modal sandbox."""

from __future__ import annotations

from hermes_core import ConfigError, TerminalSettings
from hermes_core.shell_driver import PersistentShell

from .config import ModalOptions
from .transport import ModalTransport


class ModalBackend(PersistentShell):
    """One session's sandbox and shell. The sandbox is created on the first command and
    terminated by ``close``."""

    name = "modal"
    # Every signal or poll is a round trip to Modal: allow for a slower side channel, and
    # more time before a command list that keeps starting programs costs the shell.
    side_timeout = 30.0
    kill_grace = 10.0

    def __init__(self, settings: TerminalSettings) -> None:
        options = load_options(settings.options)
        self.options = options
        self.modal = ModalTransport(options, session_id=settings.session_id)
        super().__init__(
            self.modal,
            timeout=settings.timeout,
            max_output_chars=settings.max_output_chars,
            cwd=options.workdir,
            env=dict(settings.env),
        )
        # Creating a sandbox may build its image first.
        self.startup_timeout = 600.0

    def close(self) -> None:
        # Terminating the sandbox ends every process in it.
        try:
            self.close_shell(kill_processes=False)
        finally:
            self.modal.close()


def load_options(raw: dict) -> ModalOptions:
    """Validate a ``terminal.modal`` mapping, with an error naming the bad key."""
    from pydantic import ValidationError

    try:
        return ModalOptions.model_validate(raw or {})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(section)'}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(problems, key="terminal.modal") from exc
