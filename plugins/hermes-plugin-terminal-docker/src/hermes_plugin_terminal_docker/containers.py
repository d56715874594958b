"""Creating, finding and removing the per-session containers.

Every container hermes creates carries labels naming the machine and the process (PID,
start time, boot) that owns it. A container whose owner is gone, because hermes crashed
or was killed, is found by those labels and removed: automatically when a backend next
starts on the same machine, or on demand with :func:`remove_leftover_containers`.
"""

from __future__ import annotations

import os
import re
import socket
import uuid
from pathlib import Path
from typing import Any

from hermes_core import HermesError

from .config import DockerOptions

LABEL = "io.hermes.terminal"
LABEL_SESSION = "io.hermes.session"
LABEL_HOST = "io.hermes.owner.host"
LABEL_PID = "io.hermes.owner.pid"
LABEL_STARTED = "io.hermes.owner.started"
LABEL_BOOT = "io.hermes.owner.boot"

#: The container's main process: it only has to stay alive; portable to any image with sh.
KEEPALIVE = ["/bin/sh", "-c", "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done"]


class DockerBackendError(HermesError):
    """The engine is unreachable, the image is missing, or a container failed."""


def connect_client(options: DockerOptions) -> Any:
    """A docker SDK client for ``options.docker_host`` (or the environment's engine)."""
    try:
        import docker
    except ImportError as exc:  # pragma: no cover - the dependency is declared
        from hermes_core import MissingDependency

        raise MissingDependency("docker", plugin="terminal-docker") from exc
    where = options.docker_host or os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"
    _probe(where)
    client = None
    try:
        if options.docker_host:
            client = docker.DockerClient(base_url=options.docker_host)
        else:
            client = docker.from_env()
        client.ping()
        return client
    except docker.errors.DockerException as exc:
        if client is not None:
            client.close()
        raise DockerBackendError(
            f"cannot reach the Docker engine at {where}: {exc}; start Docker or set terminal.docker.docker_host"
        ) from exc


def _probe(base_url: str) -> None:
    """Fail early, with our own message, when a local engine socket does not answer (the
    SDK would leak the socket it tried, which warnings-as-errors test runs report)."""
    if not base_url.startswith("unix://"):
        return
    path = base_url[len("unix://"):]
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.settimeout(5)
        probe.connect(path)
    except OSError as exc:
        raise DockerBackendError(
            f"cannot reach the Docker engine at {base_url}: {exc}; start Docker or set terminal.docker.docker_host"
        ) from exc
    finally:
        probe.close()


def owner_labels() -> dict[str, str]:
    """Labels naming this process as the owner."""
    return {
        LABEL_HOST: socket.gethostname(),
        LABEL_PID: str(os.getpid()),
        LABEL_STARTED: _process_start(os.getpid()) or "",
        LABEL_BOOT: _boot_id(),
    }


def create_container(client: Any, options: DockerOptions, *, session_id: str, cwd: Path | None) -> Any:
    """Create and start the session's container; returns the SDK ``Container``."""
    import docker

    ensure_image(client, options)
    labels = {LABEL: "docker", LABEL_SESSION: session_id[:200], **owner_labels()}
    kwargs: dict[str, Any] = {
        "command": KEEPALIVE,
        "detach": True,
        "labels": labels,
        "name": f"hermes-{_slug(session_id)}-{uuid.uuid4().hex[:6]}",
        "network_mode": options.network,
        "environment": dict(options.env),
        "init": options.init,
        "security_opt": ["no-new-privileges"],
    }
    if options.cpus:
        kwargs["nano_cpus"] = int(options.cpus * 1e9)
    if options.memory:
        kwargs["mem_limit"] = options.memory
        kwargs["memswap_limit"] = options.memory  # the same figure: no swap on top
    if options.pids_limit:
        kwargs["pids_limit"] = options.pids_limit
    if options.user:
        kwargs["user"] = options.user
    workdir = options.workdir
    if options.mount_cwd:
        if cwd is None:
            raise DockerBackendError("terminal.docker.mount_cwd is on but the session has no working folder")
        mode = "ro" if options.mount_readonly else "rw"
        kwargs["volumes"] = {str(Path(cwd).resolve()): {"bind": options.mount_target, "mode": mode}}
        workdir = workdir or options.mount_target
    if workdir:
        kwargs["working_dir"] = workdir
    try:
        return client.containers.run(options.image, **kwargs)
    except docker.errors.APIError as exc:
        raise DockerBackendError(f"cannot start a container from image {options.image}: {_explain(exc)}") from exc


def ensure_image(client: Any, options: DockerOptions) -> None:
    """Make sure the image is there, pulling it as ``options.pull`` says."""
    import docker

    if options.pull != "always":
        try:
            client.images.get(options.image)
            return
        except docker.errors.ImageNotFound:
            if options.pull == "never":
                raise DockerBackendError(
                    f"image {options.image} is not present and terminal.docker.pull is 'never': "
                    f"build or pull it first (docker pull {options.image}) or set terminal.docker.image"
                ) from None
    try:
        client.images.pull(options.image)
    except docker.errors.DockerException as exc:
        raise DockerBackendError(
            f"image {options.image} is not present locally and pulling it failed: {_explain(exc)}; "
            f"pull or build it yourself, or set terminal.docker.image to an image the engine has"
        ) from exc


def remove_container(container: Any) -> None:
    """Remove a container and everything running in it; a container already gone is fine."""
    import docker

    try:
        container.remove(force=True, v=True)
    except docker.errors.NotFound:
        pass
    except docker.errors.APIError as exc:
        if "already in progress" not in str(exc):
            raise DockerBackendError(f"cannot remove container {container.name}: {_explain(exc)}") from exc


def hermes_containers(client: Any) -> list[Any]:
    """Every container (running or not) that carries hermes's label."""
    return client.containers.list(all=True, filters={"label": f"{LABEL}=docker"})


def owner_is_gone(labels: dict[str, str]) -> bool:
    """Whether the hermes process that created a container (by its labels) no longer runs.

    Only containers created on this machine can be judged; others count as alive.
    """
    if labels.get(LABEL_HOST) != socket.gethostname():
        return False
    if labels.get(LABEL_BOOT) and labels.get(LABEL_BOOT) != _boot_id():
        return True
    try:
        pid = int(labels.get(LABEL_PID, ""))
    except ValueError:
        return True
    started = _process_start(pid)
    # A PID in use by another program (reused after a crash) also means the owner is gone.
    return started is None or (bool(labels.get(LABEL_STARTED)) and started != labels.get(LABEL_STARTED))


def remove_leftover_containers(docker_host: str | None = None, *, client: Any = None, everything: bool = False) -> list[str]:
    """Remove containers left behind by hermes processes that are gone; returns their names.

    ``everything=True`` removes every hermes container on the engine, live sessions'
    included (for ``docker system prune``-like clean-ups when no hermes runs).
    """
    own = client is None
    if own:
        client = connect_client(DockerOptions(docker_host=docker_host))
    removed: list[str] = []
    try:
        for container in hermes_containers(client):
            if everything or owner_is_gone(container.labels or {}):
                remove_container(container)
                removed.append(container.name)
    finally:
        if own:
            client.close()
    return removed


def _slug(text: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_.-]+", "-", text)[:40].strip("-.") or "session"


def _process_start(pid: int) -> str | None:
    """The start time (clock ticks after boot) of a local process, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as handle:
            stat = handle.read()
    except OSError:
        return None
    return stat.rpartition(")")[2].split()[19]


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _explain(exc: Exception) -> str:
    explanation = getattr(exc, "explanation", None)
    return str(explanation or exc)
