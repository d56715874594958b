"""The ``terminal.singularity`` config section."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


class SingularityOptions(BaseModel):
    """The Apptainer instance each session's shell runs in (``terminal.singularity``)."""

    model_config = ConfigDict(extra="forbid")

    image: str = Field("", description="image: a .sif file, a sandbox folder, or docker://, library://, oras:// URI")
    executable: str = Field("", description="apptainer or singularity program; empty: the first found on PATH")
    contain: bool = Field(True, description="--contain: a minimal /dev and empty /tmp and home instead of the host's")
    cleanenv: bool = Field(True, description="--cleanenv: do not pass hermes's environment into the container")
    no_home: bool = Field(False, description="--no-home: do not mount the home folder")
    pid_namespace: bool = Field(True, description="--pid: a PID namespace, so stopping the instance ends everything")
    writable_tmpfs: bool = Field(True, description="--writable-tmpfs: a writable (throw-away) overlay")
    network_none: bool = Field(False, description="--net --network none (needs privileges or a configured setup)")
    bind: list[str] = Field(default_factory=list, description="extra --bind specs: src[:dest[:ro]]")
    mount_cwd: bool = Field(False, description="bind the session's working folder")
    mount_target: str = Field("/workspace", description="where the working folder is bound")
    workdir: str | None = Field(None, description="folder the shell starts in; default mount_target when bound")
    env: dict[str, str] = Field(default_factory=dict, description="variables exported in the shell")
    extra_args: list[str] = Field(default_factory=list, description="more `instance start` flags, passed as given")
    start_timeout: float = Field(300.0, gt=0, description="seconds `instance start` may take (a docker:// image is converted first)")
    shell: str = Field("bash", description="shell inside the container (bash is required)")

    @field_validator("mount_target")
    @classmethod
    def _absolute(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError(f"mount_target {value!r} must be an absolute path inside the container")
        return value
