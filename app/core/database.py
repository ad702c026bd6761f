"""Transaction helpers that the database engines need explained."""

from app.extensions import db


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


def reads_before_writing(view):
    """Mark a state-changing view whose first transaction only reads, so on SQLite it runs without the
    write lock and other requests can write meanwhile (see core.setup).

    The view calls end_read_transaction() before its first change; every later transaction takes the
    lock when it begins. Whatever the change depends on must be checked again after that point (a
    conditional UPDATE does), because another request may have committed in between.
    """
    view.reads_before_writing = True
    return view
