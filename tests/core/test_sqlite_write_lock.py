"""A writer waiting for SQLite's write lock starts soon after it is free, and still gives up in time."""

import sqlite3
import threading
import time

import pytest

from app.core import sqlite_write_lock
from tests.settings import use_postgres

pytestmark = pytest.mark.skipif(use_postgres(), reason="the write lock is SQLite's")


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "lock.db"
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (x INTEGER)")
    setup.close()
    return path


def _connect(path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    sqlite_write_lock.set_busy_timeout(connection)
    return connection


def test_a_waiting_writer_gets_the_lock_within_a_few_milliseconds_of_its_release(database):
    holder, waiter = _connect(database), _connect(database)
    holder.execute("BEGIN IMMEDIATE")
    released = []

    def release_later():
        time.sleep(0.05)
        holder.execute("COMMIT")
        released.append(time.monotonic())

    thread = threading.Thread(target=release_later)
    thread.start()
    sqlite_write_lock.begin_immediate(waiter)
    got_it = time.monotonic()
    thread.join()
    assert waiter.in_transaction
    # SQLite's own handler, sleeping 1, 2, 5, 10, 15, 20… ms, would often take 10 ms or more here.
    assert got_it - released[0] < 0.005
    waiter.execute("INSERT INTO t VALUES (1)")
    waiter.execute("COMMIT")


def test_a_lock_held_past_the_timeout_gives_sqlites_own_locked_error(database, monkeypatch):
    monkeypatch.setattr(sqlite_write_lock, "BUSY_TIMEOUT_SECONDS", 0.05)
    holder, waiter = _connect(database), _connect(database)
    holder.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        sqlite_write_lock.begin_immediate(waiter)
    assert 0.04 <= time.monotonic() - started < 1
    assert not waiter.in_transaction
    holder.execute("ROLLBACK")


def test_other_statements_keep_sqlites_busy_timeout_after_a_wait(database):
    waiter = _connect(database)
    sqlite_write_lock.begin_immediate(waiter)
    waiter.execute("ROLLBACK")
    expected = int(sqlite_write_lock.BUSY_TIMEOUT_SECONDS * 1000)
    assert waiter.execute("PRAGMA busy_timeout").fetchone()[0] == expected


def test_an_error_other_than_busy_is_not_retried(tmp_path):
    connection = sqlite3.connect(tmp_path / "plain.db", isolation_level=None)
    connection.execute("BEGIN")
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="within a transaction"):
        sqlite_write_lock.begin_immediate(connection)
    assert time.monotonic() - started < 0.5
