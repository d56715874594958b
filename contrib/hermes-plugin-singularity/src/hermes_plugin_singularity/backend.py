"""The ``singularity`` terminal backend: a persistent bash in an Apptainer instance."""

from __future__ import annotations

from hermes_core import ConfigError, TerminalSettings
from hermes_core.shell_driver import PersistentShell

from .config import SingularityOptions
from .transport import ApptainerTransport


class SingularityBackend(PersistentShell):
    """One session's instance and shell: the instance starts with the first command and is
    stopped by ``close`` after every process the session started has been killed."""

    name = "singularity"

    def __init__(self, settings: TerminalSettings) -> None:
        options = load_options(settings.options)
        self.options = options
        self.apptainer = ApptainerTransport(options, cwd=settings.cwd)
        workdir = options.workdir or (options.mount_target if options.mount_cwd else None)
        super().__init__(
            self.apptainer,
            timeout=settings.timeout,
            max_output_chars=settings.max_output_chars,
            cwd=workdir,
            env={**options.env, **settings.env},
            shell=options.shell,
        )
        # Starting an instance from a docker:// image converts it first.
        self.startup_timeout = options.start_timeout

    def close(self) -> None:
        try:
            self.close_shell()
        finally:
            self.apptainer.close()


def load_options(raw: dict) -> SingularityOptions:
    """Validate a ``terminal.singularity`` mapping, with an error naming the bad key."""
    from pydantic import ValidationError

    try:
        options = SingularityOptions.model_validate(raw or {})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(section)'}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(problems, key="terminal.singularity") from exc
    if not options.image:
        raise ConfigError(
            "no image set: run `hermes config set terminal.singularity.image <file.sif or docker://...>`",
            key="terminal.singularity.image",
        )
    return options
