"""The ``ssh`` terminal backend: a persistent remote bash over one SSH connection."""

from __future__ import annotations

from hermes_core import ConfigError, TerminalSettings
from hermes_core.shell_driver import PersistentShell

from .config import SshOptions
from .transport import SshTransport


class SshBackend(PersistentShell):
    """One session's remote shell. Connects on the first command; ``close`` kills every
    process the session started on the remote host and disconnects."""

    name = "ssh"

    def __init__(self, settings: TerminalSettings) -> None:
        options = load_options(settings.options)
        self.options = options
        self.ssh = SshTransport(options)
        super().__init__(
            self.ssh,
            timeout=settings.timeout,
            max_output_chars=settings.max_output_chars,
            cwd=options.cwd,
            env={**options.env, **settings.env},
            shell=options.shell,
        )
        # Logging in can take the whole connect timeout before bash even starts.
        self.startup_timeout = options.connect_timeout + 20.0

    def close(self) -> None:
        try:
            self.close_shell()
        finally:
            self.ssh.close()


def load_options(raw: dict) -> SshOptions:
    """Validate a ``terminal.ssh`` mapping, with an error naming the bad key."""
    from pydantic import ValidationError

    try:
        options = SshOptions.model_validate(raw or {})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(section)'}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(problems, key="terminal.ssh") from exc
    if not options.host:
        raise ConfigError("no host set: run `hermes config set terminal.ssh.host <host>`", key="terminal.ssh.host")
    return options
