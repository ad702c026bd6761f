import gzip
import html
import json
import re

import pytest

from app.catalog.queries import get_bank_questions, list_bank
from app.core.models import utcnow
from app.extensions import db
from app.learning import queries
from app.learning.models import AssessmentAttempt, Enrolment
from tests import factories
from tests.csrf import csrf_token


def _static(client, path):
    response = client.get(path)
    data = response.get_data()
    response.close()
    return data


@pytest.fixture
def learner(client, login_as):
    user = factories.make_user()
    login_as(client, user)
    return user


def _enrol(client, slug="using-the-academy"):
    response = client.post(f"/courses/{slug}/enrol", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(re.search(r"/learning/(\d+)", response.headers["Location"]).group(1))


def _start_attempt(client, enrolment_id):
    response = client.post(f"/learning/{enrolment_id}/assessment/start", data={"csrf_token": csrf_token(client)})
    return response.headers["Location"]


def test_a_citizen_cannot_enrol_in_a_restricted_course_by_posting(client, learner):
    client.post("/courses/integrity-induction/enrol", data={"csrf_token": csrf_token(client)})
    assert db.session.execute(db.select(Enrolment).where(Enrolment.user_id == learner.id)).first() is None


def test_my_learning_shows_progress_and_continue_goes_where_the_learner_stopped(client, learner):
    enrolment_id = _enrol(client)
    page = client.get("/learning").get_data(as_text=True)
    assert 'value="0"' in page and "Continuar" in page
    first = client.get(f"/learning/{enrolment_id}/continue").headers["Location"]
    assert "/lessons/" in first
    client.post(first + "/complete", data={"csrf_token": csrf_token(client)})
    second = client.get(f"/learning/{enrolment_id}/continue").headers["Location"]
    assert second != first and "/activities/" in second
    assert 'value="0"' not in client.get("/learning").get_data(as_text=True)


def test_a_completed_course_shows_as_done_even_with_items_added_after_its_completion(client, learner):
    enrolment_id = _enrol(client)
    enrolment = db.session.get(Enrolment, enrolment_id)
    enrolment.status, enrolment.completed_at = "completed", utcnow()
    db.session.commit()
    for page in (client.get("/learning"), client.get(f"/learning/{enrolment_id}")):
        assert 'max="100" value="100"' in page.get_data(as_text=True)


def test_the_lesson_pages_form_marks_that_very_lesson_read(app, client, learner):
    enrolment_id = _enrol(client)
    lesson_url = client.get(f"/learning/{enrolment_id}/continue").headers["Location"]
    page = client.get(lesson_url).get_data(as_text=True)
    action = html.unescape(re.search(r'<form method="post" action="([^"]+)" class="lesson-actions"', page).group(1))
    assert action == f"{lesson_url}/complete"
    assert client.post(action, data={"csrf_token": csrf_token(client)}).status_code == 302
    with app.app_context():
        lessons, activities, passed = queries.done_items(queries.get_enrolment_facts(enrolment_id))
    assert lessons == {lesson_url.split("/lessons/")[1]} and not activities and not passed


def test_lesson_page_is_sanitised_light_and_works_without_javascript(client, learner):
    enrolment_id = _enrol(client)
    lesson_url = client.get(f"/learning/{enrolment_id}/continue").headers["Location"]
    page = client.get(lesson_url, headers={"Accept-Encoding": "gzip"})
    css = client.get("/static/css/app.css", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    transferred = len(page.get_data()) + len(css.get_data())
    html = gzip.decompress(page.get_data()).decode()
    page.close()
    css.close()
    assert transferred < 60 * 1024
    assert "<script" not in html and "onerror" not in html
    assert 'class="case"' in html and "<form" in html


def test_every_lesson_of_every_course_weighs_under_60_kb_compressed(client):
    from app.catalog.models import Lesson

    css = len(gzip.compress(_static(client, "/static/css/app.css")))
    heaviest = max(
        len(gzip.compress(lesson.html_es.encode())) for lesson in db.session.execute(db.select(Lesson)).scalars()
    )
    page_frame = 6 * 1024  # header, navigation, outline and footer, compressed, generously
    assert heaviest + css + page_frame < 60 * 1024


def test_another_learners_enrolment_lessons_and_attempts_answer_404(app, client, learner, login_as):
    other = factories.make_enrolment()
    factories.complete_everything_but_the_assessment(other)
    other_client = app.test_client()
    login_as(other_client, other.user)
    other_client.post(f"/learning/{other.id}/assessment/start", data={"csrf_token": csrf_token(other_client)})
    with app.app_context():
        lesson = queries.progress(other).modules[0].items[0].ref
    for path in (
        f"/learning/{other.id}",
        f"/learning/{other.id}/continue",
        f"/learning/{other.id}/lessons/{lesson}",
        f"/learning/{other.id}/assessment",
        f"/learning/{other.id}/assessment/1",
        f"/learning/{other.id}/assessment/1/result",
    ):
        assert client.get(path).status_code == 404, path
    token = csrf_token(client)
    assert client.post(f"/learning/{other.id}/lessons/{lesson}/complete", data={"csrf_token": token}).status_code == 404
    assert (
        client.post(f"/learning/{other.id}/assessment/1", data={"score": "100", "csrf_token": token}).status_code == 404
    )


def test_reflections_are_private_to_their_author(app, client, learner, login_as):
    enrolment_id = _enrol(client)
    enrolment = db.session.get(Enrolment, enrolment_id)
    reflection = next(a for a in enrolment.version.activities if a.kind == "reflection")
    client.post(
        f"/learning/{enrolment_id}/activities/{reflection.activity_id}",
        data={"text": "Mi secreto", "csrf_token": csrf_token(client)},
    )
    intruder = app.test_client()
    login_as(intruder, factories.make_user())
    assert intruder.get(f"/learning/{enrolment_id}/activities/{reflection.activity_id}").status_code == 404
    assert "Mi secreto" in client.get(f"/learning/{enrolment_id}/activities/{reflection.activity_id}").get_data(
        as_text=True
    )


def test_the_assessment_page_and_everything_before_submission_carry_no_correct_answer(client, learner):
    enrolment_id = _enrol(client)
    enrolment = db.session.get(Enrolment, enrolment_id)
    factories.complete_everything_but_the_assessment(enrolment)
    responses = [client.get(f"/learning/{enrolment_id}/assessment")]
    start = client.post(f"/learning/{enrolment_id}/assessment/start", data={"csrf_token": csrf_token(client)})
    responses += [start, client.get(start.headers["Location"])]
    attempt = db.session.execute(
        db.select(AssessmentAttempt).where(AssessmentAttempt.enrolment_id == enrolment_id)
    ).scalar_one()
    bank = get_bank_questions(attempt.version_id, attempt.question_ids)
    secrets = set()
    for question in (q.data for q in list_bank(attempt.version_id)):
        for key in ("explanation", "feedback"):
            if isinstance(question.get(key), dict):
                secrets |= set(question[key].values())
        for option in question.get("options", []):
            if isinstance(option.get("feedback"), dict):
                secrets |= set(option["feedback"].values())
    drawn = [q.data for q in bank.values()]
    for response in responses:
        body = response.get_data(as_text=True)
        for secret in secrets:
            assert secret not in body
        assert '"correct"' not in body and "correct:" not in body
        for question in (q for q in drawn if q["type"] in ("ordering", "matching")):
            # Package ids of ordering items and matching answers would give the right order away.
            fieldset = re.search(rf'<fieldset class="question" id="q-{question["id"]}">(.*?)</fieldset>', body, re.S)
            if fieldset:
                ids = [o["id"] for o in question.get("options", question.get("pairs", []))]
                assert not any(
                    f'value="{i}"' in fieldset.group(1) or f'-{i}"' in fieldset.group(1)
                    for i in ids
                    if question["type"] == "ordering"
                )
                assert not any(f'<option value="{i}"' in fieldset.group(1) for i in ids)
    page = html.unescape(responses[-1].get_data(as_text=True))
    assert all(question["prompt"]["es"] in page for question in drawn)
    undrawn = [q.data for q in list_bank(attempt.version_id) if q.question_id not in attempt.question_ids]
    assert [q["id"] for q in undrawn if q["prompt"]["es"] in page] == []


def test_a_failed_attempt_shows_the_modules_to_review_but_not_the_right_answers(client, learner):
    enrolment_id = _enrol(client)
    enrolment = db.session.get(Enrolment, enrolment_id)
    factories.complete_everything_but_the_assessment(enrolment)
    attempt_url = _start_attempt(client, enrolment_id)
    response = client.post(attempt_url, data={"score": "100", "csrf_token": csrf_token(client)})
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Módulos para repasar" in result and "Para repasar:" in result
    assert "La respuesta correcta" not in result  # the sample course shows it only after a pass
    replay = client.post(attempt_url, data={"csrf_token": csrf_token(client)})
    assert replay.status_code == 302 and replay.headers["Location"].endswith("/result")
    assert (
        db.session.execute(
            db.select(db.func.count(AssessmentAttempt.id)).where(AssessmentAttempt.enrolment_id == enrolment_id)
        ).scalar()
        == 1
    )


def test_course_media_is_served_inert(client, learner):
    response = client.get("/courses/using-the-academy/v1/media/media/progreso.svg")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/svg+xml"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    pdf = client.get("/courses/using-the-academy/v1/media/media/lista-de-verificacion.pdf")
    assert pdf.headers["Content-Disposition"].startswith("attachment")
    assert client.get("/courses/using-the-academy/v1/media/../course.yaml").status_code == 404


def test_media_of_a_restricted_course_needs_an_enrolment(client, learner):
    assert client.get("/courses/integrity-induction/v1/media/media/none.png").status_code in (403, 404)


def test_print_stylesheet_hides_navigation(client):
    css = _static(client, "/static/css/app.css").decode()
    assert "@media print" in css and ".lesson-outline" in css.split("@media print")[1]


def test_json_answers_are_not_accepted_as_a_submission(client, learner):
    enrolment_id = _enrol(client)
    enrolment = db.session.get(Enrolment, enrolment_id)
    factories.complete_everything_but_the_assessment(enrolment)
    attempt_url = _start_attempt(client, enrolment_id)
    response = client.post(
        attempt_url,
        data=json.dumps({"score": 100}),
        content_type="application/json",
        headers={"X-CSRFToken": csrf_token(client)},
    )
    assert response.status_code in (302, 400)
    attempt = db.session.execute(
        db.select(AssessmentAttempt).where(AssessmentAttempt.enrolment_id == enrolment_id)
    ).scalar_one()
    assert not attempt.passed


# --- Counts, durations and moments in the reader's language ------------------------------------------


def _text(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return html.unescape(response.get_data(as_text=True))


def test_time_left_is_counted_in_minutes_on_my_learning_the_course_and_the_lesson(client, learner):
    enrolment_id = _enrol(client)
    lesson_url = client.get(f"/learning/{enrolment_id}/continue").headers["Location"]
    for path in ("/learning", f"/learning/{enrolment_id}", lesson_url):
        assert re.search(r"Faltan alrededor de \d+ minutos", _text(client, path)), path
    assert re.search(r'<p class="muted">\d+ minutos</p>', _text(client, lesson_url))
    learner.locale = "en"
    db.session.commit()
    assert re.search(r"About \d+ minutes left", _text(client, "/learning"))


def test_the_assessment_rules_count_questions_attempts_and_the_wait_in_both_languages(client, learner):
    enrolment_id = _enrol(client)
    page = _text(client, f"/learning/{enrolment_id}/assessment")
    assert "4 preguntas elegidas al azar de todo el curso." in page
    assert "Aprueba con 60\xa0% o más." in page and "Tiene 3 intentos." in page
    assert "Entre un intento y otro espera 1 hora, para repasar" in page  # one hour, not "1 horas"
    learner.locale = "en"
    db.session.commit()
    page = _text(client, f"/learning/{enrolment_id}/assessment")
    assert "4 questions drawn at random" in page and "You pass with 60% or more." in page
    assert "You have 3 attempts." in page and "Between attempts you wait 1 hour, to review" in page


def test_a_score_is_a_per_cent_of_the_readers_language(client, learner):
    enrolment_id = _enrol(client)
    factories.complete_everything_but_the_assessment(db.session.get(Enrolment, enrolment_id))
    attempt_url = _start_attempt(client, enrolment_id)
    result_url = client.post(attempt_url, data={"csrf_token": csrf_token(client)}).headers["Location"]
    assert "Obtuvo 0\xa0%; la nota para aprobar es 60\xa0%." in _text(client, result_url)
    assert "0\xa0% · no aprobada" in _text(client, f"/learning/{enrolment_id}/assessment")
    learner.locale = "en"
    db.session.commit()
    assert "You got 0%; the pass mark is 60%." in _text(client, result_url)


def test_the_pledge_shows_when_it_was_signed_in_lima_time_in_words(client, learner):
    enrolment_id = _enrol(client)
    url = f"/learning/{enrolment_id}/activities/pledge-uso-honesto"
    form = {"agree": "y", "signature": "Rosa Quispe", "csrf_token": csrf_token(client)}
    assert client.post(url, data=form).status_code == 302
    page = _text(client, url)
    signed = re.search(
        r"Firmado por Rosa Quispe el (\d{1,2} de [a-z]+ de \d{4}, \d{1,2}:\d{2}) \(hora de Perú\)\.", page
    )
    assert signed, page[page.find("Firmado") - 50 : page.find("Firmado") + 200]
    assert not re.search(r"[-+−]0500|UTC|GMT", page)
    learner.locale = "en"
    db.session.commit()
    page = _text(client, url)
    assert re.search(r"Signed by Rosa Quispe on [A-Z][a-z]+ \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M \(Peru Time\)\.", page)
    assert not re.search(r"[-+−]0500|UTC|GMT", page)


# --- Knowledge-check feedback -------------------------------------------------------------------------


def _question_section(page, prompt):
    """The feedback section of the question whose prompt is *prompt*."""
    section = re.search(
        r'<section class="feedback[^"]*">\s*<h2>\d+\. ' + re.escape(prompt) + r"</h2>(.*?)</section>", page, re.S
    )
    assert section, prompt
    return section.group(1)


def _options_with_feedback(section):
    """(option text, the tags and feedback under it) of each option the section lists."""
    return [(text.strip(), rest) for text, rest in re.findall(r"<li>([^<]*)(.*?)</li>", section, re.S)]


def test_a_right_answer_is_called_correct_once_and_its_feedback_follows_the_option(client, learner):
    enrolment_id = _enrol(client)
    enrolment = db.session.get(Enrolment, enrolment_id)
    url = f"/learning/{enrolment_id}/activities/check-crear-y-entrar"
    form = factories.knowledge_check_form(enrolment, "check-crear-y-entrar")
    assert client.post(url, data={**form.to_dict(flat=False), "csrf_token": csrf_token(client)}).status_code == 302
    section = _question_section(
        _text(client, url),
        "Usted cambió el idioma con el selector de la parte superior. ¿Dónde queda guardada su preferencia?",
    )
    assert re.sub(r"<[^>]+>", " ", section).split().count("Correcto") == 1  # the verdict, not "Correcto. Correcto."
    [(text, under)] = _options_with_feedback(section)
    assert text == 'En "Mi cuenta".'
    assert 'Su idioma se guarda en "Mi cuenta", donde también puede cambiarlo.' in under


def test_each_chosen_option_of_a_multiple_answer_question_carries_its_own_feedback_and_verdict(client, learner):
    enrolment_id = _enrol(client)
    enrolment = db.session.get(Enrolment, enrolment_id)
    url = f"/learning/{enrolment_id}/activities/check-proteger-tu-cuenta"
    form = factories.knowledge_check_form(enrolment, "check-proteger-tu-cuenta", chosen={"proteger-1": ["a", "c"]})
    assert client.post(url, data={**form.to_dict(flat=False), "csrf_token": csrf_token(client)}).status_code == 302
    section = _question_section(_text(client, url), "¿Qué cosas protegen su cuenta? Marque todas las que correspondan.")
    assert "No exactamente" in section
    options = dict(_options_with_feedback(section))
    assert set(options) == {
        "Activar un segundo factor con una aplicación de autenticación.",
        "Darle su contraseña a un compañero de confianza por si la olvida.",
    }
    second_factor = options["Activar un segundo factor con una aplicación de autenticación."]
    assert "Respuesta correcta" in second_factor and "El segundo factor protege su cuenta" in second_factor
    password = options["Darle su contraseña a un compañero de confianza por si la olvida."]
    assert "Respuesta incorrecta" in password and "Su contraseña es solo suya." in password
    assert "El segundo factor" not in password
