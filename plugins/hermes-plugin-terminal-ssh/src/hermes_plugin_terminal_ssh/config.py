"""The ``terminal.ssh`` config section."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class SshOptions(BaseModel):
    """Where and how the ``ssh`` terminal backend connects (``terminal.ssh`` in config.yaml)."""

    model_config = ConfigDict(extra="forbid")

    host: str = Field("", description="remote host name or address (required)")
    port: int = Field(22, ge=1, le=65535, description="remote sshd port")
    user: str = Field("", description="remote user name; empty means the local user's name")
    key_path: str | None = Field(None, description="private key file for key authentication")
    passphrase_env: str | None = Field(
        None, description="name of an environment variable holding the key's passphrase"
    )
    use_agent: bool = Field(True, description="also try the keys of the ssh-agent at $SSH_AUTH_SOCK")
    known_hosts: str = Field("~/.ssh/known_hosts", description="known_hosts file used to verify the host key")
    host_key_policy: Literal["strict", "accept-new"] = Field(
        "strict",
        description="strict: refuse hosts not in known_hosts; accept-new: trust and record a host seen "
        "for the first time (a changed key is always refused)",
    )
    connect_timeout: float = Field(10.0, gt=0, description="seconds to connect, exchange keys and log in")
    keepalive_interval: float = Field(15.0, ge=0, description="seconds between keepalives; 0 turns them off")
    cwd: str | None = Field(None, description="remote folder the shell starts in; default the login folder")
    shell: str = Field("bash", description="remote shell to run (bash is required for the shell protocol)")
    reconnect: bool = Field(True, description="reconnect once when the connection dropped between commands")
    env: dict[str, str] = Field(default_factory=dict, description="variables exported in the remote shell")

    def known_hosts_path(self) -> Path:
        """The known_hosts file, with ``~`` expanded."""
        return Path(self.known_hosts).expanduser()

    def key_file(self) -> Path | None:
        """The private key file, with ``~`` expanded (or None)."""
        return Path(self.key_path).expanduser() if self.key_path else None

    def login(self) -> str:
        """The remote user name: configured, or the local one."""
        if self.user:
            return self.user
        import getpass

        return getpass.getuser()

    def known_hosts_name(self) -> str:
        """The host as known_hosts spells it: ``host`` on port 22, ``[host]:port`` otherwise."""
        return self.host if self.port == 22 else f"[{self.host}]:{self.port}"

    def target(self) -> str:
        """``user@host:port`` for messages."""
        return f"{self.login()}@{self.host}:{self.port}"
