"""A private Docker engine and an offline test image, for tests.

Used by this package's tests and by hermes's cross-plugin integration tests::

    with DockerDaemon.start() as daemon:
        image = build_test_image(daemon.base_url)      # "hermes-test-shell:1"
        options = {"docker_host": daemon.base_url, "image": image, "network": "none"}

:class:`DockerDaemon` starts ``dockerd`` with its own socket, data root, exec root and pid
file under a fresh folder, with ``--iptables=false --ip-masq=false --bridge=none`` so the
host's network is left alone, and stops it by its PID. :func:`build_test_image` needs no
registry: it packs this machine's bash, coreutils and procps (with every shared library
``ldd`` lists) into a root file system tarball and imports it (``docker import``).

Only the standard library is imported at module level; the docker SDK loads on use.
"""

from __future__ import annotations

import http.client
import io
import os
import shutil
import signal
import socket
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

TEST_IMAGE = "hermes-test-shell:1"

#: What the test image holds: a shell, the tools the shell protocol and the conformance
#: suite use, and little else. Missing ones are skipped.
IMAGE_TOOLS = (
    "bash sh env cat echo printf true false test sleep timeout yes head tail wc tr cut sort "
    "uniq tee mkdir rmdir rm cp mv ln ls touch chmod stat readlink realpath dirname basename "
    "pwd id whoami date uname base64 md5sum sha256sum seq mktemp mkfifo nohup nproc du df "
    "grep sed find xargs ps pgrep pkill kill setsid"
).split()


class DockerUnavailable(RuntimeError):
    """dockerd is missing or would not start; the message says why (tests skip with it)."""


@dataclass
class DockerDaemon:
    """One private dockerd. Create with :meth:`start`; stop with :meth:`stop` (or ``with``)."""

    root: Path
    process: subprocess.Popen[bytes] | None = None

    @classmethod
    def start(cls, *, timeout: float = 30.0) -> DockerDaemon:
        """Start dockerd under a new folder in /tmp and wait until it answers ``/_ping``."""
        binary = shutil.which("dockerd")
        if binary is None:
            raise DockerUnavailable("dockerd is not installed (apt-get install docker.io)")
        if os.geteuid() != 0:
            raise DockerUnavailable("starting a private dockerd needs root")
        # Unix socket paths are limited to 107 bytes and containerd nests its own sockets
        # under the exec root, so the folder must be short: not pytest's tmp_path.
        root = Path(tempfile.mkdtemp(prefix="hdk-", dir="/tmp"))
        daemon = cls(root=root)
        log = daemon.log_path.open("ab")
        try:
            daemon.process = subprocess.Popen(
                [
                    binary,
                    "--host", f"unix://{daemon.socket_path}",
                    "--data-root", str(root / "data"),
                    "--exec-root", str(root / "exec"),
                    "--pidfile", str(root / "dockerd.pid"),
                    "--iptables=false", "--ip-masq=false", "--bridge=none",
                    "--shutdown-timeout", "2",
                ],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        finally:
            log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if daemon.process.poll() is not None:
                tail = daemon.log_tail()
                daemon.stop()
                raise DockerUnavailable(f"dockerd exited at start-up: {tail}")
            if daemon.ping():
                return daemon
            time.sleep(0.05)
        tail = daemon.log_tail()
        daemon.stop()
        raise DockerUnavailable(f"dockerd did not answer within {timeout}s: {tail}")

    @property
    def socket_path(self) -> Path:
        return self.root / "docker.sock"

    @property
    def base_url(self) -> str:
        """The ``docker_host`` value for this daemon."""
        return f"unix://{self.socket_path}"

    @property
    def log_path(self) -> Path:
        return self.root / "dockerd.log"

    def ping(self) -> bool:
        """Whether the engine answers its ``/_ping`` endpoint."""
        conn = _UnixHTTPConnection(str(self.socket_path))
        try:
            conn.request("GET", "/_ping")
            return conn.getresponse().status == 200
        except OSError:
            return False
        finally:
            conn.close()

    def log_tail(self, lines: int = 20) -> str:
        """The last lines dockerd wrote (for error messages)."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Stop dockerd by its PID, then the containerd and shim processes it started
        (found by our private exec root in their command lines), unmount what is left
        under the folder and delete it."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for pid in _pids_mentioning(str(self.root)):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        _unmount_below(self.root)
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> DockerDaemon:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: str) -> None:
        super().__init__("localhost", timeout=2)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(2)
        try:
            sock.connect(self._path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


def _pids_mentioning(text: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if text in cmdline:
            found.append(int(entry))
    return found


def _unmount_below(root: Path) -> None:
    """Lazily unmount anything dockerd left mounted under ``root`` (deepest first)."""
    prefix = str(root.resolve())
    try:
        with open("/proc/self/mounts", encoding="utf-8") as handle:
            points = [line.split()[1].replace("\\040", " ") for line in handle]
    except OSError:
        return
    for point in sorted((p for p in points if p == prefix or p.startswith(prefix + "/")), key=len, reverse=True):
        subprocess.run(["umount", "-l", point], capture_output=True)


# -- the image ---------------------------------------------------------------------------


def rootfs_tarball(target: Path, tools: tuple[str, ...] | list[str] = IMAGE_TOOLS) -> Path:
    """Write a root file system tarball with ``tools`` from this machine and their
    libraries to ``target``; returns it."""
    members = _RootfsMembers()
    for tool in tools:
        path = shutil.which(tool)
        if path is not None:
            members.add(path)
    for binary in list(members.binaries):
        for library in _libraries(binary):
            members.add(library)
    with tarfile.open(target, "w") as tar:
        for name, link in (("bin", "usr/bin"), ("sbin", "usr/sbin"), ("lib", "usr/lib"), ("lib64", "usr/lib64")):
            info = tarfile.TarInfo(name)
            info.type, info.linkname, info.mode = tarfile.SYMTYPE, link, 0o777
            tar.addfile(info)
        for folder, mode in (("tmp", 0o1777), ("root", 0o700), ("etc", 0o755), ("proc", 0o555),
                             ("sys", 0o555), ("dev", 0o755), ("usr/bin", 0o755), ("usr/sbin", 0o755)):
            info = tarfile.TarInfo(folder)
            info.type, info.mode = tarfile.DIRTYPE, mode
            tar.addfile(info)
        for name, text in (
            ("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n"),
            ("etc/group", "root:x:0:\nnogroup:x:65534:\n"),
        ):
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644
            tar.addfile(info, io.BytesIO(data))
        for name, (kind, value) in sorted(members.entries.items()):
            if kind == "link":
                info = tarfile.TarInfo(name)
                info.type, info.linkname, info.mode = tarfile.SYMTYPE, value, 0o777
                tar.addfile(info)
            else:
                tar.add(value, arcname=name, recursive=False)
    return target


def build_test_image(docker_host: str, tag: str = TEST_IMAGE) -> str:
    """Import the offline test image into the engine at ``docker_host`` (once); returns
    its tag."""
    import docker

    client = docker.DockerClient(base_url=docker_host)
    try:
        try:
            client.images.get(tag)
            return tag
        except docker.errors.ImageNotFound:
            pass
        repository, _, version = tag.partition(":")
        with tempfile.TemporaryDirectory(prefix="hermes-rootfs-") as folder:
            tarball = rootfs_tarball(Path(folder) / "rootfs.tar")
            client.api.import_image_from_file(str(tarball), repository=repository, tag=version or "latest")
        client.images.get(tag)
        return tag
    finally:
        client.close()


class _RootfsMembers:
    """Paths to pack, named as in a merged-/usr root (``/bin`` is ``/usr/bin``)."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[str, str]] = {}
        self.binaries: list[str] = []

    def add(self, path: str) -> None:
        name = _merged_usr_name(path)
        if name in self.entries:
            return
        if os.path.islink(path):
            link = os.readlink(path)
            self.entries[name] = ("link", link)
            self.add(os.path.join(os.path.dirname(path), link) if not os.path.isabs(link) else link)
            return
        if os.path.isfile(path):
            self.entries[name] = ("file", path)
            self.binaries.append(path)


def _merged_usr_name(path: str) -> str:
    # Resolve the folder (so /bin/x and /usr/bin/x agree) but keep the file's own name.
    folder = os.path.realpath(os.path.dirname(path)).lstrip("/")
    if not folder.startswith("usr/") and folder.split("/")[0] in ("bin", "sbin", "lib", "lib64"):
        folder = "usr/" + folder
    return f"{folder}/{os.path.basename(path)}"


def _libraries(binary: str) -> list[str]:
    try:
        out = subprocess.run(["ldd", binary], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [token for line in out.splitlines() for token in line.split() if token.startswith("/")]
