"""The ``terminal.daytona`` config section."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class DaytonaOptions(BaseModel):
    """The Daytona sandbox each session's shell runs in (``terminal.daytona``).

    The API key is a secret: it is read from the environment variable named by
    ``api_key_env`` (``~/.hermes/.env`` works), never from config.yaml.
    """

    model_config = ConfigDict(extra="forbid")

    api_url: str | None = Field(None, description="Daytona API URL; default $DAYTONA_API_URL or Daytona's cloud")
    api_key_env: str = Field("DAYTONA_API_KEY", description="environment variable that holds the API key")
    target: str | None = Field(None, description="region for the sandbox; default $DAYTONA_TARGET or the organisation's")
    snapshot: str | None = Field(None, description="snapshot to create the sandbox from (default: Daytona's default)")
    image: str | None = Field(None, description="container image to build the sandbox from instead of a snapshot")
    cpu: int | None = Field(None, ge=1, description="CPU cores (with image only)")
    memory: int | None = Field(None, ge=1, description="memory in GiB (with image only)")
    disk: int | None = Field(None, ge=1, description="disk in GiB (with image only)")
    network_block_all: bool = Field(False, description="block all network access from the sandbox")
    auto_stop_minutes: int = Field(
        15, ge=0, description="idle minutes before Daytona stops (and, being ephemeral, deletes) the sandbox; "
        "it cleans up after a crashed hermes"
    )
    env: dict[str, str] = Field(default_factory=dict, description="environment variables of the sandbox")
    workdir: str | None = Field(None, description="folder the shell starts in (default: the sandbox user's home)")
    create_timeout: float = Field(180.0, gt=0, description="seconds to wait for the sandbox to start")
    poll_interval: float = Field(0.1, gt=0, le=5, description="seconds between output polls of the shell")
    shell: str = Field("bash", description="shell inside the sandbox (bash is required)")
