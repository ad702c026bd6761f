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
