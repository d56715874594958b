"""The sqlite store beyond the conformance suite: layout, index contents, search options,
bulk import, pruning, errors, locking and crash safety."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from hermes_core.types import Message, SessionRecord, ToolCall
from hermes_plugin_sessions import _ops
from hermes_plugin_sessions._schema import APPLICATION_ID, SCHEMA_VERSION, scope_word
from hermes_plugin_sessions.errors import SchemaError
from hermes_plugin_sessions._worker import StoreError
from hermes_plugin_sessions.settings import SqliteSettings
from hermes_plugin_sessions.store import SqliteSessionStore, open_store


@pytest.fixture
def db(tmp_path):
    return tmp_path / "state.db"


@pytest.fixture
def store(db):
    return SqliteSessionStore(db, SqliteSettings())


def record(sid, user="alice", **fields):
    return SessionRecord(id=sid, user_id=user, **fields)


def raw(db):
    conn = sqlite3.connect(str(db))
    return conn


async def test_layout_wal_and_marks(store, db):
    await store.create_session(record("s1"))
    await store.aclose()
    conn = raw(db)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema")}
        assert {"sessions", "messages", "messages_fts", "messages_fts_source"} <= names
    finally:
        conn.close()


async def test_default_path_and_relative_override(tmp_path):
    store = open_store(tmp_path, {})
    assert store.path == tmp_path / "state.db"
    other = open_store(tmp_path, {"path": "data/sessions.db", "busy_timeout": 3})
    assert other.path == tmp_path / "data" / "sessions.db" and other.settings.busy_timeout == 3
    await store.aclose()
    await other.aclose()


async def test_someone_elses_database_is_left_alone(db):
    conn = raw(db)
    conn.execute("CREATE TABLE sessions (id TEXT PRIMARY KEY, source TEXT)")
    conn.commit()
    conn.close()
    store = SqliteSessionStore(db)
    with pytest.raises(StoreError) as caught:
        await store.create_session(record("s1"))
    assert "did not create" in str(caught.value) and "sessions.sqlite.path" in str(caught.value)
    await store.aclose()
    conn = raw(db)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_schema")] == ["sessions", "sqlite_autoindex_sessions_1"]
    conn.close()


async def test_a_newer_layout_is_refused(store, db):
    await store.create_session(record("s1"))
    await store.aclose()
    conn = raw(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    again = SqliteSessionStore(db)
    with pytest.raises(StoreError, match="newer hermes-plugin-sessions"):
        await again.get_session("s1")
    await again.aclose()
    assert issubclass(SchemaError, Exception)


async def test_system_prompts_are_stored_but_not_searchable(store):
    await store.create_session(record("s1"))
    await store.append_messages("s1", [
        Message(role="system", content="You are hermes. Secretword zanzibar lives only here."),
        Message(role="user", content="hello there"),
    ])
    assert [m.role for m in await store.get_messages("s1")] == ["system", "user"]
    assert await store.search("zanzibar", "alice") == []
    assert [h.role for h in await store.search("hello", "alice")] == ["user"]
    await store.aclose()


async def test_tool_names_and_escaped_arguments_are_indexed(store):
    await store.create_session(record("s1"))
    patch = ToolCall(id="c1", name="write_file", arguments='{"path": "a.py", "content": "import os\\nfrobnicate()"}')
    await store.append_messages("s1", [Message(role="assistant", tool_calls=[patch])])
    # "\n" in the JSON text must not glue "nfrobnicate" together.
    assert [h.session_id for h in await store.search("frobnicate", "alice")] == ["s1"]
    assert [h.session_id for h in await store.search("write_file", "alice")] == ["s1"]
    hit = (await store.search("frobnicate", "alice"))[0]
    assert "**frobnicate**" in hit.snippet
    # The call id is not indexed.
    assert await store.search("c1", "alice") == []
    await store.aclose()


async def test_phrases_prefixes_and_or(store):
    await store.create_session(record("s1"))
    await store.append_messages("s1", [
        Message(role="user", content="the connection was refused by postgres"),
        Message(role="user", content="connection refused on port 5432"),
        Message(role="user", content="kubernetes rollout finished"),
    ])
    phrase = await store.search('"connection refused"', "alice")
    assert len(phrase) == 1
    assert "5432" in phrase[0].snippet
    assert len(await store.search("connection refused", "alice")) == 2
    assert len(await store.search("kube*", "alice")) == 1
    assert len(await store.search("kube", "alice")) == 0
    assert len(await store.search("postgres OR kubernetes", "alice")) == 2
    await store.aclose()


@pytest.mark.parametrize("query", [
    '"', '""', '"""', "(", ")", "*", "**", "^x", "a:b", "NEAR(a b)", "x AND", "OR OR", "NOT", "-", "a -b",
    "{x}", "[x]", "x+y", "é*", "'", "\\", "%_", "\x00", "a" * 5000, "\ud800", "col:*",
])
async def test_odd_queries_never_raise(store, query):
    await store.create_session(record("s1"))
    await store.append_messages("s1", [Message(role="user", content="a b x y NOT near col é")])
    assert isinstance(await store.search(query, "alice"), list)
    await store.aclose()


async def test_search_filters_and_context(store):
    now = time.time()
    await store.create_session(record("old", started_at=now - 100))
    await store.create_session(record("new", started_at=now))
    await store.append_messages("old", [
        Message(role="user", content="before", created_at=now - 99),
        Message(role="user", content="deploy the widget service", created_at=now - 98),
        Message(role="assistant", content="deployed the widget", created_at=now - 97),
        Message(role="tool", name="terminal", tool_call_id="c", content="widget deploy ok", created_at=now - 96),
    ])
    await store.append_messages("new", [Message(role="assistant", content="widget again", created_at=now)])
    hits = await store.search("widget", "alice", limit=10)
    assert {h.session_id for h in hits} == {"old", "new"}
    assert [h.session_id for h in await store.search("widget", "alice", exclude=["new"])] == ["old"] * 3
    assert {h.role for h in await store.search("widget", "alice", roles=["tool"])} == {"tool"}
    newest = await store.search("widget", "alice", sort="newest")
    oldest = await store.search("widget", "alice", sort="oldest")
    assert newest[0].session_id == "new" and oldest[0].session_id == "old"
    assert [h.message_id for h in newest] == sorted((h.message_id for h in newest), reverse=True)
    capped = await store.search("widget", "alice", per_session=1, limit=10)
    assert sorted(h.session_id for h in capped) == ["new", "old"]
    first = [h for h in await store.search('"deploy the widget"', "alice")][0]
    assert [m.content for m in first.context] == ["before", "deploy the widget service", "deployed the widget"]
    assert first.session_title is None and first.created_at == pytest.approx(now - 98)
    with pytest.raises(ValueError, match="unknown role"):
        await store.search("widget", "alice", roles=["robot"])
    with pytest.raises(ValueError, match="sort"):
        await store.search("widget", "alice", sort="random")
    await store.aclose()


async def test_relevance_prefers_the_better_match(store):
    await store.create_session(record("s1"))
    await store.append_messages("s1", [
        Message(role="user", content="nginx " + "filler words about many other things " * 20),
        Message(role="user", content="nginx nginx reverse proxy nginx config"),
    ])
    hits = await store.search("nginx", "alice")
    assert "proxy" in hits[0].snippet and hits[0].score > hits[1].score
    await store.aclose()


async def test_deletes_keep_the_index_consistent(store, db):
    await store.create_session(record("s1"))
    await store.create_session(record("s2"))
    await store.append_messages("s1", [Message(role="user", content="alpha bravo")])
    await store.append_messages("s2", [Message(role="user", content="alpha charlie")])
    assert await store.delete_session("s1") is True
    await store.aclose()
    conn = raw(db)  # a raw delete from the sqlite3 shell goes through the same triggers
    conn.execute("DELETE FROM sessions WHERE id = 's2'")
    conn.commit()
    conn.close()
    again = SqliteSessionStore(db)
    assert await again.search("alpha", "alice") == []
    assert await again.integrity() == []
    await again.aclose()


async def test_bulk_import(store, db):
    await store.create_session(record("live"))
    sessions = [
        (record(f"imp{i}", started_at=1000.0 + i), [
            Message(role="system", content="prompt"),
            Message(role="user", content=f"imported question {i} about quasars"),
            Message(role="assistant", tool_calls=[ToolCall(id="c", name="web_search", arguments='{"query": "pulsars"}')]),
        ])
        for i in range(50)
    ]
    report = await store.import_sessions(sessions)
    assert report.sessions == 50 and report.messages == 150 and not report.skipped
    again = await store.import_sessions(sessions[:2])
    assert again.sessions == 0 and again.skipped == ["imp0", "imp1"]
    assert len(await store.search("quasars", "alice", limit=100)) == 50
    assert len(await store.search("pulsars", "alice", limit=100)) == 50
    got = await store.get_session("imp7")
    assert got.message_count == 3 and [m.role for m in await store.get_messages("imp7")][-1] == "assistant"
    # The per-row triggers are back: live appends are indexed and counted again.
    await store.append_messages("live", [Message(role="user", content="quasars live")])
    assert (await store.get_session("live")).message_count == 1
    assert any(h.session_id == "live" for h in await store.search("quasars", "alice", limit=100))
    assert await store.integrity() == []
    await store.aclose()


async def test_failed_import_changes_nothing(store):
    await store.create_session(record("live"))

    def items():
        yield record("imp1"), [Message(role="user", content="first")]
        raise RuntimeError("source file broke")

    with pytest.raises(RuntimeError):
        await store.import_sessions(items())
    assert await store.get_session("imp1") is None
    await store.append_messages("live", [Message(role="user", content="still indexed")])
    assert len(await store.search("indexed", "alice")) == 1
    await store.aclose()


async def test_bad_input_is_refused_clearly_and_loses_nothing(store):
    await store.create_session(record("s1"))
    await store.append_messages("s1", [Message(role="user", content="kept")])
    with pytest.raises(LookupError, match="no saved session 'nope'"):
        await store.append_messages("nope", [Message(role="user", content="x")])
    with pytest.raises(ValueError, match="not a valid message"):
        await store.append_messages("s1", [Message(role="user", content="fine"), {"role": "robot"}])
    with pytest.raises(ValueError, match="cannot update session field"):
        await store.update_session("s1", colour="blue")
    with pytest.raises(LookupError):
        await store.update_session("nope", title="x")
    with pytest.raises(ValueError, match="another user"):
        await store.create_session(record("s1", user="mallory"))
    await store.create_session(record("s1"))  # the same user again: harmless
    assert [m.content for m in await store.get_messages("s1")] == ["kept"]
    # Undecodable text (lone surrogates) is saved with a replacement character.
    await store.append_messages("s1", [Message(role="tool", content="bytes \udcff here", name="terminal")])
    assert (await store.get_messages("s1"))[-1].content == "bytes ? here"
    await store.aclose()


async def test_lineage_and_windows(store):
    await store.create_session(record("root"))
    await store.create_session(record("child", parent_id="root"))
    await store.create_session(record("grandchild", parent_id="child"))
    await store.create_session(record("other"))
    assert sorted(await store.lineage("child")) == ["child", "grandchild", "root"]
    ids = await store.append_messages("root", [Message(role="system", content="p")] +
                                      [Message(role="user", content=f"m{i}") for i in range(30)])
    window = await store.message_window("root", around=ids[15], limit=5)
    assert [s.message.content for s in window.messages] == ["m12", "m13", "m14", "m15", "m16"]
    assert window.more_before and window.more_after
    head = await store.message_window("root", limit=3)
    assert [s.message.content for s in head.messages] == ["m0", "m1", "m2"] and not head.more_before
    tail = await store.message_window("root", start=-2, limit=10)
    assert [s.message.content for s in tail.messages] == ["m28", "m29"] and not tail.more_after
    with pytest.raises(LookupError):
        await store.message_window("other", around=ids[3])
    assert await store.message_window("missing") is None
    assert await store.resolve_id("grand") == "grandchild"
    assert await store.resolve_id("o") == "other"
    assert await store.resolve_id("") is None and await store.resolve_id("zzz") is None
    assert await store.resolve_id("grand", user_id="bob") is None
    await store.aclose()


async def test_prune_uses_last_activity(store):
    now = time.time()
    day = 86400
    await store.create_session(record("stale", started_at=now - 40 * day))
    await store.create_session(record("long", started_at=now - 40 * day))
    await store.create_session(record("fresh", started_at=now - day))
    await store.create_session(record("bobs", user="bob", started_at=now - 40 * day))
    await store.append_messages("stale", [Message(role="user", content="old", created_at=now - 39 * day)])
    await store.append_messages("long", [Message(role="user", content="recent", created_at=now - 2 * day)])
    cutoff = now - 30 * day
    assert await store.count_prunable(cutoff, "alice") == (1, 1)
    assert await store.prune(cutoff, "alice") == 1
    assert await store.get_session("stale") is None and await store.get_session("long") is not None
    assert await store.prune(cutoff) == 1 and await store.get_session("bobs") is None
    await store.aclose()


async def test_stats(store):
    await store.create_session(record("s1"))
    await store.create_session(record("s2", user="bob"))
    await store.append_messages("s1", [Message(role="user", content="word " * 50) for _ in range(20)])
    stats = await store.stats()
    assert (stats.sessions, stats.messages, stats.users) == (2, 20, 2)
    assert stats.db_bytes > 0 and 0 < stats.fts_share < 1
    await store.optimize()
    await store.aclose()


async def test_sql_runs_off_the_event_loop_thread(store):
    loop_thread = threading.get_ident()
    worker_thread = await store._worker.run(lambda conn: threading.get_ident())
    assert worker_thread != loop_thread
    await store.aclose()
    with pytest.raises(StoreError, match="closed"):
        await store.get_session("x")
    await store.aclose()  # twice is fine


async def test_a_busy_database_waits_then_reports(db):
    store = SqliteSessionStore(db, SqliteSettings(busy_timeout=5))
    await store.create_session(record("s1"))
    blocker = sqlite3.connect(str(db), isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, blocker.execute, ("COMMIT",))
    release.start()
    start = time.monotonic()
    await store.append_messages("s1", [Message(role="user", content="waited")])
    assert time.monotonic() - start >= 0.2
    release.join()
    impatient = SqliteSessionStore(db, SqliteSettings(busy_timeout=0.2))
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="locked by another process"):
            await impatient.append_messages("s1", [Message(role="user", content="gave up")])
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert [m.content for m in await store.get_messages("s1")] == ["waited"]
    await store.aclose()
    await impatient.aclose()


_WRITER = textwrap.dedent("""
    import asyncio, os, sys
    from hermes_core.types import Message, SessionRecord
    from hermes_plugin_sessions.store import SqliteSessionStore

    async def main(path, name, count, crash):
        store = SqliteSessionStore(path)
        await store.create_session(SessionRecord(id="shared", user_id="alice"))
        for i in range(count):
            await store.append_messages("shared", [Message(role="user", content=f"{name} {i}")])
        if crash:
            os._exit(3)  # no close, no checkpoint: like a crash right after the last append
        await store.aclose()

    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "crash"))
""")


def test_processes_write_at_once_and_a_crash_loses_nothing_committed(db):
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(db), name, "150", mode])
        for name, mode in (("one", "ok"), ("two", "ok"), ("three", "crash"))
    ]
    codes = [p.wait(timeout=60) for p in procs]
    assert codes == [0, 0, 3]
    store = SqliteSessionStore(db)
    messages = asyncio.run(store.get_messages("shared"))
    for name in ("one", "two", "three"):
        assert [m.content for m in messages if m.content.startswith(name + " ")] == [f"{name} {i}" for i in range(150)]
    assert len(asyncio.run(store.search("three", "alice", limit=1000))) == 150
    store.close()


async def test_search_for_one_user_among_many(store):
    # 40 users whose sessions interleave: one user's messages are spread thin over the
    # index; the store intersects the query with the user's scope word.
    users = [f"user{u}" for u in range(40)]
    for round_ in range(3):
        for user in users:
            sid = f"{user}-{round_}"
            await store.create_session(record(sid, user=user))
            await store.append_messages(sid, [
                Message(role="user", content=f"deploy the gizmo service {user} round {round_}"),
                Message(role="assistant", content="ok"),
            ])
    for user in ("user0", "user17", "user39"):
        hits = await store.search("gizmo", user, limit=10)
        assert sorted(h.session_id for h in hits) == [f"{user}-{r}" for r in range(3)]
        newest = await store.search("gizmo", user, limit=10, sort="newest")
        assert [h.session_id for h in newest] == [f"{user}-{r}" for r in (2, 1, 0)]
        oldest = await store.search("giz*", user, limit=1, sort="oldest")
        assert [h.session_id for h in oldest] == [f"{user}-0"]
    assert await store.search("gizmo", "nobody") == []
    assert await store._worker.run(_ops._is_small, "user17") is True
    # A user's words never match another user's scope word.
    assert await store.search(scope_word("user3"), "user17") == []
    await store.aclose()


async def test_a_sessions_user_cannot_change_under_the_index(store, db):
    await store.create_session(record("s1"))
    await store.append_messages("s1", [Message(role="user", content="mine")])
    await store.aclose()
    conn = raw(db)
    with pytest.raises(sqlite3.IntegrityError, match="cannot change"):
        conn.execute("UPDATE sessions SET user_id = 'mallory' WHERE id = 's1'")
    conn.close()
