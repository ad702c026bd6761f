"""Browser journeys: a citizen signs up and around; a SIP admin assigns a role. Every page is checked with axe."""

import re

import pyotp
import pytest
from sqlalchemy import select

from app.accounts import passwords
from app.accounts.models import User
from app.core.mail import OutboxMessage
from app.core.models import utcnow
from app.extensions import db
from app.organisations import roles
from app.organisations.models import Membership, Organisation
from tests import factories

pytestmark = pytest.mark.browser


def test_citizen_registers_verifies_signs_in_switches_language_and_signs_out(page, live_db, check_accessibility):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "es"
    check_accessibility(page)
    page.get_by_role("link", name="Crear una cuenta").first.click()
    check_accessibility(page)

    page.get_by_role("button", name="Crear mi cuenta").click()  # empty form: errors listed and linked
    assert page.locator(".error-summary").is_visible()
    check_accessibility(page)

    page.get_by_label("Nombre completo").fill("Rosa Quispe Mamani")
    page.get_by_label("Correo electrónico").fill("rosa.browser@example.pe")
    page.get_by_label("Contraseña", exact=True).fill("mi llama se llama pepe")
    page.get_by_label("Confirme la contraseña").fill("mi llama se llama pepe")
    page.locator("#accept_privacy").check()
    page.get_by_role("button", name="Crear mi cuenta").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Revise su correo electrónico"
    check_accessibility(page)

    body = live_db(
        lambda: db.session.execute(
            select(OutboxMessage.body_text).where(OutboxMessage.recipient == "rosa.browser@example.pe")
        ).scalar_one()
    )
    link = re.search(r"(http://127\.0\.0\.1:\d+/verify-email/\S+)", body).group(1)
    page.goto(link)
    check_accessibility(page)
    page.get_by_role("button", name="Confirmar mi correo").click()
    assert "confirmado" in page.locator(".notice").first.inner_text()

    page.get_by_label("Correo electrónico").fill("rosa.browser@example.pe")
    page.get_by_label("Contraseña").fill("mi llama se llama pepe")
    check_accessibility(page)
    page.get_by_role("button", name="Iniciar sesión").click()
    assert page.url.endswith("/learning")  # signing in lands on "Mi aprendizaje"
    assert page.get_by_role("heading", level=1).inner_text() == "Mi aprendizaje"
    check_accessibility(page)

    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="My account").is_visible()
    check_accessibility(page)
    saved = live_db(
        lambda: db.session.execute(select(User.locale).where(User.email == "rosa.browser@example.pe")).scalar_one()
    )
    assert saved == "en"

    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("navigation").get_by_role("link", name="Sign in").is_visible()
    assert "You have signed out." in page.locator(".notice").first.inner_text()
    page.goto("/account")
    assert "/login" in page.url


def _make_admin_and_person():
    secret = pyotp.random_base32()
    sip = db.session.execute(select(Organisation).where(Organisation.code == "SIP")).scalar_one()
    admin = User(
        email="admin.browser@example.pe",
        display_name="Administradora Navegador",
        password_hash=passwords.hash_password("frase de la administradora"),
        email_verified_at=utcnow(),
        totp_secret=factories.encrypt_totp_secret(secret),
        totp_enabled_at=utcnow(),
    )
    person = User(
        email="persona.browser@example.pe",
        display_name="Julio Huamán Ccori",
        password_hash=passwords.hash_password("otra frase muy larga"),
        email_verified_at=utcnow(),
    )
    db.session.add_all([admin, person, Membership(user=admin, organisation=sip, role=roles.SIP_ADMIN)])
    db.session.flush()
    puno = db.session.execute(select(Organisation.id).where(Organisation.code == "GORE-21")).scalar_one()
    return secret, person.id, puno


def test_sip_admin_assigns_a_role(page, live_db, check_accessibility):
    secret, person_id, puno_id = live_db(_make_admin_and_person)
    page.goto("/login")
    page.get_by_label("Correo electrónico").fill("admin.browser@example.pe")
    page.get_by_label("Contraseña").fill("frase de la administradora")
    page.get_by_role("button", name="Iniciar sesión").click()
    check_accessibility(page)
    page.get_by_label("Código").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continuar").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Administración"
    check_accessibility(page)

    page.get_by_role("link", name="Cuentas").click()
    page.get_by_label("Nombre o correo").fill("Huamán")
    page.get_by_role("button", name="Buscar").click()
    check_accessibility(page)
    page.get_by_role("link", name="Julio Huamán Ccori").click()
    check_accessibility(page)
    page.get_by_label("Organización").select_option(str(puno_id))
    page.get_by_label("Rol", exact=True).select_option("integrity_officer")
    page.get_by_role("button", name="Asignar rol").click()
    assert "Julio Huamán Ccori" in page.locator(".notice-success").inner_text()
    check_accessibility(page)

    granted = live_db(
        lambda: db.session.execute(select(Membership.role).where(Membership.user_id == person_id)).scalar_one()
    )
    assert granted == roles.INTEGRITY_OFFICER

    page.goto("/admin/audit?action=membership.role_granted")
    assert "membership.role_granted" in page.locator("table").inner_text()
    check_accessibility(page)


def test_pages_fit_a_360_pixel_phone(page):
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/register", "/login", "/privacy"):
        page.goto(path)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 360, (path, width)
