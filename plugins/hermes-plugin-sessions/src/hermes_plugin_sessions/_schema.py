"""The database layout, and opening a connection to it.

Two tables and one full-text index:

* ``sessions``: one row per conversation, keyed by an integer ``pk`` so that messages
  refer to their session with a 1-3 byte integer rather than the 24-character id; the
  message count is kept by triggers;
* ``messages``: one row per message, small columns first so that reading a message's
  role or time never touches the overflow pages of a long tool output;
* ``messages_fts``: an FTS5 index with *external content*: it stores only the index, and
  reads text back from the view ``messages_fts_source`` when it needs it (snippets), so no
  text is kept twice. It covers message text and, for tool calls, the tool's name and its
  arguments (JSON string escapes turned into spaces so ``\\n`` does not glue words); never
  system prompts. A third column holds one *scope* word per message naming its user
  (``u`` and the user id in hex): a search for a user with few messages intersects with
  that word instead of walking every user's matches. Triggers keep the index in sync,
  whoever writes: this plugin, another process, or someone with the ``sqlite3`` shell.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .errors import SchemaError
from .settings import SqliteSettings

#: Bumped when the layout changes; :func:`ensure_schema` migrates older files.
SCHEMA_VERSION = 1
#: Marks the file as ours ("HRMS"), so an unrelated ``state.db`` is never written to.
APPLICATION_ID = 0x48524D53


def _tools_text(row: str) -> str:
    """SQL for the indexed text of a message's tool calls: ``name arguments`` per call."""
    # The CASE skips the subquery for the messages without tool calls (most of them).
    return (
        f"CASE WHEN {row}.tool_calls IS NULL THEN NULL ELSE "
        "(SELECT group_concat(json_extract(c.value, '$.name') || ' ' || "
        "replace(replace(replace(json_extract(c.value, '$.arguments'), '\\n', ' '), '\\t', ' '), '\\r', ' '), "
        f"char(10)) FROM json_each({row}.tool_calls) AS c) END"
    )


def _scope(row: str) -> str:
    """SQL for the scope word of a message: ``u`` and its session's user id in hex."""
    return f"(SELECT 'u' || hex(s.user_id) FROM sessions AS s WHERE s.pk = {row}.session_pk)"


def scope_word(user_id: str) -> str:
    """The scope word of ``user_id``'s messages (as :func:`_scope` makes it, folded)."""
    return "u" + user_id.encode("utf-8").hex()


_TABLES = f"""
CREATE TABLE sessions (
    pk                INTEGER PRIMARY KEY,
    id                TEXT NOT NULL UNIQUE,
    user_id           TEXT NOT NULL,
    platform          TEXT NOT NULL,
    chat_id           TEXT,
    parent_id         TEXT,
    model             TEXT,
    title             TEXT,
    started_at        REAL NOT NULL,
    ended_at          REAL,
    end_reason        TEXT,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cached_tokens     INTEGER NOT NULL DEFAULT 0,
    requests          INTEGER NOT NULL DEFAULT 0,
    cost              REAL,
    message_count     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_user ON sessions(user_id, started_at);
CREATE INDEX sessions_by_start ON sessions(started_at);
CREATE INDEX sessions_by_parent ON sessions(parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE messages (
    id           INTEGER PRIMARY KEY,
    session_pk   INTEGER NOT NULL REFERENCES sessions(pk),
    seq          INTEGER NOT NULL,
    role         TEXT NOT NULL,
    created_at   REAL NOT NULL,
    tool_call_id TEXT,
    name         TEXT,
    meta         TEXT,
    content      TEXT,
    tool_calls   TEXT,
    reasoning    TEXT
);
CREATE UNIQUE INDEX messages_by_session ON messages(session_pk, seq);
-- The one deliberate duplicate (about 2% of the file): a search checks the session and
-- role of up to a thousand candidate messages, and reading them from this narrow index
-- touches a few pages instead of one wide table page per message.
CREATE INDEX messages_owner ON messages(id, session_pk, role);

CREATE VIEW messages_fts_source AS
    SELECT id, content, {_tools_text("messages")} AS tools, {_scope("messages")} AS scope
    FROM messages WHERE role != 'system';

CREATE VIRTUAL TABLE messages_fts USING fts5(
    content, tools, scope,
    content='messages_fts_source', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
"""

#: Trigger name -> body. The two insert triggers are dropped and re-created inside a bulk
#: import's transaction, so they are kept apart from the rest of the layout.
INSERT_TRIGGERS = {
    "messages_fts_insert": f"""
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.role != 'system' BEGIN
    INSERT INTO messages_fts(rowid, content, tools, scope)
    VALUES (new.id, new.content, {_tools_text("new")}, {_scope("new")});
END""",
    "messages_count_insert": """
CREATE TRIGGER messages_count_insert AFTER INSERT ON messages BEGIN
    UPDATE sessions SET message_count = message_count + 1 WHERE pk = new.session_pk;
END""",
}

_OTHER_TRIGGERS = f"""
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.role != 'system' BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content, tools, scope)
    VALUES ('delete', old.id, old.content, {_tools_text("old")}, {_scope("old")});
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF session_pk, role, content, tool_calls ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content, tools, scope)
    SELECT 'delete', old.id, old.content, {_tools_text("old")}, {_scope("old")} WHERE old.role != 'system';
    INSERT INTO messages_fts(rowid, content, tools, scope)
    SELECT new.id, new.content, {_tools_text("new")}, {_scope("new")} WHERE new.role != 'system';
END;
-- The index's scope words name each message's user: changing a session's user would
-- leave them wrong, so it is refused (copy the session instead).
CREATE TRIGGER sessions_user_fixed BEFORE UPDATE OF user_id ON sessions
WHEN new.user_id IS NOT old.user_id BEGIN
    SELECT RAISE(ABORT, 'the user of a saved session cannot change');
END;
CREATE TRIGGER messages_count_delete AFTER DELETE ON messages BEGIN
    UPDATE sessions SET message_count = message_count - 1 WHERE pk = old.session_pk;
END;
CREATE TRIGGER sessions_delete BEFORE DELETE ON sessions BEGIN
    DELETE FROM messages WHERE session_pk = old.pk;
END;
"""

#: The full-text index (its shadow tables are named after it).
FTS_TABLE = "messages_fts"


def connect(path: Path, settings: SqliteSettings) -> sqlite3.Connection:
    """Open ``path`` with the pragmas this store relies on, creating or migrating the
    layout as needed. The connection is in autocommit mode: callers open transactions
    themselves (``BEGIN IMMEDIATE`` for writes, so a busy database waits instead of
    failing half-way)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(
        str(path), timeout=settings.busy_timeout, isolation_level=None, check_same_thread=False
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(settings.busy_timeout * 1000)}")
        _check_owner(conn, path)  # before anything writes to a file that may not be ours
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise SchemaError(f"{path}: could not switch the database to WAL mode (got {mode!r})")
        conn.execute(f"PRAGMA synchronous = {settings.synchronous.upper()}")
        conn.execute(f"PRAGMA cache_size = -{settings.cache_mb * 1024}")
        conn.execute(f"PRAGMA mmap_size = {settings.mmap_mb * 1024 * 1024}")
        # Deleted text is zeroed where that costs no extra I/O: a deleted session does not
        # linger in free pages, and FTS segment merges stay cheap.
        conn.execute("PRAGMA secure_delete = FAST")
        conn.execute("PRAGMA temp_store = MEMORY")
        # The WAL file is cut back to this size after each complete checkpoint.
        conn.execute("PRAGMA journal_size_limit = 67108864")
        if settings.checkpoint_interval > 0:
            # A background thread checkpoints; this is only the safety net if it lags.
            conn.execute("PRAGMA wal_autocheckpoint = 20000")
        ensure_schema(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def _check_owner(conn: sqlite3.Connection, path: Path) -> None:
    app_id, version = _ids(conn)
    if app_id == APPLICATION_ID:
        if version > SCHEMA_VERSION:
            raise SchemaError(
                f"{path} was written by a newer hermes-plugin-sessions (layout {version}, this one knows "
                f"{SCHEMA_VERSION}); upgrade the plugin (pip install -U hermes-plugin-sessions)"
            )
        return
    if app_id != 0 or conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]:
        raise SchemaError(
            f"{path} is a database hermes-plugin-sessions did not create (perhaps Hermes Agent's); "
            "it is left untouched. Move it aside, or point sessions.sqlite.path at another file: "
            "hermes config set sessions.sqlite.path sessions.db"
        )


def ensure_schema(conn: sqlite3.Connection, path: Path) -> None:
    """Create the layout in an empty file; refuse files that are not ours or too new."""
    app_id, version = _ids(conn)
    if app_id == APPLICATION_ID and version == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        app_id, version = _ids(conn)  # another process may have just created it
        if app_id == APPLICATION_ID and version == SCHEMA_VERSION:
            conn.execute("COMMIT")
            return
        _check_owner(conn, path)
        if app_id != APPLICATION_ID:
            for statement in _statements(_TABLES + _OTHER_TRIGGERS):
                conn.execute(statement)
            for statement in INSERT_TRIGGERS.values():
                conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _ids(conn: sqlite3.Connection) -> tuple[int, int]:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    return app_id, version


def _statements(script: str) -> list[str]:
    """Split a script of CREATE statements (trigger bodies hold semicolons too)."""
    out: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                out.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        out.append(buffer.strip())
    return out
