"""An official on a phone sees the induction's diagrams fit the screen, writes the personal action plan
at the end of the course and downloads it as a one-page PDF."""

import pytest
from pypdf import PdfReader

from app.accounts import passwords
from app.accounts.models import User
from app.core.models import utcnow
from app.extensions import db
from tests import factories

pytestmark = pytest.mark.browser
PASSWORD = "frase del servidor que escribe su plan"
PHONE = {"width": 360, "height": 740}


def _official_enrolled_in_the_induction(email):
    from app.catalog import content, services

    services.sync_package(content.load_package(factories.COURSES / "integrity-induction"))
    user = User(
        email=email,
        display_name="Jorge Huamán Ccori",
        password_hash=passwords.hash_password(PASSWORD),
        email_verified_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    return factories.make_enrolment(user, slug="integrity-induction").id


def _sign_in(page, email):
    page.goto("/login")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()


def test_a_diagram_loads_and_fits_a_360_px_screen(page, live_db, check_accessibility):
    email = "servidor.diagrama@example.pe"
    enrolment_id = live_db(lambda: _official_enrolled_in_the_induction(email))
    page.set_viewport_size(PHONE)
    _sign_in(page, email)
    page.goto(f"/learning/{enrolment_id}/lessons/09-consequences/01-disciplinary-procedure")
    diagram = page.locator("article img[src$='.es.svg']").first
    diagram.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=diagram.element_handle())
    box = diagram.bounding_box()
    assert box["width"] <= PHONE["width"] and box["x"] >= 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_accessibility(page)


def test_an_official_writes_the_action_plan_and_downloads_it_on_one_page(page, live_db, check_accessibility):
    email = "servidor.plan@example.pe"
    enrolment_id = live_db(lambda: _official_enrolled_in_the_induction(email))
    _sign_in(page, email)
    page.goto(f"/learning/{enrolment_id}/activities/integrity-action-plan")
    check_accessibility(page)
    fields = page.locator("textarea[name^='field-']")
    assert fields.count() >= 3
    page.get_by_role("button", name="Guardar mi plan").click()
    assert page.locator(".error-summary").is_visible()
    check_accessibility(page)
    for index in range(fields.count()):
        fields.nth(index).fill(f"Respuesta {index + 1}: revisar las compras menores de mi unidad con mi jefa.")
    page.get_by_role("button", name="Guardar mi plan").click()
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar mi plan (PDF, una página)").click()
    reader = PdfReader(download.value.path())
    assert len(reader.pages) == 1
    assert "Jorge Huamán Ccori" in reader.pages[0].extract_text()
