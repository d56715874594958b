"""The ``terminal.local`` config section."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

#: Environment variable names (shell globs, matched case-insensitively) that look like
#: secrets and are kept out of the shell unless ``env_passthrough`` names them.
DEFAULT_SECRET_PATTERNS = [
    "*API_KEY*",
    "*APIKEY*",
    "*_TOKEN",
    "*_TOKEN_*",
    "*_SECRET",
    "*_SECRET_*",
    "SECRET_*",
    "*PASSWORD*",
    "*PASSWD*",
    "*_PASS",
    "*CREDENTIAL*",
    "*PRIVATE_KEY*",
    "*ACCESS_KEY*",
    "*SESSION_KEY*",
    "AWS_*",
]


class LocalTerminalConfig(BaseModel):
    """``terminal.local`` in config.yaml."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    shell: str = Field("bash", description="the bash to run (a name on PATH or a path)")
    env_passthrough: list[str] = Field(
        default_factory=list,
        description="variables (names or globs) passed to the shell even though they look like secrets",
    )
    secret_patterns: list[str] = Field(
        default_factory=lambda: list(DEFAULT_SECRET_PATTERNS),
        description="variable names (globs) kept out of the shell's environment",
    )
    env: dict[str, str] = Field(default_factory=dict, description="extra variables set in the shell")
    kill_grace: float = Field(
        2.0, gt=0, le=60,
        description="seconds a killed or interrupted command gets to end before the shell is restarted",
    )
    startup_timeout: float = Field(10.0, gt=0, le=120, description="seconds the shell gets to start")
    processes_dir: str | None = Field(
        None, description="where background process logs go (default $HERMES_HOME/processes/<session>)"
    )
