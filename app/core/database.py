"""Transaction helpers that the database engines need explained."""

from contextlib import contextmanager

from flask import g
from sqlalchemy import Connection, event
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
    """A connection for one statement that turns no rows into objects (public lookups on hot pages).

    The session's own connection once its transaction has begun, so the read sees what the request
    wrote; otherwise a connection of its own, taken where the session would take one, without making
    a session: on the public verification page the session's bookkeeping cost more than the query.
    That one runs in autocommit: a single statement is atomic by itself, and the BEGIN and ROLLBACK
    around it would be two more round trips to PostgreSQL for nothing.
    """
    scoped = db.session
    if scoped.registry.has():
        session = scoped()
        if session.in_transaction():
            yield session.connection()
            return
        bind = session.get_bind()
    else:
        bind = scoped.session_factory.kw.get("bind") or db.engine
    if isinstance(bind, Connection):  # sessions bound to one connection, as the tests' transaction is
        yield bind
        return
    with bind.connect() as connection:
        yield connection.execution_options(isolation_level="AUTOCOMMIT")


def reads_before_writing(view):
    """Mark a state-changing view whose first transaction only reads, so on SQLite it runs without the
    write lock and other requests can write meanwhile (see core.setup).

    The view calls end_read_transaction() before its first change; every later transaction takes the
    lock when it begins. Whatever the change depends on must be checked again after that point (a
    conditional UPDATE does), because another request may have committed in between.
    """
    view.reads_before_writing = True
    return view


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
