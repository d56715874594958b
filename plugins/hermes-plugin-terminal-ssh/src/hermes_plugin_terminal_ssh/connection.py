"""One authenticated paramiko transport to the configured host.

Connecting goes step by step (TCP, key exchange, host key check, authentication) rather
than through ``SSHClient`` so that each failure names what went wrong and what to do.
"""

from __future__ import annotations

import os
import socket
from typing import Any

from hermes_core import HermesError

from .config import SshOptions
from .hostkeys import known_key_types, verify_host_key


class SshConnectError(HermesError):
    """The connection, the key exchange or the login failed; the message says which."""


def connect(options: SshOptions, env: dict[str, str] | None = None) -> Any:
    """A connected, authenticated ``paramiko.Transport`` for ``options``.

    ``env`` supplies environment variables (the key passphrase variable); the process
    environment is used for what it lacks.
    """
    import paramiko

    if not options.host:
        raise SshConnectError("no SSH host configured: run `hermes config set terminal.ssh.host <host>`")
    where = f"{options.host}:{options.port}"
    try:
        sock = socket.create_connection((options.host, options.port), timeout=options.connect_timeout)
    except OSError as exc:
        raise SshConnectError(
            f"cannot reach the SSH server at {where} within {options.connect_timeout:g}s: {exc}; "
            f"check terminal.ssh.host and terminal.ssh.port"
        ) from exc
    transport = paramiko.Transport(sock)
    try:
        _prefer_known_key_types(transport, options)
        try:
            transport.start_client(timeout=options.connect_timeout)
        except (paramiko.SSHException, OSError, EOFError) as exc:
            raise SshConnectError(f"SSH handshake with {where} failed: {exc or type(exc).__name__}") from exc
        verify_host_key(options, transport.get_remote_server_key())
        _authenticate(transport, options, env or {})
        if options.keepalive_interval:
            transport.set_keepalive(int(max(1, options.keepalive_interval)))
        return transport
    except BaseException:
        transport.close()
        raise


def _prefer_known_key_types(transport: Any, options: SshOptions) -> None:
    """Ask the server for a host key of a type known_hosts already holds for it, as
    OpenSSH does; otherwise a server with several keys may show one we cannot check."""
    known = known_key_types(options)
    if not known:
        return
    wanted: list[str] = []
    for kind in known:
        # known_hosts names RSA keys ssh-rsa; the signature algorithms have newer names.
        wanted.extend(["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] if kind == "ssh-rsa" else [kind])
    security = transport.get_security_options()
    preferred = [kind for kind in wanted if kind in security.key_types]
    if preferred:
        security.key_types = preferred


def _authenticate(transport: Any, options: SshOptions, env: dict[str, str]) -> None:
    import paramiko

    user = options.login()
    tried: list[str] = []
    key_file = options.key_file()
    if key_file is not None:
        key = _load_key(options, env)
        tried.append(f"key file {key_file}")
        if _try_key(transport, user, key):
            return
    if options.use_agent:
        agent = paramiko.Agent()
        try:
            keys = agent.get_keys()
            tried.append(f"ssh-agent ({len(keys)} key(s))" if keys else "ssh-agent (no agent or no keys)")
            for key in keys:
                if _try_key(transport, user, key):
                    return
        finally:
            agent.close()
    if not tried:
        raise SshConnectError(
            f"no way to log in to {options.target()}: set terminal.ssh.key_path to a private key "
            f"file or turn terminal.ssh.use_agent on with an ssh-agent running"
        )
    raise SshConnectError(
        f"SSH login as '{user}' on {options.host}:{options.port} was refused (tried {', '.join(tried)}); "
        f"check that the public key is in the server's authorized_keys for that user and that "
        f"terminal.ssh.user is right"
    )


def _load_key(options: SshOptions, env: dict[str, str]) -> Any:
    import paramiko

    path = options.key_file()
    assert path is not None
    passphrase = None
    if options.passphrase_env:
        passphrase = env.get(options.passphrase_env) or os.environ.get(options.passphrase_env)
    if not path.is_file():
        raise SshConnectError(f"SSH key file {path} (terminal.ssh.key_path) does not exist")
    needs_passphrase = SshConnectError(
        f"SSH key file {path} is protected by a passphrase: put it in an environment variable "
        f"and name that variable in terminal.ssh.passphrase_env, or load the key into ssh-agent"
    )
    try:
        return paramiko.PKey.from_path(path, password=passphrase.encode() if passphrase else None)
    except paramiko.PasswordRequiredException as exc:
        raise needs_passphrase from exc
    except TypeError as exc:
        # cryptography reports a missing password for new-format OpenSSH keys this way
        if passphrase is None and "password" in str(exc).lower():
            raise needs_passphrase from exc
        raise SshConnectError(f"cannot read SSH key file {path}: {exc}") from exc
    except (paramiko.SSHException, ValueError, OSError) as exc:
        raise SshConnectError(f"cannot read SSH key file {path}: {exc}") from exc


def _try_key(transport: Any, user: str, key: Any) -> bool:
    import paramiko

    try:
        transport.auth_publickey(user, key)
    except paramiko.AuthenticationException:
        return False
    except paramiko.SSHException as exc:
        raise SshConnectError(f"SSH login failed: {exc}") from exc
    return transport.is_authenticated()
