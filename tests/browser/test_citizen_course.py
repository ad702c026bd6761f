"""A citizen takes the Citizen for Integrity course from the catalogue to completion."""

import pytest

from app.accounts import passwords
from app.accounts.models import User
from app.core.models import utcnow
from app.extensions import db
from tests import factories
from tests.browser.walker import fill_form, right_answers, walk_to_the_final_assessment

pytestmark = pytest.mark.browser
EMAIL, PASSWORD = "ciudadana.browser@example.pe", "frase de la ciudadana del recorrido"


def test_citizen_completes_the_citizen_course(page, live_app, live_db, check_accessibility):
    with live_app.app_context():
        from app.catalog import content, services

        services.sync_package(content.load_package(factories.COURSES / "citizen-integrity"))
        db.session.add(
            User(
                email=EMAIL,
                display_name="Rosa Ccori Huamán",
                email_verified_at=utcnow(),
                password_hash=passwords.hash_password(PASSWORD),
            )
        )
        db.session.commit()
        db.session.remove()
    page.goto("/login")
    page.get_by_label("Correo electrónico").fill(EMAIL)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()

    page.goto("/courses?access=open")
    page.get_by_role("link", name="Ciudadano por la Integridad").click()
    check_accessibility(page)
    page.get_by_role("button", name="Inscribirme en este curso").click()
    page.get_by_role("link", name="Continuar donde te quedaste").click()
    walk_to_the_final_assessment(page, check_accessibility)

    page.get_by_role("button", name="Empezar la evaluación").click()
    check_accessibility(page)
    fill_form(page, live_db(lambda: right_answers(EMAIL, 1)))
    page.get_by_role("button", name="Enviar mis respuestas").click()
    assert "Aprobó" in page.locator(".notice").first.inner_text()
    assert "Completaste el curso" in page.locator("main").inner_text()
    check_accessibility(page)
    page.goto("/learning")
    assert page.locator("progress").first.get_attribute("value") == "100"
