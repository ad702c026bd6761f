import pytest
from sqlalchemy import select

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
