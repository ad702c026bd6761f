"""Taking SQLite's write lock without oversleeping.

SQLite's own busy handler, the only one Python's sqlite3 module offers, sleeps 1, 2, 5, 10, 15… ms
between tries. Web workers hold the lock for about a millisecond at a time (a conditional UPDATE and a
commit), so a worker that finds it taken went on sleeping long after it was free: under load, a
quarter of a worker's time went to that. Here the lock is tried again after 0.1 ms, backing off to
2 ms, until the same BUSY_TIMEOUT as every other statement (after which the caller answers 503).
"""

import sqlite3
import time

BUSY_TIMEOUT_MS = 5000
_FIRST_PAUSE, _LONGEST_PAUSE = 0.0001, 0.002


def begin_immediate(driver_connection: sqlite3.Connection, timeout: float = BUSY_TIMEOUT_MS / 1000) -> None:
    """BEGIN IMMEDIATE, waiting up to *timeout* seconds for another connection's write to end."""
    # Tries fail at once while the lock is taken, instead of entering SQLite's sleeping handler.
    driver_connection.execute("PRAGMA busy_timeout=0")
    try:
        deadline = time.monotonic() + timeout
        pause = _FIRST_PAUSE
        while True:
            try:
                driver_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() + pause > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, _LONGEST_PAUSE)
    finally:
        driver_connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
