"""The ``terminal.modal`` config section."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ModalOptions(BaseModel):
    """The Modal sandbox each session's shell runs in (``terminal.modal``).

    Credentials are secrets: they are read from the environment variables named by
    ``token_id_env`` and ``token_secret_env`` (``~/.hermes/.env`` works), or from Modal's own
    ``~/.modal.toml`` when those are unset; never from config.yaml.
    """

    model_config = ConfigDict(extra="forbid")

    app_name: str = Field("hermes-terminal", description="Modal app the sandboxes belong to (created if missing)")
    image: str | None = Field(None, description="registry image such as python:3.12-slim; default Modal's debian_slim")
    cpu: float | None = Field(None, gt=0, description="CPU cores reserved for the sandbox")
    memory: int | None = Field(None, gt=0, description="memory in MiB reserved for the sandbox")
    block_network: bool = Field(False, description="no network access from the sandbox")
    max_lifetime: int = Field(
        3600, ge=10, le=86_400, description="seconds after which Modal ends the sandbox whatever happens; "
        "it cleans up after a crashed hermes"
    )
    idle_timeout: int | None = Field(None, ge=10, description="seconds of inactivity after which Modal ends it")
    workdir: str | None = Field(None, description="folder the shell starts in")
    env: dict[str, str] = Field(default_factory=dict, description="environment variables of the sandbox")
    region: str | None = Field(None, description="region to run in")
    token_id_env: str = Field("MODAL_TOKEN_ID", description="environment variable holding the token id")
    token_secret_env: str = Field("MODAL_TOKEN_SECRET", description="environment variable holding the token secret")
    shell: str = Field("bash", description="shell inside the sandbox (bash is required)")
