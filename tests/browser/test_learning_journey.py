"""A learner enrols, reads, answers, fails the final once, waits out the cooldown and passes."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts import passwords
from app.accounts.models import User
from app.core.models import utcnow
from app.extensions import db
from app.learning.models import AssessmentAttempt, Enrolment
from tests import factories

pytestmark = pytest.mark.browser
PASSWORD = "frase de la aprendiz del recorrido"


def _make_learner():
    user = User(
        email="aprendiz.browser@example.pe",
        display_name="Luz Mamani Quispe",
        password_hash=passwords.hash_password(PASSWORD),
        email_verified_at=utcnow(),
    )
    db.session.add(user)


def _answer_everything_shown(page):
    """Answer each question on the page the simple way: first choice, items in the order shown."""
    for fieldset in page.locator("fieldset.question").all():
        radios = fieldset.locator("input[type=radio]")
        if radios.count():
            radios.first.check()
        boxes = fieldset.locator("input[type=checkbox]")
        if boxes.count():
            boxes.first.check()
        selects = fieldset.locator("select").all()
        for index, select_box in enumerate(selects):
            options = select_box.locator("option").all()
            select_box.select_option(index=min(index + 1, len(options) - 1))


def _fill_form(page, form):
    for name in form:
        values = form.getlist(name)
        target = page.locator(f'[name="{name}"]')
        if target.first.evaluate("e => e.tagName") == "SELECT":
            target.first.select_option(values[0])
        else:
            for value in values:
                page.locator(f'[name="{name}"][value="{value}"]').check()


def test_learner_completes_the_sample_course(page, live_app, live_db, check_accessibility):
    with live_app.app_context():
        from app.catalog import content, services

        services.sync_package(content.load_package(factories.COURSES / "using-the-academy"))
        db.session.commit()
        db.session.remove()
    live_db(_make_learner)
    page.goto("/login")
    page.get_by_label("Correo electrónico").fill("aprendiz.browser@example.pe")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()

    page.goto("/courses")
    check_accessibility(page)
    page.get_by_role("link", name="Cómo usar la Academia").click()
    check_accessibility(page)
    page.get_by_role("button", name="Inscribirme en este curso").click()
    check_accessibility(page)
    page.get_by_role("link", name="Continuar donde te quedaste").click()

    seen = set()
    for _ in range(40):
        url = page.url
        if "/assessment" in url:
            break
        if url not in seen:
            check_accessibility(page)
            seen.add(url)
        if "/lessons/" in url:
            page.get_by_role("button", name="Marcar como leída y continuar").click()
        elif page.locator("textarea#text").count():
            page.locator("textarea#text").fill("Estudiaré desde mi celular en el camino.")
            page.get_by_role("button", name="Guardar mi reflexión").click()
        elif page.locator("#signature").count():
            page.locator("#agree").check()
            page.locator("#signature").fill("Luz Mamani Quispe")
            page.get_by_role("button", name="Firmar el compromiso").click()
            check_accessibility(page)
        elif page.locator("input[name=choice]").count():
            page.locator("input[name=choice]").first.check()
            page.get_by_role("button", name="Ver qué pasa").click()
            check_accessibility(page)
        else:
            _answer_everything_shown(page)
            page.get_by_role("button", name="Comprobar mis respuestas").click()
            check_accessibility(page)
        page.get_by_role("link", name="Continuar", exact=True).first.click() if page.get_by_role(
            "link", name="Continuar", exact=True
        ).count() else None
    assert "/assessment" in page.url
    check_accessibility(page)

    page.get_by_role("button", name="Empezar la evaluación").click()
    check_accessibility(page)
    page.get_by_role("button", name="Enviar mis respuestas").click()  # nothing answered: a clear fail
    assert "la nota para aprobar" in page.locator(".notice").first.inner_text()
    check_accessibility(page)

    page.get_by_role("link", name="Evaluación final").first.click()
    page.get_by_role("button", name="Empezar la evaluación").click()
    assert "Podrás intentarlo de nuevo" in page.locator(".notice").first.inner_text()

    def wait_out_the_cooldown():
        attempt = db.session.execute(select(AssessmentAttempt)).scalars().one()
        attempt.submitted_at = attempt.submitted_at - timedelta(hours=2)

    live_db(wait_out_the_cooldown)

    page.get_by_role("button", name="Empezar la evaluación").click()

    def right_answers():
        enrolment = db.session.execute(select(Enrolment)).scalars().one()
        attempt = db.session.execute(select(AssessmentAttempt).where(AssessmentAttempt.number == 2)).scalar_one()
        return factories.right_answers_form(enrolment, attempt)

    _fill_form(page, live_db(right_answers))
    page.get_by_role("button", name="Enviar mis respuestas").click()
    assert "Aprobaste" in page.locator(".notice").first.inner_text()
    assert "Completaste el curso" in page.locator("main").inner_text()
    check_accessibility(page)

    page.goto("/learning")
    assert "100" in page.locator("progress").first.get_attribute("value")
    check_accessibility(page)
