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
from tests.browser.walker import fill_form, right_answers, walk_to_the_final_assessment

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

    walk_to_the_final_assessment(page, check_accessibility, reflection="Estudiaré desde mi celular en el camino.")
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
        attempt = db.session.execute(
            select(AssessmentAttempt).join(Enrolment).join(User).where(User.email == "aprendiz.browser@example.pe")
        ).scalar_one()
        attempt.submitted_at = attempt.submitted_at - timedelta(hours=2)

    live_db(wait_out_the_cooldown)

    page.get_by_role("button", name="Empezar la evaluación").click()

    fill_form(page, live_db(lambda: right_answers("aprendiz.browser@example.pe", 2)))
    page.get_by_role("button", name="Enviar mis respuestas").click()
    assert "Aprobó" in page.locator(".notice").first.inner_text()
    assert "Completaste el curso" in page.locator("main").inner_text()
    check_accessibility(page)

    page.goto("/learning")
    assert "100" in page.locator("progress").first.get_attribute("value")
    check_accessibility(page)
