from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from app.catalog.queries import get_bank_questions
from app.core.models import utcnow
from app.extensions import db
from app.learning import queries, services
from app.learning.models import AssessmentAttempt, LessonCompletion
from app.learning.signals import course_completed
from tests import factories


@pytest.fixture
def enrolment():
    return factories.make_enrolment()


@pytest.fixture
def ready(app, enrolment):
    """An enrolment with every lesson and activity done, waiting for the final assessment."""
    factories.complete_everything_but_the_assessment(enrolment)
    return enrolment


def test_anyone_with_an_account_may_enrol_in_a_public_course(app):
    user = factories.make_user()
    with app.test_request_context():
        enrolment = services.enrol(user, factories.get_course())
        assert services.enrol(user, factories.get_course()) is enrolment
    assert enrolment.version_id == factories.get_course().current_version_id


def test_a_restricted_course_says_why_a_citizen_may_not_enrol(app):
    with (
        app.test_request_context(headers={"Accept-Language": "es"}),
        pytest.raises(services.EnrolmentRefused) as refusal,
    ):
        services.enrol(factories.make_user(), factories.get_course("integrity-induction"))
    assert "oficial de integridad" in str(refusal.value)


def test_an_official_of_a_regional_entity_may_enrol_in_the_induction(app, world):
    with app.test_request_context():
        enrolment = services.enrol(world.users["learner"], factories.get_course("integrity-induction"))
    assert enrolment.status == "active"


def test_reading_a_lesson_twice_records_it_once(app, enrolment):
    key = queries.progress(enrolment).modules[0].items[0].ref
    with app.test_request_context():
        services.complete_lesson(enrolment, key)
        services.complete_lesson(enrolment, key)
    count = db.session.execute(
        db.select(db.func.count(LessonCompletion.id)).where(LessonCompletion.enrolment_id == enrolment.id)
    ).scalar()
    assert count == 1


def test_continue_points_at_the_first_thing_not_done(app, enrolment):
    progress = queries.progress(enrolment)
    first, second = progress.required_items[:2]
    assert progress.next_item.ref == first.ref
    with app.test_request_context():
        services.complete_lesson(enrolment, first.ref)
    assert queries.progress(enrolment).next_item.ref == second.ref


def test_a_knowledge_check_needs_every_answer(app, enrolment):
    activity = next(a for a in enrolment.version.activities if a.kind == "knowledge_check")
    with app.test_request_context(), pytest.raises(services.ActivityRefused):
        services.record_activity(enrolment, activity, MultiDict(), language="es")


def test_the_pledge_records_signature_time_and_text_version(app, enrolment):
    pledge = next(a for a in enrolment.version.activities if a.kind == "pledge")
    with app.test_request_context():
        with pytest.raises(services.ActivityRefused):
            services.record_activity(enrolment, pledge, MultiDict({"signature": "Rosa"}), language="es")
        completion = services.record_activity(
            enrolment, pledge, MultiDict({"signature": " Rosa  Quispe ", "agree": "y"}), language="es"
        )
    assert completion.response["signature"] == "Rosa Quispe"
    assert completion.response["version"] == enrolment.version.number
    assert len(completion.response["statement_sha256"]) == 64 and completion.response["signed_at"]


def test_the_draw_takes_the_configured_number_with_every_module_represented(app, ready):
    with app.test_request_context():
        attempt = services.start_attempt(ready)
    settings = ready.version.meta["final"]
    assert len(attempt.question_ids) == settings["draw"] == len(set(attempt.question_ids))
    modules = {q.module_slug for q in get_bank_questions(attempt.version_id, attempt.question_ids).values()}
    assert len(modules) == len(ready.version.modules)


def test_starting_twice_returns_the_open_attempt(app, ready):
    with app.test_request_context():
        assert services.start_attempt(ready) is services.start_attempt(ready)


def test_the_assessment_waits_for_the_lessons(app, enrolment):
    with app.test_request_context(), pytest.raises(services.AssessmentRefused):
        services.start_attempt(enrolment)


def test_the_server_scores_and_ignores_what_the_browser_claims(app, ready):
    with app.test_request_context():
        attempt = services.start_attempt(ready)
        form = MultiDict({"score": "100", "passed": "true", "q-not-drawn": "a"})
        services.submit_attempt(attempt, services.mark_attempt(attempt, form))
    assert attempt.score == 0.0 and attempt.passed is False
    assert set(attempt.answers) == set(attempt.question_ids)


def test_a_second_submission_of_the_same_attempt_counts_nothing(app, ready):
    with app.test_request_context():
        attempt = services.start_attempt(ready)
        services.submit_attempt(attempt, services.mark_attempt(attempt, MultiDict()))
        with pytest.raises(services.AttemptAlreadySubmitted):
            services.submit_attempt(
                attempt, services.mark_attempt(attempt, factories.right_answers_form(ready, attempt))
            )
    assert attempt.passed is False


def test_waiting_time_and_attempt_limit_are_enforced(app, ready):
    rules = ready.version.rules
    with app.test_request_context():
        for number in range(rules["attempts_allowed"]):
            attempt = services.start_attempt(ready, now=utcnow() + timedelta(days=number * 3))
            services.submit_attempt(
                attempt, services.mark_attempt(attempt, MultiDict()), now=utcnow() + timedelta(days=number * 3)
            )
            with pytest.raises(services.AssessmentRefused):
                services.start_attempt(ready, now=utcnow() + timedelta(days=number * 3, minutes=5))
        with pytest.raises(services.AssessmentRefused, match=r"attempts|intentos"):
            services.start_attempt(ready, now=utcnow() + timedelta(days=30))


def test_the_refusals_count_attempts_and_name_the_retry_time_in_words(app, ready):
    submitted = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
    with app.test_request_context(), force_locale("es"):
        attempt = services.start_attempt(ready, now=submitted)
        services.submit_attempt(attempt, services.mark_attempt(attempt, MultiDict()), now=submitted)
        with pytest.raises(services.AssessmentRefused) as refusal:
            services.start_attempt(ready, now=submitted + timedelta(minutes=5))
        # The sample course waits one hour; 15:00 UTC is 10:00 in Lima.
        assert str(refusal.value).endswith("el 7 de diciembre de 2026, 11:00 (hora de Perú).")
        for number in range(1, ready.version.rules["attempts_allowed"]):
            later = submitted + timedelta(days=number)
            attempt = services.start_attempt(ready, now=later)
            services.submit_attempt(attempt, services.mark_attempt(attempt, MultiDict()), now=later)
        with pytest.raises(services.AssessmentRefused) as refusal:
            services.start_attempt(ready, now=submitted + timedelta(days=30))
        assert str(refusal.value) == "Ya usó los 3 intentos."
        with force_locale("en"), pytest.raises(services.AssessmentRefused) as refusal:
            services.start_attempt(ready, now=submitted + timedelta(days=30))
        assert str(refusal.value) == "You have used all 3 attempts."


def test_passing_completes_the_course_and_announces_it_once(app, ready):
    received = []
    with course_completed.connected_to(lambda sender, **kw: received.append(sender)), app.test_request_context():
        attempt = services.start_attempt(ready)
        services.submit_attempt(attempt, services.mark_attempt(attempt, factories.right_answers_form(ready, attempt)))
        assert attempt.passed and attempt.score == 100.0
        services.check_completion(ready)
    assert received == [ready]
    assert ready.status == "completed" and ready.completed_at is not None
    with app.test_request_context(), pytest.raises(services.AssessmentRefused):
        services.start_attempt(ready)


def test_a_completion_another_transaction_already_made_is_not_announced_again(app, ready):
    """The enrolment as this request loaded it still says active; the stored row says completed."""
    from app.learning.models import Enrolment

    received = []
    with course_completed.connected_to(lambda sender, **kw: received.append(sender)), app.test_request_context():
        attempt = services.start_attempt(ready)
        db.session.flush()
        stored_elsewhere = utcnow() - timedelta(minutes=1)
        db.session.execute(
            db.update(Enrolment)
            .where(Enrolment.id == ready.id)
            .values(status="completed", completed_at=stored_elsewhere)
            .execution_options(synchronize_session=False)
        )
        assert ready.status == "active"
        db.session.execute(
            db.update(AssessmentAttempt)
            .where(AssessmentAttempt.id == attempt.id)
            .values(passed=True)
            .execution_options(synchronize_session=False)
        )
        assert services.check_completion(ready) is True
    assert received == []
    assert ready.status == "completed" and ready.completed_at == stored_elsewhere


@pytest.mark.parametrize(
    ("slug", "issuing"),
    [("citizen-integrity", ["SAVEPOINT", "INSERT", "RELEASE"]), ("using-the-academy", [])],
)
def test_passing_reads_what_completion_and_the_certificate_need_with_the_enrolment(app, slug, issuing):
    """The statements a passing submission runs while it holds the write lock, as served (the PDF is
    drawn after the commit); a course that gives no certificate still completes, and issues nothing."""
    from sqlalchemy import event

    ready = factories.make_enrolment(slug=slug)
    factories.complete_everything_but_the_assessment(ready)
    with app.test_request_context():
        attempt = services.start_attempt(ready)
        db.session.commit()
        marking = services.mark_attempt(attempt, factories.right_answers_form(ready, attempt))
        facts = queries.get_attempt_facts(ready, attempt.number)
        db.session.expunge_all()
        statements = []
        connection = db.session.get_bind()
        listener = lambda *args: statements.append(args[2].split()[0])  # noqa: E731
        event.listen(connection, "before_cursor_execute", listener)
        try:
            services.submit_attempt(facts, marking)
        finally:
            event.remove(connection, "before_cursor_execute", listener)
        assert db.session.get(type(ready), ready.id).status == "completed"
    # Close the attempt; read the enrolment with its holder, course and version, then what is done;
    # complete it; issue the certificate inside a savepoint. Nothing loaded one object at a time.
    assert statements == ["UPDATE", "SELECT", "SELECT", "UPDATE", *issuing]


def test_modules_to_review_are_those_of_the_wrong_answers(app, ready):
    from app.learning.services.assessment import modules_to_review

    with app.test_request_context():
        attempt = services.start_attempt(ready)
        services.submit_attempt(attempt, services.mark_attempt(attempt, MultiDict()))
    assert modules_to_review(attempt) == [m["slug"] for m in ready.version.modules]
    assert db.session.execute(db.select(db.func.count(AssessmentAttempt.id))).scalar() == 1
