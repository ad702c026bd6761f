"""Ten simultaneous submissions of one attempt, from several threads on PostgreSQL: one is counted."""

import threading

import pytest
from sqlalchemy import delete, select

from app import create_app
from app.accounts.models import User
from app.certificates.models import Certificate
from app.extensions import db
from app.learning import services
from app.learning.models import AssessmentAttempt, Enrolment
from tests import factories
from tests.settings import TEST_CONFIG, use_postgres

pytestmark = [
    pytest.mark.skipif(not use_postgres(), reason="needs PostgreSQL's concurrent transactions"),
    pytest.mark.real_transactions,
]


def test_concurrent_submissions_of_one_attempt_count_once(app, tmp_path):
    app = create_app(
        {**TEST_CONFIG, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "MAIL_OUTBOX_DIR": str(tmp_path)}
    )
    with app.test_request_context():
        enrolment = factories.make_enrolment(factories.make_user(email="concurrente@example.pe"))
        factories.complete_everything_but_the_assessment(enrolment)
        attempt = services.start_attempt(enrolment)
        db.session.commit()
        ids = (enrolment.id, attempt.id, enrolment.user_id)
        form = factories.right_answers_form(enrolment, attempt)
        db.session.remove()
    barrier = threading.Barrier(10)
    outcomes = []

    def submit():
        with app.test_request_context():
            try:
                own = db.session.get(AssessmentAttempt, ids[1])
                barrier.wait(timeout=10)
                services.submit_attempt(own, services.mark_attempt(own, form))
                db.session.commit()
                outcomes.append("counted")
            except services.AttemptAlreadySubmitted:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    try:
        assert sorted(outcomes) == ["counted"] + ["refused"] * 9
        with app.app_context():
            stored = db.session.get(AssessmentAttempt, ids[1])
            assert stored.status == "submitted" and stored.passed and stored.score == 100.0
            assert db.session.get(Enrolment, ids[0]).status == "completed"
            assert (
                len(
                    db.session.execute(select(AssessmentAttempt).where(AssessmentAttempt.enrolment_id == ids[0]))
                    .scalars()
                    .all()
                )
                == 1
            )
    finally:
        with app.app_context():
            db.session.execute(delete(Certificate).where(Certificate.user_id == ids[2]))
            db.session.execute(delete(Enrolment).where(Enrolment.id == ids[0]))
            db.session.execute(delete(User).where(User.id == ids[2]))
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
