import re

from app.accounts import invitations, tokens
from app.accounts.models import User
from app.core.audit import AuditEvent
from app.extensions import db
from app.organisations import roles
from tests import factories


def _invite(world, email, name):
    return invitations.invite_by_email(
        actor=world.users["integrity_officer"],
        organisation=world.entity,
        role=roles.TRAINER,
        email=email,
        display_name=name,
    )


def test_a_new_address_gets_an_account_and_one_email_with_its_password_link_and_the_invitation(app, world, outbox):
    with app.test_request_context():
        invitation = _invite(world, " Nueva.Persona@Example.PE ", "Nueva Persona")
        db.session.commit()
    user = db.session.scalars(db.select(User).filter_by(email="nueva.persona@example.pe")).one()
    assert (invitation.user_id, invitation.status, invitation.invited_email) == (
        user.id,
        "invited",
        "nueva.persona@example.pe",
    )
    assert user.display_name == "Nueva Persona" and not user.is_email_verified
    [message] = outbox("nueva.persona@example.pe")
    assert message.subject == f"Invitación a {world.entity.name} en la Academia de Integridad"
    token = re.search(r"/password/reset/(\S+)", message.body_text).group(1)
    with app.test_request_context():
        assert tokens.read_password_reset_token(token)["user"] == user.id
    assert "http://localhost/account/invitations" in message.body_text
    actions = db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["account.created_by_staff", "membership.invited"]


def test_an_existing_address_gets_no_new_account_and_its_name_is_left_alone(app, world, outbox):
    existing = factories.make_user(display_name="Nombre Real")
    users_before = db.session.scalar(db.select(db.func.count(User.id)))
    with app.test_request_context():
        invitation = _invite(world, existing.email, "Nombre Escrito")
        db.session.commit()
    assert db.session.scalar(db.select(db.func.count(User.id))) == users_before
    assert (invitation.user_id, invitation.invited_name) == (existing.id, "Nombre Escrito")
    assert existing.display_name == "Nombre Real"
    [message] = outbox(existing.email)
    assert message.subject == f"Invitación a {world.entity.name} en la Academia de Integridad"
    assert "/password/reset/" not in message.body_text
    assert "Hola, Nombre Real:" in message.body_text
