import pytest
from sqlalchemy import delete, func, select

from app.core.database import read_connection
from app.extensions import db
from app.organisations.models import Organisation
from tests import factories


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
def test_the_reads_of_one_request_share_one_connection_that_goes_back_to_its_pool_at_the_end(app):
    with app.test_request_context():
        with read_connection() as first:
            first.execute(select(Organisation.id).limit(1))
        with read_connection() as second:
            assert second is first
            second.execute(select(Organisation.id).limit(1))
            assert not _in_transaction(second)
        assert not first.closed
    assert first.closed


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
