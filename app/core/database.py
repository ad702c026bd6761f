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
