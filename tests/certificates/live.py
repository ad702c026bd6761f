"""A second app on the suite's database whose sessions commit for real (threads, background work),
and the clean-up of what its tests made."""

from sqlalchemy import delete

from app import create_app
from app.accounts.models import User
from app.certificates.models import Certificate
from app.core.database import dispose_engines
from app.extensions import db
from app.learning.models import Enrolment
from tests import factories
from tests.settings import TEST_CONFIG


def committing_app(suite_app, tmp_path, **overrides):
    return create_app(
        {
            **TEST_CONFIG,
            "DATABASE_URL": suite_app.config["SQLALCHEMY_DATABASE_URI"],
            "MAIL_OUTBOX_DIR": str(tmp_path),
            **overrides,
        }
    )


def completed_enrolment(application, made: list, email: str) -> int:
    """A committed, completed enrolment in Citizen for Integrity for a new person; returns its id."""
    with application.app_context():
        user = factories.make_user(email=email)
        made.append(user.id)
        enrolment = factories.make_enrolment(user, slug="citizen-integrity")
        enrolment.status = "completed"
        db.session.commit()
        enrolment_id = enrolment.id
        db.session.remove()
        return enrolment_id


def clean_up(application, made: list) -> None:
    with application.app_context():
        for user_id in made:
            db.session.execute(delete(Certificate).where(Certificate.user_id == user_id))
            db.session.execute(delete(Enrolment).where(Enrolment.user_id == user_id))
            db.session.execute(delete(User).where(User.id == user_id))
        db.session.commit()
        db.session.remove()
    dispose_engines(application)
