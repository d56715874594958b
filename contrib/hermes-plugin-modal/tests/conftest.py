"""A fake of Modal's gRPC API on 127.0.0.1 (the real service cannot be reached from tests)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hermes_plugin_modal.testing import FakeModal


@pytest.fixture(scope="session")
def fake_modal() -> Iterator[FakeModal]:
    with FakeModal() as fake:
        yield fake


@pytest.fixture
def modal_env(monkeypatch: pytest.MonkeyPatch, fake_modal: FakeModal, tmp_path) -> FakeModal:
    """The SDK pointed at the fake through its documented variables; no ~/.modal.toml."""
    for name, value in fake_modal.environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("MODAL_CONFIG_PATH", str(tmp_path / "no-modal.toml"))
    return fake_modal
