"""A real OpenSSH server on 127.0.0.1 for tests: throw-away keys, its own config, stopped by PID.

Used by this package's tests and by hermes's cross-plugin integration tests::

    with SshServer.start(workdir) as server:
        options = server.options()          # a ready ``terminal.ssh`` section
        ...

Only the standard library is used; keys come from ``ssh-keygen``. The server runs as the
current user with ``StrictModes no`` and ``UsePAM no`` so it needs no system set-up beyond
the ``sshd`` binary (and, when run as root, the privilege separation folder it insists on).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SSHD = "/usr/sbin/sshd"


class SshServerUnavailable(RuntimeError):
    """sshd is missing or would not start; the message says why (tests skip with it)."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_key(path: Path, comment: str = "hermes-test") -> Path:
    """A new ed25519 key pair at ``path`` (and ``path.pub``), without a passphrase."""
    keygen = shutil.which("ssh-keygen")
    if keygen is None:
        raise SshServerUnavailable("ssh-keygen is not installed (apt-get install openssh-client)")
    subprocess.run(
        [keygen, "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)],
        check=True, capture_output=True,
    )
    return path


def host_key_fingerprint(public_key: Path) -> str:
    """``SHA256:...`` of a public key file, as ``ssh-keygen -lf`` prints it."""
    out = subprocess.run(["ssh-keygen", "-l", "-f", str(public_key)], check=True, capture_output=True, text=True)
    return out.stdout.split()[1]


@dataclass
class SshServer:
    """One running sshd. Create with :meth:`start`; stop with :meth:`stop` (or ``with``)."""

    workdir: Path
    port: int
    host_key: Path
    user_key: Path
    process: subprocess.Popen[bytes] | None = None
    user: str = field(default_factory=lambda: _current_user())

    @classmethod
    def start(cls, workdir: Path, *, max_sessions: int = 64, timeout: float = 10.0) -> SshServer:
        """Generate keys and a config under ``workdir`` and start ``sshd -D`` on a free port."""
        if not os.path.exists(SSHD):
            raise SshServerUnavailable(f"{SSHD} is not installed (apt-get install openssh-server)")
        workdir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            # sshd refuses to start without its privilege separation folder; Debian's
            # package creates it at boot only.
            os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
        host_key = make_key(workdir / "host_ed25519", "hermes-test-host")
        user_key = make_key(workdir / "user_ed25519", "hermes-test-user")
        shutil.copyfile(user_key.with_suffix(".pub"), workdir / "authorized_keys")
        server = cls(workdir=workdir, port=free_port(), host_key=host_key, user_key=user_key)
        server._write_config(max_sessions)
        server._launch(timeout)
        return server

    # -- the server -----------------------------------------------------------------------

    @property
    def config_path(self) -> Path:
        return self.workdir / "sshd_config"

    @property
    def log_path(self) -> Path:
        return self.workdir / "sshd.log"

    def _write_config(self, max_sessions: int) -> None:
        lines = [
            f"Port {self.port}",
            "ListenAddress 127.0.0.1",
            f"HostKey {self.host_key}",
            f"PidFile {self.workdir / 'sshd.pid'}",
            f"AuthorizedKeysFile {self.workdir / 'authorized_keys'}",
            "PermitRootLogin prohibit-password",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "StrictModes no",
            "UsePAM no",
            "X11Forwarding no",
            "AllowTcpForwarding no",
            "PrintMotd no",
            # Each background process uses one session channel of the connection.
            f"MaxSessions {max_sessions}",
            "LogLevel VERBOSE",
        ]
        self.config_path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def _launch(self, timeout: float) -> None:
        log = self.log_path.open("ab")
        try:
            self.process = subprocess.Popen(
                [SSHD, "-D", "-e", "-f", str(self.config_path)],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        finally:
            log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SshServerUnavailable(f"sshd exited at start-up: {self.log_tail()}")
            if self._answers():
                return
            time.sleep(0.05)
        self.stop()
        raise SshServerUnavailable(f"sshd did not answer on 127.0.0.1:{self.port} within {timeout}s: {self.log_tail()}")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                return sock.recv(4).startswith(b"SSH-")
        except OSError:
            return False

    def log_tail(self, lines: int = 20) -> str:
        """The last lines sshd wrote (for error messages)."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Stop sshd and the per-connection sshd processes it forked, each by its PID."""
        if self.process is None:
            return
        process, self.process = self.process, None
        # Per-connection children outlive the listener, so note them before it goes.
        children = descendants(process.pid)
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    def __enter__(self) -> SshServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what clients need ----------------------------------------------------------------

    def known_hosts_line(self) -> str:
        """The ``known_hosts`` line that trusts this server's host key."""
        kind, blob = self.host_key.with_suffix(".pub").read_text(encoding="utf-8").split()[:2]
        return f"[127.0.0.1]:{self.port} {kind} {blob}\n"

    def write_known_hosts(self, path: Path) -> Path:
        """Write a known_hosts file trusting this server; returns ``path``."""
        path.write_text(self.known_hosts_line(), encoding="utf-8")
        return path

    def fingerprint(self) -> str:
        """The host key's SHA256 fingerprint."""
        return host_key_fingerprint(self.host_key.with_suffix(".pub"))

    def options(self, **overrides: Any) -> dict[str, Any]:
        """A ``terminal.ssh`` section for this server: key auth, a known_hosts file that
        trusts it, and short timeouts."""
        known = self.workdir / "known_hosts"
        if not known.exists():
            self.write_known_hosts(known)
        values: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": self.port,
            "user": self.user,
            "key_path": str(self.user_key),
            "known_hosts": str(known),
            "use_agent": False,
            "connect_timeout": 5.0,
        }
        values.update(overrides)
        return values


def descendants(pid: int) -> list[int]:
    """PIDs of every process below ``pid`` on this machine (from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The command name in brackets may hold spaces; fields after it are plain.
        parents[int(entry)] = int(stat.rpartition(")")[2].split()[1])
    found: list[int] = []
    frontier = [pid]
    while frontier:
        current = frontier.pop()
        children = [child for child, parent in parents.items() if parent == current]
        found.extend(children)
        frontier.extend(children)
    return found


def _current_user() -> str:
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name
