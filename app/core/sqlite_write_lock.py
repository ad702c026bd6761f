"""Taking the embedded SQLite database's write lock without oversleeping.

SQLite lets one connection write at a time. Its own busy handler waits for the lock by sleeping 1, 2,
5, 10… milliseconds between tries, yet a submission holds the lock for well under a millisecond: under
load a waiting worker slept several times longer than the lock was held, with its CPU idle, and that
was a quarter of a worker's time. Here the wait is the same (BUSY_TIMEOUT_SECONDS in all) but the tries
come every fraction of a millisecond, so a waiting writer starts soon after the lock is free.
"""

import sqlite3
import time

BUSY_TIMEOUT_SECONDS = 5.0
_FIRST_PAUSE = 0.0002
_LONGEST_PAUSE = 0.002
_BUSY_TIMEOUT_PRAGMA = f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}"


def set_busy_timeout(driver: sqlite3.Connection) -> None:
    """How long any statement waits for a lock (SQLite's own handler), set on every new connection."""
    driver.execute(_BUSY_TIMEOUT_PRAGMA)


def begin_immediate(driver: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, tried again in short steps while another connection holds the write lock.

    Raises SQLite's "database is locked" error when the lock is still held after BUSY_TIMEOUT_SECONDS,
    as the busy handler would.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    pause = _FIRST_PAUSE
    driver.execute("PRAGMA busy_timeout=0")  # this statement waits here, not in SQLite's handler
    try:
        while True:
            try:
                driver.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if not _is_busy(error) or time.monotonic() + pause > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, _LONGEST_PAUSE)
    finally:
        set_busy_timeout(driver)


def _is_busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == sqlite3.SQLITE_BUSY
