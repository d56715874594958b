"""Host key verification against a known_hosts file: strict by default, or accept-new.

Kept apart from the connection code so the policy reads in one place. Uses paramiko's
``HostKeys`` parser (it understands hashed host names) but makes the decision itself, so
every refusal can say which host, which key and what to do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hermes_core import HermesError

from .config import SshOptions


class HostKeyError(HermesError):
    """The server's host key is unknown (under the strict policy) or has changed."""


def known_key_types(options: SshOptions) -> list[str]:
    """Key types known_hosts holds for this host, so key exchange can ask for one of them."""
    entry = _load(options.known_hosts_path()).lookup(options.known_hosts_name())
    return list(entry.keys()) if entry else []


def verify_host_key(options: SshOptions, key: Any) -> str:
    """Check the server's ``key`` (a paramiko PKey) against known_hosts; returns what was
    decided (``known`` or ``added``) or raises :class:`HostKeyError`."""
    path = options.known_hosts_path()
    name = options.known_hosts_name()
    entry = _load(path).lookup(name)
    fingerprint = key.fingerprint
    kind = key.get_name()
    if entry:
        known = entry.get(kind)
        if known is not None and known.asbytes() == key.asbytes():
            return "known"
        if known is not None:
            raise HostKeyError(
                f"the host key of {name} has CHANGED: known_hosts file {path} holds a different "
                f"{kind} key, the server now shows {fingerprint}. This can mean someone is "
                f"intercepting the connection. If the server was really re-keyed, remove the old "
                f"entry with `ssh-keygen -R '{name}' -f {path}` and connect again."
            )
        raise HostKeyError(
            f"host {name} is in known_hosts file {path} with key type(s) "
            f"{', '.join(sorted(entry.keys()))}, but the server offered a {kind} key ({fingerprint}). "
            f"Check the key with the server's administrator, then add it with "
            f"`ssh-keyscan -t {kind} -p {options.port} {options.host} >> {path}`."
        )
    if options.host_key_policy == "accept-new":
        _append(path, name, key)
        return "added"
    raise HostKeyError(
        f"host {name} is not in known_hosts file {path}: the server offered a {kind} key with "
        f"fingerprint {fingerprint}. Check that fingerprint with the server's administrator, then "
        f"trust it with `ssh-keyscan -p {options.port} {options.host} >> {path}` (or connect once "
        f"with `ssh -p {options.port} {options.host}`), or set terminal.ssh.host_key_policy to "
        f"accept-new to record hosts seen for the first time."
    )


def _load(path: Path) -> Any:
    import paramiko

    keys = paramiko.HostKeys()
    if path.is_file():
        try:
            keys.load(str(path))
        except (OSError, UnicodeDecodeError) as exc:
            raise HostKeyError(f"cannot read known_hosts file {path}: {exc}") from exc
    return keys


def _append(path: Path, name: str, key: Any) -> None:
    """Record a newly trusted key the way OpenSSH writes known_hosts lines."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        needs_newline = path.is_file() and path.stat().st_size > 0 and not path.read_bytes().endswith(b"\n")
        with path.open("a", encoding="utf-8") as handle:
            handle.write(("\n" if needs_newline else "") + f"{name} {key.get_name()} {key.get_base64()}\n")
    except OSError as exc:
        raise HostKeyError(f"cannot record the host key of {name} in {path}: {exc}") from exc
