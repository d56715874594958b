"""A fake Daytona API on 127.0.0.1 (the real service cannot be reached from tests)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hermes_plugin_daytona.testing import FakeDaytona


@pytest.fixture(scope="session")
def fake_daytona() -> Iterator[FakeDaytona]:
    with FakeDaytona(api_key="hermes-test-key") as fake:
        yield fake


@pytest.fixture
def daytona_env(monkeypatch: pytest.MonkeyPatch, fake_daytona: FakeDaytona) -> FakeDaytona:
    """The API key in the environment, as a user would set it; socket.io events off."""
    monkeypatch.setenv("DAYTONA_API_KEY", fake_daytona.api_key)
    return fake_daytona
