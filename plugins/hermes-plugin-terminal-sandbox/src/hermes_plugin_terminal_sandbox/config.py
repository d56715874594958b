"""The ``terminal.sandbox`` config section."""

from __future__ import annotations

from pydantic import Field

from hermes_plugin_terminal_local.config import LocalTerminalConfig

#: Paths under the home folder that hold credentials: hidden inside the sandbox.
DEFAULT_HIDDEN = [
    "~/.ssh",
    "~/.gnupg",
    "~/.aws",
    "~/.azure",
    "~/.config/gcloud",
    "~/.kube",
    "~/.docker",
    "~/.netrc",
    "~/.git-credentials",
    "~/.pypirc",
    "~/.npmrc",
]


class SandboxTerminalConfig(LocalTerminalConfig):
    """``terminal.sandbox`` in config.yaml: the ``terminal.local`` keys, plus these."""

    bwrap: str = Field("bwrap", description="the bubblewrap binary")
    work_dir: str | None = Field(
        None, description="the writable work folder (default $HERMES_HOME/sandbox/<session>)"
    )
    writable_cwd: bool = Field(
        False, description="make the session's project folder writable and start the shell there"
    )
    extra_writable: list[str] = Field(default_factory=list, description="more host folders to bind writable")
    hide_paths: list[str] = Field(
        default_factory=lambda: list(DEFAULT_HIDDEN),
        description="host paths hidden inside the sandbox ($HERMES_HOME always is)",
    )
    network: bool = Field(False, description="share the host's network (off: no network at all)")
    clean_work_dir: bool = Field(False, description="delete the default per-session work folder on close")
