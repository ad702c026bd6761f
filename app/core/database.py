"""The database engines and the transaction helpers they need explained."""

import functools
import os
import sqlite3
import threading
from contextlib import contextmanager

from flask import Flask, current_app, g, has_app_context, request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session

from app.extensions import db

# How long a statement waits for SQLite's write lock before the request answers 503.
SQLITE_BUSY_TIMEOUT_MS = 5000
_AFTER_COMMIT = "academy_after_commit"
_WRITE_NEXT = "academy_write_transaction"
_READ_CONNECTION = "academy_read_connection"
_ENGINE_KEY = "academy_autocommit_engine"
_engine_lock = threading.Lock()


def configure(app: Flask) -> None:
    """Point SQLAlchemy at DATABASE_URL, or at the embedded SQLite file under instance/."""
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or app.config.get("DATABASE_URL") or ""
    if not url:
        url = "sqlite:///" + os.path.join(app.instance_path, "academy.db")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    if not url.startswith("sqlite"):
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {}).setdefault("pool_pre_ping", True)


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def register(app: Flask) -> None:
    """After db.init_app: SQLite's transactions begin as write_transaction() asks; read connections go
    back to their pool at the end of each application context."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "begin", _begin_sqlite_transaction)
    app.teardown_appcontext(close_read_connection)


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, connection_record):
    """WAL with FULL sync loses no acknowledged commit; foreign keys are off in SQLite by default."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # SQLAlchemy, not the sqlite3 module, decides when transactions begin (see _begin_sqlite_transaction).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _begin_sqlite_transaction(connection):
    """SQLAlchemy's recipe for SQLite: emit BEGIN ourselves, IMMEDIATE when write_transaction() asked.

    A deferred transaction that has read and then writes fails at once with "database is locked" when
    another connection committed in between: SQLite cannot turn an old snapshot into a write, and its
    busy timeout does not apply. A transaction that will write takes the lock at BEGIN instead, and
    waits up to the busy timeout for it.
    """
    connection.exec_driver_sql("BEGIN IMMEDIATE" if has_app_context() and g.get(_WRITE_NEXT) else "BEGIN")


@contextmanager
def write_transaction():
    """The current user action's writes, in one transaction that begins here and commits inside the block.

    On SQLite the transaction takes the write lock at BEGIN (see _begin_sqlite_transaction), so keep
    slow work (password hashing, drawing a PDF) before the block. Reads made before it through
    read_connection() hold nothing. If the block raises, everything it did is rolled back. Entered after
    the session has begun a transaction (it read through the ORM first), it can only continue that one.
    """
    session = db.session
    previous = g.get(_WRITE_NEXT, False)
    setattr(g, _WRITE_NEXT, True)
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    finally:
        setattr(g, _WRITE_NEXT, previous)


@contextmanager
def read_connection():
    """A connection for reads that turn no rows into objects (the lookups of hot pages).

    The session's own connection once its transaction has begun (or once changes waiting in it are
    flushed), so the read sees what the request wrote. Otherwise a connection of the autocommit engine
    (see autocommit_engine), kept for the rest of the application context: a page that only reads
    then never begins a session transaction. Each statement on it sees the latest committed state.
    """
    scoped = db.session
    if scoped.registry.has():
        session = scoped()
        if session.new or session.dirty or session.deleted:
            session.flush()  # as Session.execute would
        if session.in_transaction():
            yield session.connection()
            return
    connection = g.get(_READ_CONNECTION)
    if connection is None:
        connection = autocommit_engine(db.engine).connect()
        setattr(g, _READ_CONNECTION, connection)
    yield connection


def close_read_connection(_error=None) -> None:
    """Return the application context's autocommit connection to its pool (a teardown)."""
    connection = g.pop(_READ_CONNECTION, None)
    if connection is not None:
        connection.close()


def autocommit_engine(engine: Engine) -> Engine:
    """The same database as *engine*, through a pool of its own whose connections stay in autocommit.

    A single statement is atomic by itself: the BEGIN and ROLLBACK around it would be two more round
    trips to PostgreSQL. Made once per application, beside Flask-SQLAlchemy's engine.
    """
    extensions = current_app.extensions
    found = extensions.get(_ENGINE_KEY)
    if found is not None and found.url == engine.url:
        return found
    with _engine_lock:
        found = extensions.get(_ENGINE_KEY)
        if found is None or found.url != engine.url:
            found = extensions[_ENGINE_KEY] = create_engine(
                engine.url, **current_app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}), isolation_level="AUTOCOMMIT"
            )
    return found


def dispose_engines(app) -> None:
    """Close every pooled connection the application holds (Flask-SQLAlchemy's and the autocommit one)."""
    with app.app_context():
        db.engine.dispose()
    engine = app.extensions.pop(_ENGINE_KEY, None)
    if engine is not None:
        engine.dispose()


def call_after_commit(callback) -> None:
    """Run *callback()* once the current transaction has committed for real, so others can see its rows
    (mail, queued tasks); it is dropped if the transaction rolls back. It must not use the session."""
    db.session.info.setdefault(_AFTER_COMMIT, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session):
    if session.in_nested_transaction():
        # Releasing a SAVEPOINT fires after_commit too; only the outermost commit makes rows visible.
        return
    for callback in session.info.pop(_AFTER_COMMIT, []):
        callback()


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session):
    session.info.pop(_AFTER_COMMIT, None)


def writes(view):
    """Mark a view whose POST is one user action's write: its transaction takes SQLite's write lock at
    BEGIN (write_transaction). GET and HEAD requests of the same view only read, and take nothing."""

    @functools.wraps(view)
    def write_request(*args, **kwargs):
        if request.method in ("GET", "HEAD"):
            return view(*args, **kwargs)
        with write_transaction():
            return view(*args, **kwargs)

    return write_request
