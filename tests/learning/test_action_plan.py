"""The personal integrity action plan: saved privately, refused with a named reason, printed on one page."""

import io

import pytest
from pypdf import PdfReader

from app.catalog import content
from app.catalog import services as catalog_services
from app.catalog.content.rules import ACTION_PLAN_ANSWER_MAX_CHARS
from app.extensions import db
from app.learning.models import ActivityCompletion
from tests import factories
from tests.catalog import edit, write_package
from tests.csrf import csrf_token

SLUG = "plan-course"
PLAN = """
- id: my-plan
  kind: action_plan
  required: true
  intro: {es: Escriba su plan., en: Write your plan.}
  fields:
    - id: risk
      prompt: {es: ¿Qué riesgo ve en su trabajo?, en: What risk do you see in your work?}
      hint: {es: Un proceso concreto., en: A concrete process.}
    - id: action
      prompt: {es: ¿Qué hará en los próximos 30 días?, en: What will you do in the next 30 days?}
    - id: support
      prompt: {es: ¿A quién pedirá apoyo?, en: Whom will you ask for support?}
"""


@pytest.fixture
def course(tmp_path):
    folder = write_package(tmp_path / "courses", SLUG)
    edit(folder, "course.yaml", "public: false", "public: true")
    edit(
        folder,
        "modules/01-first-steps/module.yaml",
        "  - activity: pledge\n",
        "  - activity: pledge\n  - activity: my-plan\n",
    )
    with open(folder / "modules/01-first-steps/activities.yaml", "a", encoding="utf-8") as activities:
        activities.write(PLAN)
    catalog_services.sync_package(content.load_package(folder))
    db.session.commit()
    return factories.get_course(SLUG)


@pytest.fixture
def learner(client, login_as):
    user = factories.make_user(display_name="Rosa Quispe Mamani")
    login_as(client, user)
    return user


def _enrol(client):
    response = client.post(f"/courses/{SLUG}/enrol", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def _save(client, enrolment_id, **answers):
    data = {f"field-{key}": value for key, value in answers.items()}
    return client.post(f"/learning/{enrolment_id}/activities/my-plan", data={**data, "csrf_token": csrf_token(client)})


def _pdf_text(response):
    reader = PdfReader(io.BytesIO(response.get_data()))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


ANSWERS = {
    "risk": "Las compras menores de la Unidad de Logística.",
    "action": "Revisar los requerimientos con mi jefe.\nPublicar las órdenes de compra.",
    "support": "La Oficina de Integridad Institucional.",
}


def test_the_plan_form_shows_every_prompt_with_its_hint_and_a_length_limit(client, course, learner):
    page = client.get(f"/learning/{_enrol(client)}/activities/my-plan").get_data(as_text=True)
    assert "¿Qué riesgo ve en su trabajo?" in page and "Un proceso concreto." in page
    assert page.count(f'maxlength="{ACTION_PLAN_ANSWER_MAX_CHARS}"') == 3
    assert 'aria-describedby="field-risk-hint"' in page


def test_a_saved_plan_is_kept_and_counts_as_done(client, course, learner):
    enrolment_id = _enrol(client)
    assert _save(client, enrolment_id, **ANSWERS).status_code == 302
    completion = db.session.query(ActivityCompletion).filter_by(enrolment_id=enrolment_id, activity_id="my-plan").one()
    assert completion.response["answers"]["action"] == ANSWERS["action"]
    page = client.get(f"/learning/{enrolment_id}/activities/my-plan").get_data(as_text=True)
    assert "Publicar las órdenes de compra." in page and f"/learning/{enrolment_id}/activities/my-plan/plan.pdf" in page


def test_an_empty_answer_is_refused_naming_its_prompt_and_keeping_what_was_typed(client, course, learner):
    enrolment_id = _enrol(client)
    response = _save(client, enrolment_id, risk="Compras menores", action="", support="La OII")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "¿Qué hará en los próximos 30 días?" in page.split("error-summary")[1].split("</div>")[0]
    assert "Compras menores" in page and "La OII" in page
    assert db.session.query(ActivityCompletion).filter_by(enrolment_id=enrolment_id).count() == 0


def test_an_answer_longer_than_a_page_holds_is_refused(client, course, learner):
    enrolment_id = _enrol(client)
    response = _save(client, enrolment_id, **{**ANSWERS, "risk": "x" * (ACTION_PLAN_ANSWER_MAX_CHARS + 1)})
    assert response.status_code == 400
    assert str(ACTION_PLAN_ANSWER_MAX_CHARS) in response.get_data(as_text=True)


def test_the_plan_downloads_as_one_page_pdf_with_the_name_course_prompts_and_answers(client, course, learner):
    enrolment_id = _enrol(client)
    _save(client, enrolment_id, **ANSWERS)
    response = client.get(f"/learning/{enrolment_id}/activities/my-plan/plan.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    reader, text = _pdf_text(response)
    assert len(reader.pages) == 1
    for expected in (
        "Rosa Quispe Mamani",
        "¿A quién pedirá apoyo?",
        "Revisar los requerimientos con mi jefe.",
        "Publicar las órdenes de compra.",
        "La Oficina de Integridad Institucional.",
    ):
        assert expected in text


def test_the_pdf_speaks_the_learners_language(client, course, login_as):
    login_as(client, factories.make_user(locale="en"))
    enrolment_id = _enrol(client)
    _save(client, enrolment_id, **ANSWERS)
    _reader, text = _pdf_text(client.get(f"/learning/{enrolment_id}/activities/my-plan/plan.pdf"))
    assert "My integrity action plan" in text and "What will you do in the next 30 days?" in text


def test_the_pdf_is_tagged_so_a_screen_reader_reads_each_prompt_as_a_heading_over_its_answer(client, course, learner):
    enrolment_id = _enrol(client)
    _save(client, enrolment_id, **ANSWERS)
    reader, _text = _pdf_text(client.get(f"/learning/{enrolment_id}/activities/my-plan/plan.pdf"))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True and catalog["/Lang"] == "es"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == reader.xmp_metadata.dc_title["x-default"] == "Mi plan de acción de integridad"
    (document,) = catalog["/StructTreeRoot"]["/K"]
    roles = [kid.get_object()["/S"] for kid in document.get_object()["/K"]]
    assert roles == ["/H1", "/P", "/P", "/H2", "/P", "/H2", "/P", "/H2", "/P", "/P"]
    assert reader.pages[0]["/StructParents"] == 0


def test_every_answer_at_its_longest_still_prints_on_one_page(client, course, learner):
    enrolment_id = _enrol(client)
    words = ("integridad " * 100)[:ACTION_PLAN_ANSWER_MAX_CHARS].strip()
    _save(
        client, enrolment_id, risk=words, action="\n".join(["Paso"] * 60)[:ACTION_PLAN_ANSWER_MAX_CHARS], support=words
    )
    reader, _text = _pdf_text(client.get(f"/learning/{enrolment_id}/activities/my-plan/plan.pdf"))
    assert len(reader.pages) == 1


def test_markup_in_an_answer_is_printed_as_typed(client, course, learner):
    enrolment_id = _enrol(client)
    _save(client, enrolment_id, **{**ANSWERS, "risk": '<b>negrita</b> & <font size="40">grande</font>'})
    response = client.get(f"/learning/{enrolment_id}/activities/my-plan/plan.pdf")
    assert response.status_code == 200
    _reader, text = _pdf_text(response)
    assert '<b>negrita</b> & <font size="40">grande</font>' in text


def test_the_plan_and_its_pdf_are_private_to_their_author(app, client, course, learner, login_as):
    enrolment_id = _enrol(client)
    _save(client, enrolment_id, **ANSWERS)
    intruder = app.test_client()
    login_as(intruder, factories.make_user())
    assert intruder.get(f"/learning/{enrolment_id}/activities/my-plan").status_code == 404
    assert intruder.get(f"/learning/{enrolment_id}/activities/my-plan/plan.pdf").status_code == 404


def test_there_is_no_pdf_before_the_plan_is_saved_nor_for_other_activities(client, course, learner):
    enrolment_id = _enrol(client)
    assert client.get(f"/learning/{enrolment_id}/activities/my-plan/plan.pdf").status_code == 404
    client.post(
        f"/learning/{enrolment_id}/activities/reflect-day", data={"text": "x", "csrf_token": csrf_token(client)}
    )
    assert client.get(f"/learning/{enrolment_id}/activities/reflect-day/plan.pdf").status_code == 404
