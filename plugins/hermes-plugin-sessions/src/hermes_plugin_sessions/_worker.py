"""One thread per store that owns its SQLite connection.

Every database call of a store runs on this thread, so the event loop never waits on
SQLite and the connection is never shared between threads. Calls made while the database
is locked by another process wait (``busy_timeout``) and are retried with backoff when
SQLite gives up early (a snapshot that went stale, a WAL being recovered); each operation
is one transaction, so a retry never applies anything twice.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import queue
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ._schema import connect
from .errors import StoreError
from .settings import SqliteSettings

T = TypeVar("T")

_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED (extended codes share the low byte)


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` means "another connection holds a lock": worth a retry."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in _BUSY_CODES
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class DbWorker:
    """Runs functions ``fn(conn, *args)`` on the store's own thread and connection,
    in the order they were submitted. The thread starts on first use."""

    def __init__(self, path: Path, settings: SqliteSettings) -> None:
        self.path = path
        self.settings = settings
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._conn: sqlite3.Connection | None = None
        self._closed = False
        self._lock = threading.Lock()

    # -- running ----------------------------------------------------------------------

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(conn, *args)`` on the worker thread and await its result."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()

        def done(value: Any, error: BaseException | None) -> None:
            try:
                loop.call_soon_threadsafe(_settle, future, value, error)
            except RuntimeError:  # the loop has closed: nobody is waiting any more
                pass

        self._submit(fn, args, done)
        return await future

    def run_sync(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(conn, *args)`` on the worker thread and wait (for code without a loop)."""
        box: concurrent.futures.Future[T] = concurrent.futures.Future()

        def done(value: Any, error: BaseException | None) -> None:
            if error is not None:
                box.set_exception(error)
            else:
                box.set_result(value)

        self._submit(fn, args, done)
        return box.result()

    def _submit(self, fn: Callable[..., Any], args: tuple[Any, ...], done: Callable[[Any, Any], None]) -> None:
        with self._lock:
            if self._closed:
                raise StoreError(f"the session store at {self.path} is closed")
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="hermes-sessions-db", daemon=True)
                self._thread.start()
            self._queue.put((fn, args, done))

    def _serve(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                break
            fn, args, done = item
            try:
                value, error = self._call(fn, args), None
            except BaseException as exc:  # handed to the caller, whatever it is
                value, error = None, exc
            done(value, error)
        self._close_connection()

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            try:
                self._conn = connect(self.path, self.settings)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open the session database {self.path}: {exc}") from exc
        return self._conn

    def _call(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        deadline = time.monotonic() + self.settings.busy_timeout
        delay = 0.002
        while True:
            try:
                conn = self._connection()
                return fn(conn, *args)
            except sqlite3.Error as exc:
                if self._conn is not None and self._conn.in_transaction:
                    self._conn.rollback()
                if is_busy(exc) and time.monotonic() < deadline:
                    time.sleep(delay * (0.5 + random.random()))
                    delay = min(delay * 2, 0.2)
                    continue
                raise self._explain(exc) from exc

    def _explain(self, exc: sqlite3.Error) -> StoreError:
        if is_busy(exc):
            return StoreError(
                f"the session database {self.path} stayed locked by another process for more than "
                f"{self.settings.busy_timeout:g}s; try again, or raise sessions.sqlite.busy_timeout"
            )
        text = str(exc)
        if isinstance(exc, sqlite3.DatabaseError) and ("malformed" in text or "not a database" in text):
            return StoreError(
                f"the session database {self.path} is damaged ({text}); move it aside to start a new one, "
                "or try: sqlite3 state.db '.recover' | sqlite3 repaired.db"
            )
        if "readonly" in text or "read-only" in text or "unable to open" in text:
            return StoreError(f"cannot write the session database {self.path}: {text}; check the folder's permissions")
        if "disk" in text and "full" in text:
            return StoreError(f"the disk holding {self.path} is full; free some space (hermes sessions prune helps)")
        return StoreError(f"session database {self.path}: {type(exc).__name__}: {text}")

    # -- closing ----------------------------------------------------------------------

    def _close_connection(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                # Leave a small WAL behind for the next process; best effort.
                conn.execute("PRAGMA optimize")
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error:
                pass
            conn.close()

    def close(self) -> None:
        """Finish the work queued, close the connection and stop the thread (idempotent)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            thread = self._thread
            if thread is not None:
                self._queue.put(None)
        if thread is not None:
            thread.join()

    async def aclose(self) -> None:
        """:meth:`close` without blocking the event loop."""
        await asyncio.to_thread(self.close)


def _settle(future: asyncio.Future[Any], value: Any, error: BaseException | None) -> None:
    if future.done():  # the caller was cancelled; the work itself is done and committed
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(value)
