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
from tests.certificates.live import clean_up, committing_app
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


def test_two_transactions_completing_one_enrolment_announce_it_once(app, tmp_path):
    from app.learning.signals import course_completed

    application, made = committing_app(app, tmp_path), []
    with application.test_request_context():
        enrolment = factories.make_enrolment(factories.make_user(email="completa-dos@example.pe"), slug="citizen-integrity")
        made.append(enrolment.user_id)
        factories.complete_everything_but_the_assessment(enrolment)
        attempt = services.start_attempt(enrolment)
        services.submit_attempt(attempt, services.mark_attempt(attempt, factories.right_answers_form(enrolment, attempt)))
        # Passed, but not yet completed: as two requests finishing the course at the same moment see it.
        enrolment.status, enrolment.completed_at = "active", None
        db.session.execute(delete(Certificate).where(Certificate.user_id == enrolment.user_id))
        db.session.commit()
        enrolment_id = enrolment.id
        db.session.remove()
    barrier = threading.Barrier(2)
    announced, outcomes = [], []

    def complete():
        with application.test_request_context():
            try:
                own = db.session.get(Enrolment, enrolment_id)
                assert own.status == "active"
                barrier.wait(timeout=10)
                outcomes.append(services.check_completion(own))
                db.session.commit()
            except Exception as error:  # the assertion below shows it
                db.session.rollback()
                outcomes.append(error)
            finally:
                db.session.remove()

    try:
        with course_completed.connected_to(lambda sender, **extra: announced.append(sender.id)):
            threads = [threading.Thread(target=complete) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
        assert outcomes == [True, True]
        assert announced == [enrolment_id]
        with application.app_context():
            certificates = db.session.scalars(select(Certificate).where(Certificate.user_id == made[0])).all()
            assert len(certificates) == 1
            db.session.remove()
    finally:
        clean_up(application, made)
