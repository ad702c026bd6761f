"""Every page each kind of person can open passes axe, on a desktop and on a 360-pixel phone."""

from datetime import timedelta

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


def _people():
    sip = db.session.execute(select(Organisation).where(Organisation.code == "SIP")).scalar_one()
    gore = db.session.execute(select(Organisation).where(Organisation.code == "GORE-16")).scalar_one()
    entity = Organisation(code="GORE-16-SWEEP", kind=roles.ENTITY, parent=gore, name="Red de Salud de Loreto (prueba)")
    db.session.add(entity)
    people = {}
    for key, organisation, role in (
        ("admin", sip, roles.SIP_ADMIN),
        ("officer", entity, roles.INTEGRITY_OFFICER),
        ("citizen", None, None),
    ):
        secret = pyotp.random_base32() if role else None
        user = User(
            email=f"sweep.{key}@example.pe",
            display_name=f"Persona «{key}» Ñuñoa",
            password_hash=passwords.hash_password("frase del recorrido completo"),
            email_verified_at=utcnow(),
            totp_secret=factories.encrypt_totp_secret(secret) if secret else None,
            totp_enabled_at=utcnow() if secret else None,
        )
        db.session.add(user)
        if organisation:
            db.session.add(Membership(user=user, organisation=organisation, role=role))
        db.session.flush()
        people[key] = (user.email, secret, user.id)
        if key == "citizen":
            # Waiting for the citizen's answer: a card on their invitations page, a row on the officer's list.
            db.session.add(
                Membership(
                    user=user,
                    organisation=entity,
                    role=roles.TRAINER,
                    status="invited",
                    invited_email=user.email,
                    invited_name="Nombre «escrito» por el oficial",
                    invitation_expires_at=utcnow() + timedelta(days=14),
                    granted_by_id=people["officer"][2],
                )
            )
    # A course version with a final assessment, for the question statistics page (sync keeps it if there).
    from app.catalog import content, services

    version, _ = services.sync_package(content.load_package(factories.COURSES / "using-the-academy"))
    # A reset mail in the outbox, its link as long as a real token makes it.
    mail = OutboxMessage(
        message_id="<sweep@academia-integridad>",
        recipient="sweep.citizen@example.pe",
        subject="Restablezca su contraseña",
        body_text="Hola:\n\nAbra este enlace:\n\nhttp://127.0.0.1/password/reset/" + "Ab3_-" * 30 + "\n\nGracias.",
        transport="outbox",
    )
    db.session.add(mail)
    db.session.flush()
    return people, entity.id, version.id, mail.id


def _sign_in(page, email, secret):
    page.goto("/login")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill("frase del recorrido completo")
    page.get_by_role("button", name="Iniciar sesión").click()
    if secret:
        page.get_by_label("Código").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Continuar").click()


@pytest.fixture(scope="module")
def sweep_people(live_server, live_app):
    with live_app.app_context():
        try:
            result = _people()
            db.session.commit()
            return result
        finally:
            db.session.remove()


def _pages(people, entity_id, version_id, mail_id):
    citizen_id = people["citizen"][2]
    return {
        "anonymous": [
            "/",
            "/login",
            "/register",
            "/privacy",
            "/password/forgot",
            "/register/check-email",
            "/no-such-page",
        ],
        "citizen": [
            "/",
            "/account",
            "/account/confirm",
            "/account/invitations",
            "/account/password",
            "/account/second-factor",
            "/admin/",
        ],
        "officer": [
            "/admin/",
            f"/admin/organisations/{entity_id}/members",
            "/account",
            "/account/confirm",
            "/account/confirm?next=/account&use=recovery-code",
            "/account/second-factor/recovery-codes",
            "/account/second-factor/disable",
        ],
        "admin": [
            "/admin/",
            "/admin/organisations",
            "/admin/organisations/new",
            f"/admin/organisations/{entity_id}/edit",
            "/admin/users",
            f"/admin/users/{citizen_id}",
            "/admin/audit",
            f"/admin/organisations/{entity_id}/members",
            "/admin/item-statistics",
            f"/admin/item-statistics/{version_id}",
            "/admin/outbox",
            f"/admin/outbox/{mail_id}",
            "/account",
        ],
    }


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("who", ["anonymous", "citizen", "officer", "admin"])
def test_every_page_is_accessible_and_fits_the_screen(page, sweep_people, check_accessibility, who, width):
    people, entity_id, version_id, mail_id = sweep_people
    page.set_viewport_size({"width": width, "height": 800})
    if who != "anonymous":
        email, secret, _ = people[who]
        _sign_in(page, email, secret)
    for path in _pages(people, entity_id, version_id, mail_id)[who]:
        page.goto(path)
        check_accessibility(page)
        scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
        assert scroll_width <= width, (path, scroll_width, _too_wide(page, width))


def _too_wide(page, width):
    """The elements that stick out, to make a failure readable."""
    return page.evaluate(
        """(width) => Array.from(document.querySelectorAll('body *'))
            .filter(e => e.getBoundingClientRect().right > width + 1 && !e.closest('.table-scroll'))
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40))""",
        width,
    )
