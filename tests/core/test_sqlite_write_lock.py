"""Taking SQLite's write lock: at once when free, soon after another writer ends, a clear error on timeout."""

import sqlite3
import threading
import time

import pytest

from app.core.sqlite_write_lock import BUSY_TIMEOUT_MS, begin_immediate


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "lock.db"
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (x INTEGER)")
    setup.close()

    def connect():
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return connection

    return connect


def _busy_timeout(connection) -> int:
    return connection.execute("PRAGMA busy_timeout").fetchone()[0]


def test_a_free_lock_is_taken_at_once_and_the_busy_timeout_is_restored(database):
    connection = database()
    begin_immediate(connection)
    assert connection.in_transaction
    connection.execute("INSERT INTO t VALUES (1)")
    connection.execute("COMMIT")
    assert _busy_timeout(connection) == BUSY_TIMEOUT_MS


def test_a_writer_waits_for_the_other_to_commit_then_takes_the_lock(database):
    holder, waiter = database(), database()
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Event()

    def commit_a_little_later():
        time.sleep(0.05)
        holder.execute("INSERT INTO t VALUES (1)")
        holder.execute("COMMIT")
        released.set()

    threading.Thread(target=commit_a_little_later).start()
    begin_immediate(waiter)
    assert released.is_set() and waiter.in_transaction
    # It writes on top of what the other committed.
    waiter.execute("INSERT INTO t VALUES (2)")
    waiter.execute("COMMIT")
    assert [row[0] for row in waiter.execute("SELECT x FROM t ORDER BY x")] == [1, 2]


def test_a_lock_held_too_long_raises_database_is_locked_and_restores_the_timeout(database):
    holder, waiter = database(), database()
    holder.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        begin_immediate(waiter, timeout=0.2)
    assert 0.15 < time.monotonic() - started < 2
    assert not waiter.in_transaction and _busy_timeout(waiter) == BUSY_TIMEOUT_MS
    holder.execute("ROLLBACK")


def test_errors_other_than_busy_are_raised_at_once(database):
    connection = database()
    connection.execute("BEGIN")
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="within a transaction"):
        begin_immediate(connection)
    assert time.monotonic() - started < 0.1
