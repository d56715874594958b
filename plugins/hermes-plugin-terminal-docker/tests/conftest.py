"""A private dockerd and an offline test image for the whole test session."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hermes_plugin_terminal_docker.testing import DockerDaemon, DockerUnavailable, build_test_image


def pytest_configure(config: pytest.Config) -> None:
    # Registered here too so the marker is known when pytest-xdist is not installed.
    config.addinivalue_line("markers", "xdist_group(name): run in the same xdist worker as the group")


class Engine:
    """The running test engine and the options that point the backend at it."""

    def __init__(self, daemon: DockerDaemon, image: str) -> None:
        self.daemon = daemon
        self.image = image

    def options(self, **overrides: Any) -> dict[str, Any]:
        values: dict[str, Any] = {
            "docker_host": self.daemon.base_url,
            "image": self.image,
            "pull": "never",
            "network": "none",
            "cpus": 1.0,
            "memory": "256m",
            "pids_limit": 256,
        }
        values.update(overrides)
        return values

    def client(self) -> Any:
        import docker

        return docker.DockerClient(base_url=self.daemon.base_url)


@pytest.fixture(scope="session")
def docker_engine() -> Iterator[Engine]:
    """dockerd with its own socket, data and exec roots; skips with the reason if it
    cannot start here."""
    try:
        daemon = DockerDaemon.start()
    except DockerUnavailable as exc:
        pytest.skip(f"no Docker engine for the docker backend tests: {exc}")
    with daemon:
        try:
            image = build_test_image(daemon.base_url)
        except Exception as exc:  # noqa: BLE001 - any failure here means: cannot test docker
            pytest.skip(f"could not build the offline test image: {exc}\n{daemon.log_tail()}")
        yield Engine(daemon, image)


@pytest.fixture
def docker_client(docker_engine: Engine) -> Iterator[Any]:
    client = docker_engine.client()
    yield client
    client.close()
