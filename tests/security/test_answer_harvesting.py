"""A failed attempt must not hand out the answer key: with unlimited attempts, failing on purpose again and
again would otherwise collect the whole bank without reading the course.

The course's `review` rule (course.yaml) says when the right answers are shown: after_pass (the default),
after_last_attempt or always. Before that, the result page names the questions missed and the module to
revisit, and nothing that gives an answer away.
"""

import html
import re
import shutil
from datetime import timedelta

import pytest

from app.catalog import content
from app.catalog import services as catalog_services
from app.catalog.queries import get_bank_questions
from app.extensions import db
from app.learning import scoring, shuffles
from app.learning.models import AssessmentAttempt, Enrolment
from tests import factories
from tests.csrf import csrf_token

# "La respuesta correcta: …" under other questions, the "Respuesta correcta" tag on a single or multiple one's option.
RIGHT_ANSWER = re.compile("respuesta correcta", re.I)


@pytest.fixture
def learner(client, login_as):
    user = factories.make_user()
    login_as(client, user)
    return user


@pytest.fixture
def citizen_course():
    """The citizen course as shipped: unlimited attempts, one hour apart, and no review rule (after_pass)."""
    catalog_services.sync_package(content.load_package(factories.COURSES / "citizen-integrity"))
    db.session.commit()
    return "citizen-integrity"


@pytest.fixture
def sample_course_with(tmp_path):
    """The sample course (public, three attempts an hour apart) synced again with other assessment rules."""

    def sync(**rules):
        folder = tmp_path / "using-the-academy"
        shutil.copytree(factories.COURSES / "using-the-academy", folder)
        course = folder / "course.yaml"
        text = course.read_text()
        for key, value in rules.items():
            line = re.search(rf"^  {key}: .*$", text, re.M)
            new = f"  {key}: {value}"
            text = (
                text.replace(line.group(0), new) if line else text.replace("\nassessment:\n", f"\nassessment:\n{new}\n")
            )
        course.write_text(text)
        version, outcome = catalog_services.sync_package(content.load_package(folder))
        assert outcome == "updated" and version.rules == {**version.rules, **rules}
        db.session.commit()
        return "using-the-academy"

    return sync


def test_failing_with_unlimited_attempts_shows_what_to_revisit_but_no_answer_until_a_pass(
    client, learner, citizen_course
):
    enrolment_id = _enrol_and_read_everything(client, citizen_course)
    overview = _page(client, f"/learning/{enrolment_id}/assessment")
    assert "Puedes intentarlo las veces que necesites" in overview
    assert "las respuestas correctas, cuando apruebes" in overview

    first, result = _fail_an_attempt(client, enrolment_id)
    assert "Obtuvo 0" in result and "Incorrecto" in result
    assert "Módulos para repasar" in result and result.count("Para repasar:") == len(first.question_ids)
    _assert_no_key(result, first)

    _wait_out_the_cooldown(first)
    second = _pass_an_attempt(client, enrolment_id)
    assert second.passed
    reviewed = _page(client, _result_url(first))
    assert RIGHT_ANSWER.search(reviewed)
    for question in _questions(first):
        if question["type"] in ("single", "multiple"):
            answers = [option["text"]["es"] for option in question["options"] if option.get("correct")]
        else:
            answers = [scoring.correct_answer_text(question, "es", shuffle=shuffles.for_attempt(first))]
        assert all(isinstance(answer, bool) or answer in reviewed for answer in answers), question["id"]


def test_after_last_attempt_shows_the_answers_once_every_attempt_is_used(client, learner, sample_course_with):
    slug = sample_course_with(attempts_allowed=2, review="after_last_attempt")
    enrolment_id = _enrol_and_read_everything(client, slug)
    assert "cuando apruebes o hayas usado todos tus intentos" in _page(client, f"/learning/{enrolment_id}/assessment")

    first, result = _fail_an_attempt(client, enrolment_id)
    _assert_no_key(result, first)
    assert "cuando apruebes o hayas usado todos tus intentos" in result

    _wait_out_the_cooldown(first)
    last, result = _fail_an_attempt(client, enrolment_id, number=2)
    for attempt, page in ((last, result), (first, _page(client, _result_url(first)))):
        assert RIGHT_ANSWER.search(page)
        assert all(text in page for text in _explanations(attempt))


def test_always_shows_the_answers_after_a_failed_attempt(client, learner, sample_course_with):
    slug = sample_course_with(review="always")
    enrolment_id = _enrol_and_read_everything(client, slug)
    assert "Después de cada intento ves las respuestas correctas" in _page(
        client, f"/learning/{enrolment_id}/assessment"
    )
    attempt, result = _fail_an_attempt(client, enrolment_id)
    assert RIGHT_ANSWER.search(result)
    assert all(text in result for text in _explanations(attempt))


def test_the_default_review_rule_withholds_the_answers_of_a_failed_attempt(client, learner, sample_course_with):
    slug = sample_course_with(review="after_pass")
    enrolment_id = _enrol_and_read_everything(client, slug)
    attempt, result = _fail_an_attempt(client, enrolment_id)
    _assert_no_key(result, attempt)


def _assert_no_key(page, attempt):
    """No right answer, per-option correctness or feedback of the attempt's questions is in *page*."""
    assert not RIGHT_ANSWER.search(page)
    for question in _questions(attempt):
        for text in _key_texts(question, shuffles.for_attempt(attempt)):
            assert text not in page, f"{question['id']}: {text!r} is on the result page"


def _key_texts(question, shuffle) -> set[str]:
    texts = set(_explanations_of(question))
    answer = scoring.correct_answer_text(question, "es", shuffle=shuffle)
    if not isinstance(answer, bool):
        texts.add(answer)
    for option in question.get("options", []):
        if option.get("correct"):
            texts.add(option["text"]["es"])
        if isinstance(option.get("feedback"), dict):
            texts.add(option["feedback"]["es"])
    for pair in question.get("pairs", []):
        texts.add(f"{pair['left']['es']} — {pair['right']['es']}")
    return texts


def _explanations_of(question) -> list[str]:
    return [question[key]["es"] for key in ("feedback", "explanation") if isinstance(question.get(key), dict)]


def _explanations(attempt) -> list[str]:
    return [text for question in _questions(attempt) for text in _explanations_of(question)]


def _questions(attempt) -> list[dict]:
    bank = get_bank_questions(attempt.version_id, attempt.question_ids)
    return [bank[qid].data for qid in attempt.question_ids]


def _enrol_and_read_everything(client, slug) -> int:
    response = client.post(f"/courses/{slug}/enrol", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    enrolment_id = int(re.search(r"/learning/(\d+)", response.headers["Location"]).group(1))
    factories.complete_everything_but_the_assessment(db.session.get(Enrolment, enrolment_id))
    return enrolment_id


def _start_attempt(client, enrolment_id, number) -> AssessmentAttempt:
    response = client.post(f"/learning/{enrolment_id}/assessment/start", data={"csrf_token": csrf_token(client)})
    assert response.headers["Location"].endswith(f"/assessment/{number}"), response.headers["Location"]
    return _attempt(enrolment_id, number)


def _fail_an_attempt(client, enrolment_id, number=1) -> tuple[AssessmentAttempt, str]:
    """Open an attempt and send it with nothing answered: every question wrong."""
    attempt = _start_attempt(client, enrolment_id, number)
    response = client.post(_attempt_url(attempt), data={"csrf_token": csrf_token(client)})
    assert response.headers["Location"].endswith("/result")
    attempt = _attempt(enrolment_id, number)
    assert attempt.status == "submitted" and not attempt.passed
    return attempt, _page(client, response.headers["Location"])


def _pass_an_attempt(client, enrolment_id, number=2) -> AssessmentAttempt:
    attempt = _start_attempt(client, enrolment_id, number)
    form = factories.right_answers_form(db.session.get(Enrolment, enrolment_id), attempt)
    form["csrf_token"] = csrf_token(client)
    client.post(_attempt_url(attempt), data=form)
    return _attempt(enrolment_id, number)


def _wait_out_the_cooldown(attempt):
    attempt.submitted_at = attempt.submitted_at - timedelta(hours=25)
    db.session.commit()


def _attempt(enrolment_id, number) -> AssessmentAttempt:
    return db.session.execute(
        db.select(AssessmentAttempt)
        .where(AssessmentAttempt.enrolment_id == enrolment_id, AssessmentAttempt.number == number)
        .execution_options(populate_existing=True)
    ).scalar_one()


def _attempt_url(attempt) -> str:
    return f"/learning/{attempt.enrolment_id}/assessment/{attempt.number}"


def _result_url(attempt) -> str:
    return f"{_attempt_url(attempt)}/result"


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return html.unescape(response.get_data(as_text=True))
