"""The ``terminal.docker`` config section."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

_MEMORY_RE = re.compile(r"^\d+(\.\d+)?[bkmg]?$", re.IGNORECASE)


class DockerOptions(BaseModel):
    """The container each session's shell runs in (``terminal.docker`` in config.yaml)."""

    model_config = ConfigDict(extra="forbid")

    image: str = Field("debian:bookworm-slim", description="image to run; it needs bash")
    pull: Literal["missing", "never", "always"] = Field(
        "missing", description="pull the image when it is missing locally, never, or before each session"
    )
    docker_host: str | None = Field(
        None, description="engine address such as unix:///run/docker.sock; default $DOCKER_HOST or the local engine"
    )
    cpus: float | None = Field(2.0, gt=0, description="CPU limit (cores); null for none")
    memory: str | None = Field("2g", description="memory limit such as 512m or 2g (swap off); null for none")
    pids_limit: int | None = Field(512, ge=8, description="most processes at once; null for none")
    network: str = Field("bridge", description="docker network mode: bridge, none, host or a network name")
    mount_cwd: bool = Field(False, description="mount the session's working folder into the container")
    mount_target: str = Field("/workspace", description="where the working folder is mounted")
    mount_readonly: bool = Field(False, description="mount the working folder read-only")
    workdir: str | None = Field(
        None, description="folder the shell starts in; default mount_target when mounted, else the image's"
    )
    user: str | None = Field(None, description="user to run as inside the container (default: the image's)")
    env: dict[str, str] = Field(default_factory=dict, description="environment variables for the container")
    init: bool = Field(True, description="run docker's init as PID 1 so orphans are reaped")
    shell: str = Field("bash", description="shell inside the container (bash is required)")
    remove_leftovers: bool = Field(
        True, description="on start, remove containers left by hermes processes on this machine that are gone"
    )

    @field_validator("memory")
    @classmethod
    def _check_memory(cls, value: str | None) -> str | None:
        if value is not None and not _MEMORY_RE.match(value.strip()):
            raise ValueError(f"memory limit {value!r} must be a number with an optional b, k, m or g suffix (like 512m)")
        return value.strip() if value is not None else None

    @field_validator("mount_target")
    @classmethod
    def _check_target(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError(f"mount_target {value!r} must be an absolute path inside the container")
        return value
