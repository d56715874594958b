"""The sqlite store passes the kit's session store conformance suite."""

from __future__ import annotations

from hermes_core.testing.conformance.sessions import SessionStoreConformance
from hermes_plugin_sessions.settings import SqliteSettings
from hermes_plugin_sessions.store import SqliteSessionStore


class TestSqliteConformance(SessionStoreConformance):
    def make_store(self, path):
        return SqliteSessionStore(path / "state.db", SqliteSettings(busy_timeout=20))
