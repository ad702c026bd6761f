"""Transaction helpers that the database engines need explained."""

import threading
from contextlib import contextmanager, suppress

from flask import current_app, g
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session

from app.extensions import db

_AFTER_COMMIT = "academy_after_commit"

# Set on g while work outside a request (a background thread, the CLI) is about to write: its next
# transaction then takes SQLite's write lock at BEGIN and waits for it, as a state-changing request does.
WRITE_NOW = "_academy_write_now"


def end_read_transaction():
    """Close a transaction that has only read, before slow work such as password hashing.

    On SQLite a state-changing request holds the single write lock from its first query (see
    core.setup), so a hash computed inside that transaction would serialise every sign-in. Objects
    already loaded stay usable: nothing was changed, so committing writes nothing.
    """
    session = db.session
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("end_read_transaction() called with unsaved changes")
    session.commit()


@contextmanager
def read_connection():
    """A connection for statements that turn no rows into objects (the lookups of hot pages).

    The session's own connection once its transaction has begun (or once changes waiting in it are
    flushed), so the read sees what the request wrote. Otherwise a connection of the autocommit engine
    (see autocommit_engine), kept for the rest of the application context: a page that only reads
    then never begins a session transaction, whose BEGIN, ROLLBACK and bookkeeping cost more than
    its queries. Each statement on it sees the latest committed state; pages must not rely on two of
    them seeing the same one.
    """
    scoped = db.session
    if scoped.registry.has():
        session = scoped()
        if session.new or session.dirty or session.deleted:
            session.flush()  # as Session.execute would
        if session.in_transaction():
            yield session.connection()
            return
        bind = session.get_bind()
    else:
        bind = scoped.session_factory.kw.get("bind") or db.engine
    if isinstance(bind, Connection):  # sessions bound to one connection, as the tests' transaction is
        yield bind
        return
    connection = g.get(_READ_CONNECTION)
    if connection is None:
        engine = autocommit_engine(bind)
        connection = _thread_connection(engine) if engine.dialect.name == "sqlite" else engine.connect()
        setattr(g, _READ_CONNECTION, connection)
    yield connection


def close_read_connection(_error=None) -> None:
    """Return the application context's autocommit connection to its pool (a teardown), unless it is
    the thread's own SQLite connection, which stays with the thread."""
    connection = g.pop(_READ_CONNECTION, None)
    if connection is not None and connection is not _kept_connection():
        connection.close()


_READ_CONNECTION = "_academy_read_connection"
_threads = threading.local()


class _KeptConnection:
    """A thread's own SQLite read connection, given back to its pool when the thread ends.

    Servers that start a thread per request (the development server, the browser tests' live
    server) would otherwise leave one checked-out connection behind per request and drain the pool.
    """

    __slots__ = ("connection",)

    def __init__(self, connection: Connection):
        self.connection = connection

    def __del__(self):
        # Runs as the thread's locals are cleared; at interpreter exit the pool may be gone already.
        with suppress(Exception):
            self.connection.close()


def _kept_connection() -> Connection | None:
    kept = getattr(_threads, "kept", None)
    return kept.connection if kept is not None else None


def _thread_connection(engine: Engine) -> Connection:
    """One autocommit connection per thread for the embedded SQLite file, kept between requests.

    Taking a connection from the pool and giving it back cost a hot page as much as one of its queries.
    A SQLite file does not go away as a server can, so nothing needs the pool's check on checkout; on
    PostgreSQL each request still takes a connection the pool has pinged.
    """
    connection = _kept_connection()
    if connection is not None and connection.engine is engine and not connection.closed and not connection.invalidated:
        return connection
    if connection is not None:
        connection.close()  # its engine was disposed or replaced (tests, a reloaded app)
    _threads.kept = _KeptConnection(engine.connect())
    return _threads.kept.connection


_ENGINE_KEY = "academy_autocommit_engine"
_engine_lock = threading.Lock()


def autocommit_engine(engine: Engine) -> Engine:
    """The same database as *engine*, through a pool of its own whose connections stay in autocommit.

    A single statement is atomic by itself: the BEGIN and ROLLBACK around it would be two more round
    trips to PostgreSQL, and switching a shared connection into autocommit and back on every use cost
    as much as the query. Made once per application, beside Flask-SQLAlchemy's engine.
    """
    app = current_app._get_current_object()
    found = app.extensions.get(_ENGINE_KEY)
    if found is not None and found.url == engine.url:
        return found
    with _engine_lock:
        found = app.extensions.get(_ENGINE_KEY)
        if found is None or found.url != engine.url:
            found = app.extensions[_ENGINE_KEY] = create_engine(
                engine.url,
                **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
                isolation_level="AUTOCOMMIT",
                # Nothing to roll back where nothing is ever begun.
                pool_reset_on_return=None,
            )
    return found


def dispose_engines(app) -> None:
    """Close every pooled connection the application holds (Flask-SQLAlchemy's and the autocommit one)."""
    with app.app_context():
        db.engine.dispose()
    engine = app.extensions.pop(_ENGINE_KEY, None)
    if engine is not None:
        engine.dispose()


@contextmanager
def write_transaction():
    """For work outside requests: the transactions begun inside take SQLite's write lock up front, so
    they wait busy_timeout for it instead of failing when turning a read into a write. Keep them short:
    do the slow part (drawing, network) before entering."""
    previous = g.get(WRITE_NOW, False)
    setattr(g, WRITE_NOW, True)
    try:
        yield
    finally:
        setattr(g, WRITE_NOW, previous)


def call_after_commit(callback) -> None:
    """Run *callback()* once the current transaction has committed for real, so others can see its rows
    (mail, background work); it is dropped if the transaction rolls back."""
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
