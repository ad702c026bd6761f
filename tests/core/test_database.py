import sqlite3
import threading

import pytest
from sqlalchemy import delete, func, select

from app.core.database import autocommit_engine, read_connection, write_transaction
from app.extensions import db
from app.organisations.models import Organisation
from tests import factories
from tests.settings import use_postgres


def test_a_read_connection_sees_what_the_request_has_written_but_not_committed(app):
    with app.test_request_context():
        organisation = factories.make_organisation()
        organisation.name = "Nombre aún sin confirmar"
        db.session.flush()
        with read_connection() as connection:
            name = connection.execute(select(Organisation.name).where(Organisation.id == organisation.id)).scalar()
        assert name == "Nombre aún sin confirmar"


def test_a_read_before_any_other_query_makes_no_session(app):
    with app.test_request_context():
        assert not db.session.registry.has()
        with read_connection() as connection:
            assert connection.execute(select(Organisation.id).limit(1)).scalar() is not None
        assert not db.session.registry.has()


def _in_transaction(connection) -> bool:
    driver = connection.connection.driver_connection
    if connection.dialect.name == "sqlite":
        return driver.in_transaction
    return driver.info.transaction_status != driver.info.transaction_status.IDLE


@pytest.mark.real_transactions
def test_a_read_on_a_connection_of_its_own_is_one_statement_with_no_transaction_around_it(app):
    with app.test_request_context():
        with read_connection() as connection:
            assert connection.execute(select(Organisation.id).limit(1)).scalar() is not None
            assert not _in_transaction(connection)
        # The pooled connection goes back to its usual behaviour: the next user's reads are transactional.
        with db.engine.connect() as connection:
            connection.execute(select(Organisation.id).limit(1))
            assert _in_transaction(connection)


def test_pending_changes_are_flushed_first_so_a_read_sees_them(app):
    with app.test_request_context():
        organisation = factories.make_organisation()
        db.session.flush()
        organisation.name = "Cambio que espera en la sesión"
        with read_connection() as connection:
            name = connection.execute(select(Organisation.name).where(Organisation.id == organisation.id)).scalar()
        assert name == "Cambio que espera en la sesión"


@pytest.mark.real_transactions
def test_the_reads_of_one_request_share_one_connection(app):
    with app.test_request_context():
        with read_connection() as first:
            first.execute(select(Organisation.id).limit(1))
        with read_connection() as second:
            assert second is first
            second.execute(select(Organisation.id).limit(1))
            assert not _in_transaction(second)
        assert not first.closed


def _read_connection_of_a_request(app):
    with app.test_request_context(), read_connection() as connection:
        connection.execute(select(Organisation.id).limit(1))
        return connection


def _in_a_thread_of_its_own(work):
    done = []
    thread = threading.Thread(target=lambda: done.append(work()))
    thread.start()
    thread.join(timeout=10)
    assert done, "the thread did not finish"
    return done[0]


@pytest.mark.real_transactions
def test_a_request_gives_its_read_connection_back_to_the_pool(app):
    assert _read_connection_of_a_request(app).closed


@pytest.mark.real_transactions
def test_a_thread_per_request_server_gets_every_read_connection_back(app):
    """The development server and the browser tests' live server start a thread per request."""
    with app.app_context():
        pool = autocommit_engine(db.engine).pool
    before = pool.checkedout()
    connections = [_in_a_thread_of_its_own(lambda: _read_connection_of_a_request(app)) for _ in range(30)]
    assert all(connection.closed for connection in connections)
    assert pool.checkedout() == before


@pytest.mark.real_transactions
@pytest.mark.skipif(use_postgres(), reason="SQLite's locks")
def test_a_write_transaction_takes_sqlites_write_lock_at_begin_and_a_plain_one_does_not(app):
    with app.app_context():
        with write_transaction():
            db.session.execute(select(Organisation.id).limit(1))
            assert _holds_write_lock(app)
            db.session.rollback()
        db.session.execute(select(Organisation.id).limit(1))
        assert not _holds_write_lock(app)
        db.session.rollback()
        db.session.remove()


def _holds_write_lock(app) -> bool:
    """Whether another connection is kept from writing right now."""
    other = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"), timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    else:
        other.execute("ROLLBACK")
        return False
    finally:
        other.close()


def test_a_write_transaction_rolls_back_everything_when_its_block_raises(app):
    with app.test_request_context():
        organisation = factories.make_organisation(name="Antes")
        db.session.commit()
        with pytest.raises(RuntimeError), write_transaction():
            organisation.name = "Después"
            db.session.flush()
            raise RuntimeError("the service refused")
        assert db.session.get(Organisation, organisation.id).name == "Antes"


@pytest.mark.real_transactions
def test_a_read_sees_what_another_request_committed_after_its_first_read(app):
    with app.test_request_context():
        with read_connection() as connection:
            before = connection.execute(select(func.count(Organisation.id))).scalar()
        with app.app_context():
            organisation = factories.make_organisation(name="Entidad creada entre dos lecturas")
            db.session.commit()
            created = organisation.id
            db.session.remove()
        try:
            with read_connection() as connection:
                assert connection.execute(select(func.count(Organisation.id))).scalar() == before + 1
        finally:
            with app.app_context():
                db.session.execute(delete(Organisation).where(Organisation.id == created))
                db.session.commit()
                db.session.remove()
