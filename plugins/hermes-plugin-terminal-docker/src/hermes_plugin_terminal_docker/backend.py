"""The ``docker`` terminal backend: a persistent bash in a per-session container."""

from __future__ import annotations

from typing import Any

from hermes_core import ConfigError, TerminalSettings
from hermes_core.shell_driver import PersistentShell

from .config import DockerOptions
from .transport import DockerTransport


class DockerBackend(PersistentShell):
    """One session's container and shell. The container is created on the first command,
    reused for every later one, and removed (with everything in it) by ``close``."""

    name = "docker"

    def __init__(self, settings: TerminalSettings) -> None:
        options = load_options(settings.options)
        self.options = options
        self.docker = DockerTransport(options, session_id=settings.session_id, cwd=settings.cwd)
        super().__init__(
            self.docker,
            timeout=settings.timeout,
            max_output_chars=settings.max_output_chars,
            env=dict(settings.env),
            shell=options.shell,
        )
        # The first command may have to pull the image and start the container.
        self.startup_timeout = 300.0

    @property
    def container(self) -> Any:
        """The session's SDK container object (None before the first command)."""
        return self.docker.container

    def close(self) -> None:
        # Removing the container stops every process in it: no need to hunt them first.
        try:
            self.close_shell(kill_processes=False)
        finally:
            self.docker.close()


def load_options(raw: dict) -> DockerOptions:
    """Validate a ``terminal.docker`` mapping, with an error naming the bad key."""
    from pydantic import ValidationError

    try:
        return DockerOptions.model_validate(raw or {})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(section)'}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(problems, key="terminal.docker") from exc
