"""The store's SQL, as plain functions of a connection (they run on the worker thread).

Each function is one transaction: writes use ``BEGIN IMMEDIATE`` (take the write lock
first, so a busy database makes them wait rather than fail half-way), reads that take
several statements use a plain ``BEGIN`` for one consistent snapshot.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from hermes_core.types import Message, SearchHit, SessionRecord, StoredMessage

from . import _codec as codec
from ._fts import Query
from ._schema import FTS_TABLE, INSERT_TRIGGERS, scope_word
from ._snippet import snippet
from .records import ImportReport, MessageWindow, SessionSummary, StoreStats

_INSERT_MESSAGE = (
    f"INSERT INTO messages (session_pk, seq, {', '.join(codec.MESSAGE_COLUMNS)}) "
    "SELECT ?, coalesce((SELECT max(seq) FROM messages WHERE session_pk = ?), -1) + 1, ?, ?, ?, ?, ?, ?, ?, ?"
)
_INSERT_SESSION = (
    "INSERT INTO sessions (id, user_id, platform, chat_id, parent_id, model, title, started_at, ended_at, "
    "end_reason, prompt_tokens, completion_tokens, cached_tokens, requests, cost) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
#: bm25 weights of the indexed columns: message text, tool names and arguments, scope.
_BM25 = f"bm25({FTS_TABLE}, 1.0, 0.75, 0.0)"
#: Words in a snippet.
SNIPPET_WORDS = 24


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction: committed when the block ends, rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction: every statement inside sees the same state."""
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


def _session_pk(conn: sqlite3.Connection, session_id: str) -> int | None:
    row = conn.execute("SELECT pk FROM sessions WHERE id = ?", (session_id,)).fetchone()
    return row[0] if row else None


# -- sessions ---------------------------------------------------------------------------


def create_session(conn: sqlite3.Connection, record: SessionRecord) -> None:
    """Insert ``record``. Creating an existing session of the same user is a no-op (two
    processes may race to create one); another user's id is refused."""
    with write(conn):
        row = conn.execute("SELECT user_id FROM sessions WHERE id = ?", (record.id,)).fetchone()
        if row is not None:
            if row[0] != record.user_id:
                raise ValueError(f"session id {record.id!r} is already taken by another user")
            return
        conn.execute(_INSERT_SESSION, codec.session_values(record))


def update_session(conn: sqlite3.Connection, session_id: str, columns: dict[str, Any]) -> None:
    """Set ``columns`` on a session; LookupError when it does not exist."""
    if not columns:
        return
    assignments = ", ".join(f"{name} = ?" for name in columns)
    with write(conn):
        cursor = conn.execute(f"UPDATE sessions SET {assignments} WHERE id = ?", (*columns.values(), session_id))
        if cursor.rowcount == 0:
            raise LookupError(f"no saved session {session_id!r}")


def get_session(conn: sqlite3.Connection, session_id: str) -> SessionRecord | None:
    row = conn.execute(f"SELECT {codec.SESSION_SELECT} FROM sessions WHERE id = ?", (session_id,)).fetchone()
    return codec.row_session(row) if row else None


def resolve_id(conn: sqlite3.Connection, prefix: str, user_id: str | None = None) -> str | None:
    """The session whose id is ``prefix``, or the only one starting with it."""
    sql = "SELECT id FROM sessions WHERE id >= ? AND id < ?"
    params: list[Any] = [prefix, prefix + "\U0010ffff"]  # a range the id index answers
    if user_id is not None:
        sql += " AND user_id = ?"
        params.append(user_id)
    rows = [r[0] for r in conn.execute(sql + " ORDER BY id LIMIT 2", params).fetchall()]
    if prefix in rows:
        return prefix
    return rows[0] if len(rows) == 1 else None


def list_sessions(
    conn: sqlite3.Connection, user_id: str | None, limit: int, offset: int, platform: str | None,
    exclude: Sequence[str] = (),
) -> list[SessionRecord]:
    """Newest first; ``user_id`` None lists every user's (for the owner's CLI)."""
    where, params = _session_filter(user_id, platform, exclude)
    rows = conn.execute(
        f"SELECT {codec.SESSION_SELECT} FROM sessions {where} ORDER BY started_at DESC, pk DESC LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()
    return [codec.row_session(row) for row in rows]


def _session_filter(user_id: str | None, platform: str | None, exclude: Sequence[str]) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if user_id is not None:
        clauses.append("user_id = ?")
        params.append(user_id)
    if platform is not None:
        clauses.append("platform = ?")
        params.append(platform)
    if exclude:
        clauses.append(f"id NOT IN ({_marks(exclude)})")
        params.extend(exclude)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def recent_sessions(
    conn: sqlite3.Connection, user_id: str | None, limit: int, offset: int, platform: str | None,
    exclude: Sequence[str], preview_chars: int,
) -> list[SessionSummary]:
    """Newest first, each with its first user message and the time of its last message."""
    where, params = _session_filter(user_id, platform, exclude)
    sql = f"""
        SELECT {codec.SESSION_SELECT},
               (SELECT substr(m.content, 1, ?) FROM messages AS m
                 WHERE m.session_pk = sessions.pk AND m.role = 'user' ORDER BY m.seq LIMIT 1),
               (SELECT m.created_at FROM messages AS m WHERE m.session_pk = sessions.pk ORDER BY m.seq DESC LIMIT 1)
        FROM sessions {where} ORDER BY started_at DESC, pk DESC LIMIT ? OFFSET ?"""
    with snapshot(conn):
        rows = conn.execute(sql, (preview_chars, *params, limit, offset)).fetchall()
    return [
        SessionSummary(record=codec.row_session(row), preview=row[16], last_active=row[17] or row[8] or row[7])
        for row in rows
    ]


def lineage(conn: sqlite3.Connection, session_id: str) -> list[str]:
    """``session_id``, its ancestors (``parent_id`` chain) and its descendants."""
    rows = conn.execute(
        """
        WITH RECURSIVE up(id, parent_id) AS (
            SELECT id, parent_id FROM sessions WHERE id = :sid
            UNION SELECT s.id, s.parent_id FROM sessions AS s JOIN up ON s.id = up.parent_id
        ), down(id) AS (
            SELECT :sid
            UNION SELECT s.id FROM sessions AS s JOIN down ON s.parent_id = down.id
        )
        SELECT id FROM up UNION SELECT id FROM down
        """,
        {"sid": session_id},
    ).fetchall()
    ids = [row[0] for row in rows]
    return ids or [session_id]


def delete_session(conn: sqlite3.Connection, session_id: str) -> bool:
    """Delete a session; its messages and their index entries go with it (triggers)."""
    with write(conn):
        return conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount > 0


_PRUNE_WHERE = """
    started_at < :cutoff
    AND coalesce(ended_at, (SELECT max(m.created_at) FROM messages AS m WHERE m.session_pk = sessions.pk), started_at)
        < :cutoff
    AND (:user IS NULL OR user_id = :user)
"""


def count_prunable(conn: sqlite3.Connection, cutoff: float, user_id: str | None) -> tuple[int, int]:
    """How many sessions (and messages) were last active before ``cutoff``."""
    row = conn.execute(
        f"SELECT count(*), coalesce(sum(message_count), 0) FROM sessions WHERE {_PRUNE_WHERE}",
        {"cutoff": cutoff, "user": user_id},
    ).fetchone()
    return row[0], row[1]


def prune(conn: sqlite3.Connection, cutoff: float, user_id: str | None, batch: int = 100) -> int:
    """Delete sessions last active before ``cutoff``, a batch per transaction so a live
    conversation in another process never waits long for the write lock."""
    deleted = 0
    while True:
        with write(conn):
            cursor = conn.execute(
                f"DELETE FROM sessions WHERE pk IN (SELECT pk FROM sessions WHERE {_PRUNE_WHERE} LIMIT :batch)",
                {"cutoff": cutoff, "user": user_id, "batch": batch},
            )
        deleted += cursor.rowcount
        if cursor.rowcount < batch:
            return deleted


# -- messages ---------------------------------------------------------------------------


def append_messages(conn: sqlite3.Connection, session_id: str, messages: Sequence[Message]) -> list[int]:
    """Append in one transaction; returns the new ids. LookupError for an unknown session."""
    values = [codec.message_values(message) for message in messages]
    ids: list[int] = []
    with write(conn):
        pk = _session_pk(conn, session_id)
        if pk is None:
            raise LookupError(f"no saved session {session_id!r}; create it before appending messages")
        for row in values:
            ids.append(conn.execute(_INSERT_MESSAGE, (pk, pk, *row)).lastrowid)  # type: ignore[arg-type]
    return ids


def get_messages(conn: sqlite3.Connection, session_id: str) -> list[Message]:
    rows = conn.execute(
        f"SELECT {codec.MESSAGE_SELECT} FROM messages WHERE session_pk = (SELECT pk FROM sessions WHERE id = ?) "
        "ORDER BY seq",
        (session_id,),
    ).fetchall()
    return [codec.row_message(row) for row in rows]


def iter_messages(conn: sqlite3.Connection, session_id: str) -> list[StoredMessage]:
    """Every message of a session with its id (for export)."""
    rows = conn.execute(
        f"SELECT {codec.MESSAGE_SELECT} FROM messages WHERE session_pk = (SELECT pk FROM sessions WHERE id = ?) "
        "ORDER BY seq",
        (session_id,),
    ).fetchall()
    return [StoredMessage(id=row[0], session_id=session_id, message=codec.row_message(row)) for row in rows]


def message_window(
    conn: sqlite3.Connection, session_id: str, *, around: int | None, start: int, limit: int,
    include_system: bool,
) -> MessageWindow | None:
    """Up to ``limit`` messages of a session: centred on message id ``around``, or from
    position ``start`` (negative counts from the end)."""
    with snapshot(conn):
        row = conn.execute(f"SELECT pk, {codec.SESSION_SELECT} FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            return None
        pk, record = row[0], codec.row_session(row, 1)
        role_clause = "" if include_system else "AND role != 'system'"
        seqs = [r[0] for r in conn.execute(
            f"SELECT seq FROM messages WHERE session_pk = ? {role_clause} ORDER BY seq", (pk,)
        ).fetchall()]
        anchor = None
        if around is not None:
            anchor = conn.execute("SELECT seq FROM messages WHERE id = ? AND session_pk = ?", (around, pk)).fetchone()
            if anchor is None:
                raise LookupError(f"message {around} is not in session {session_id!r}")
        if not seqs:
            return MessageWindow(record=record)
        if anchor is not None:
            position = min(range(len(seqs)), key=lambda i: abs(seqs[i] - anchor[0]))
            first = max(0, min(position - limit // 2, len(seqs) - limit))
        else:
            first = start if start >= 0 else max(0, len(seqs) + start)
        chosen = seqs[first : first + limit]
        if not chosen:
            return MessageWindow(record=record, more_before=first > 0)
        rows = conn.execute(
            f"SELECT {codec.MESSAGE_SELECT} FROM messages WHERE session_pk = ? AND seq BETWEEN ? AND ? {role_clause} "
            "ORDER BY seq",
            (pk, chosen[0], chosen[-1]),
        ).fetchall()
    return MessageWindow(
        record=record,
        messages=[StoredMessage(id=r[0], session_id=session_id, message=codec.row_message(r)) for r in rows],
        more_before=first > 0,
        more_after=first + len(chosen) < len(seqs),
    )


# -- search -----------------------------------------------------------------------------


def search(
    conn: sqlite3.Connection,
    query: Query,
    user_id: str | None,
    *,
    limit: int,
    exclude: Sequence[str] = (),
    roles: Sequence[str] = (),
    sort: str = "relevance",
    context: int = 1,
    candidates: int = 1000,
    per_session: int | None = None,
) -> list[SearchHit]:
    """Full-text search for a parsed query (see ``_fts.parse``).

    Relevance ranks the newest ``candidates`` matches by bm25: a common word matching
    half a million messages costs the same as a rare one, and recent conversations win
    ties, which is what "what did we say about X" usually means. A query with a
    ``prefix*`` lists the newest matches first instead: bm25 would expand the prefix a
    second time to weigh it, doubling the cost of the slowest kind of query.
    """
    with snapshot(conn):
        # A word equal to another user's scope word matches only that user's messages,
        # which the user filter drops: no column filter is needed (it would cost a third).
        match = query.match
        if user_id is not None and _is_small(conn, user_id):
            match = f'scope : "{scope_word(user_id)}" AND ({match})'
        clauses = [f"{FTS_TABLE} MATCH ?"]
        params: list[Any] = [match]
        if user_id is not None:
            clauses.append("s.user_id = ?")  # also when scoped: the scope word is a shortcut, this is the rule
            params.append(user_id)
        if exclude:
            clauses.append(f"s.id NOT IN ({_marks(exclude)})")
            params.extend(exclude)
        if roles:
            clauses.append(f"m.role IN ({_marks(roles)})")
            params.extend(roles)
        ranked = sort == "relevance" and not query.has_prefix
        order = "ASC" if sort == "oldest" else "DESC"
        wanted = candidates if ranked else limit * (8 if per_session else 1) + 16
        # CROSS JOIN fixes the join order: walk the index newest-first, then look up each
        # candidate's session and role in the narrow messages_owner index.
        rows = conn.execute(
            f"""SELECT f.rowid, m.session_pk, {_BM25 if ranked else "0.0"}
                FROM {FTS_TABLE} AS f CROSS JOIN messages AS m INDEXED BY messages_owner CROSS JOIN sessions AS s
                WHERE m.id = f.rowid AND s.pk = m.session_pk AND {' AND '.join(clauses)}
                ORDER BY f.rowid {order} LIMIT ?""",
            (*params, wanted),
        ).fetchall()
        if ranked:
            rows.sort(key=lambda r: (r[2], -r[0]))
        picked: list[tuple[int, float]] = []
        per: dict[int, int] = {}
        for rowid, session_pk, rank in rows:
            if per_session is not None and per.get(session_pk, 0) >= per_session:
                continue
            per[session_pk] = per.get(session_pk, 0) + 1
            picked.append((rowid, -rank))
            if len(picked) >= limit:
                break
        return [_hit(conn, query, rowid, score, context) for rowid, score in picked]


#: A user holding at most this share of the messages (and this many sessions) is
#: searched through their scope word.
_SMALL_SHARE = 0.2
_SMALL_SESSIONS = 5000


def _is_small(conn: sqlite3.Connection, user_id: str) -> bool:
    """Whether ``user_id`` holds a small share of the messages.

    Walking the newest matches and dropping other users' costs little for the main user
    of a store, and a lot for one gateway user among thousands: for them the query is
    intersected with their scope word, so FTS5 skips everyone else's messages. (For the
    main user the scope word would be the longest list in the index: intersecting with
    it, and bm25 weighing it, would cost more than it saves.)
    """
    sessions = conn.execute("SELECT count(*) FROM sessions WHERE user_id = ?", (user_id,)).fetchone()[0]
    if sessions > _SMALL_SESSIONS:
        return False
    mine = conn.execute("SELECT coalesce(sum(message_count), 0) FROM sessions WHERE user_id = ?", (user_id,)).fetchone()[0]
    total = conn.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()[0]
    return mine <= total * _SMALL_SHARE


def _hit(conn: sqlite3.Connection, query: Query, rowid: int, score: float, context: int) -> SearchHit:
    row = conn.execute(
        "SELECT m.session_pk, m.seq, m.role, m.created_at, m.content, m.tool_calls, s.id, s.title "
        "FROM messages AS m JOIN sessions AS s ON s.pk = m.session_pk WHERE m.id = ?",
        (rowid,),
    ).fetchone()
    session_pk, seq, role, created_at, content, tool_calls, session_id, title = row
    around = conn.execute(
        f"SELECT {codec.MESSAGE_SELECT} FROM messages WHERE session_pk = ? AND seq BETWEEN ? AND ? "
        "AND role != 'system' ORDER BY seq",
        (session_pk, seq - context, seq + context),
    ).fetchall()
    return SearchHit(
        session_id=session_id, message_id=rowid, role=role,
        snippet=snippet([content or "", codec.tools_text(tool_calls)], query, SNIPPET_WORDS),
        score=score, created_at=created_at, session_title=title,
        context=[codec.row_message(r) for r in around],
    )


# -- bulk import ------------------------------------------------------------------------


def import_sessions(
    conn: sqlite3.Connection, items: Iterable[tuple[SessionRecord, Sequence[Message]]]
) -> ImportReport:
    """Import whole sessions in one transaction. Sessions whose id exists are skipped.

    Inside the transaction the per-row insert triggers are dropped and re-created: the
    messages go in with plain inserts and are indexed by one ``INSERT ... SELECT`` at the
    end, which lets FTS5 build its index in memory instead of flushing once per row.
    Other connections never see the triggers missing (the transaction holds the write
    lock until the triggers are back), and a failure rolls everything back.
    """
    started = time.perf_counter()
    report = ImportReport()
    with write(conn):
        first_id = (conn.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()[0]) + 1
        for name in INSERT_TRIGGERS:
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        insert = f"INSERT INTO messages (session_pk, seq, {', '.join(codec.MESSAGE_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        for record, messages in items:
            if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (record.id,)).fetchone():
                report.skipped.append(record.id)
                continue
            pk = conn.execute(_INSERT_SESSION, codec.session_values(record)).lastrowid
            conn.executemany(insert, [(pk, seq, *codec.message_values(m)) for seq, m in enumerate(messages)])
            conn.execute("UPDATE sessions SET message_count = ? WHERE pk = ?", (len(messages), pk))
            report.sessions += 1
            report.messages += len(messages)
        conn.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, content, tools, scope) "
            "SELECT id, content, tools, scope FROM messages_fts_source WHERE id >= ?",
            (first_id,),
        )
        for statement in INSERT_TRIGGERS.values():
            conn.execute(statement)
    report.seconds = time.perf_counter() - started
    return report


# -- maintenance ------------------------------------------------------------------------


def stats(conn: sqlite3.Connection, path: str, with_sizes: bool = True) -> StoreStats:
    """Counts and sizes. With ``with_sizes``, per-table bytes come from ``dbstat`` (a scan
    of every page: about a second per gigabyte)."""
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    page_count = conn.execute("PRAGMA page_count").fetchone()[0]
    free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    with snapshot(conn):
        sessions, users = conn.execute("SELECT count(*), count(DISTINCT user_id) FROM sessions").fetchone()
        messages = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
    try:
        wal = os.path.getsize(path + "-wal")
    except OSError:
        wal = 0
    tables: dict[str, int] = {}
    fts = None
    if with_sizes:
        try:
            rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
        except sqlite3.OperationalError:  # SQLite built without the dbstat table
            rows = []
        tables = {name: int(size) for name, size in rows}
        if tables:
            fts = sum(size for name, size in tables.items() if name.startswith(FTS_TABLE))
    return StoreStats(
        path=path, sessions=sessions, messages=messages, users=users, db_bytes=page_size * page_count,
        wal_bytes=wal, free_bytes=page_size * free, fts_bytes=fts, table_bytes=tables,
    )


def optimize(conn: sqlite3.Connection) -> None:
    """Merge the full-text index into one segment and refresh the planner's statistics."""
    with write(conn):
        conn.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
    conn.execute("PRAGMA optimize")


def vacuum(conn: sqlite3.Connection) -> None:
    """Rewrite the file without its free pages (needs a moment with no other writer)."""
    conn.execute("VACUUM")


def integrity(conn: sqlite3.Connection) -> list[str]:
    """Problems found by SQLite's and FTS5's own checks (empty when all is well).

    FTS5's check against the content (``integrity-check`` with rank 1), like its
    ``rebuild``, fails on SQLite 3.40 when the content is a view with a ``json_each``
    subquery; so the index's structure is checked by FTS5 and its coverage here: one
    indexed document per non-system message.
    """
    problems = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall() if row[0] != "ok"]
    try:
        conn.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as exc:
        problems.append(f"full-text index: {exc}")
    with snapshot(conn):
        indexed = conn.execute(f"SELECT count(*) FROM {FTS_TABLE}_docsize").fetchone()[0]
        expected = conn.execute("SELECT count(*) FROM messages WHERE role != 'system'").fetchone()[0]
    if indexed != expected:
        problems.append(f"full-text index covers {indexed} messages, expected {expected} (hermes sessions stats --rebuild)")
    return problems


def rebuild_index(conn: sqlite3.Connection) -> None:
    """Rebuild the full-text index from the messages (after an integrity problem). FTS5's
    own ``rebuild`` cannot read the content view (see :func:`integrity`), hence by hand."""
    with write(conn):
        conn.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
        conn.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, content, tools, scope) SELECT id, content, tools, scope FROM messages_fts_source"
        )
