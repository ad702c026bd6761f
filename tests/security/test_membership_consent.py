"""Finding 8: an officer could attach any existing account to their entity. Now it takes the person's yes.

Each test attacks over HTTP as the probe did: an officer types someone's address into the add-member form,
and the person's account must gain nothing until that person accepts, in the app, signed in as themselves.
"""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from app.core.audit import AuditEvent
from app.core.models import utcnow
from app.extensions import db
from app.learning.models import Enrolment
from app.organisations import roles
from app.organisations.models import Membership
from tests import factories
from tests.csrf import csrf_token

# A course only trainers, officers, learners and other staff of public bodies may take: a trainer's door.
STAFF_COURSE = "integrity-induction"


def test_an_existing_citizen_added_by_an_officer_gets_no_role_until_they_accept(app, world, login_as, outbox):
    citizen = world.users["citizen"]
    officer = login_as(app.test_client(), world.users["integrity_officer"])

    response = _invite(officer, world.entity, citizen.email, "Ciudadana Invitada", roles.TRAINER)

    assert response.status_code == 302
    invitation = _membership(citizen, world.entity, roles.TRAINER)
    assert invitation.status == "invited"
    assert citizen.active_roles == set()
    person = login_as(app.test_client(), citizen)
    refused = _enrol(person, STAFF_COURSE)
    assert urlsplit(refused.location).path == f"/courses/{STAFF_COURSE}"
    assert _enrolments(citizen) == []
    assert "Formador(a)" not in person.get("/account").get_data(as_text=True)

    [message] = outbox(citizen.email)
    assert world.entity.name in message.body_text
    assert "Formador(a)" in message.body_text
    assert world.users["integrity_officer"].display_name in message.body_text
    assert "http://localhost/account/invitations" in message.body_text

    page = person.get("/account/invitations").get_data(as_text=True)
    assert world.entity.name in page and world.users["integrity_officer"].display_name in page
    accepted = person.post(f"/account/invitations/{invitation.id}/accept", data={"csrf_token": csrf_token(person)})

    assert accepted.status_code == 302
    assert invitation.status == "active"
    assert citizen.active_roles == {roles.TRAINER}
    assert urlsplit(_enrol(person, STAFF_COURSE).location).path.startswith("/learning/")
    assert [event.actor_id for event in _events("membership.invitation_accepted")] == [citizen.id]


def test_nobody_but_the_invited_person_can_accept_or_decline_and_they_get_404(app, world, login_as):
    citizen = world.users["citizen"]
    officer = login_as(app.test_client(), world.users["integrity_officer"])
    _invite(officer, world.entity, citizen.email, "Ciudadana Invitada", roles.TRAINER)
    invitation = _membership(citizen, world.entity, roles.TRAINER)

    for who in ("learner", "integrity_officer", "sip_admin"):
        intruder = login_as(app.test_client(), world.users[who])
        for answer in ("accept", "decline"):
            response = intruder.post(
                f"/account/invitations/{invitation.id}/{answer}", data={"csrf_token": csrf_token(intruder)}
            )
            assert response.status_code == 404, (who, answer)
        assert world.entity.name not in intruder.get("/account/invitations").get_data(as_text=True)
    anonymous = app.test_client()
    response = anonymous.post(
        f"/account/invitations/{invitation.id}/accept", data={"csrf_token": csrf_token(anonymous)}
    )
    assert urlsplit(response.location).path == "/login"

    assert invitation.status == "invited"
    assert citizen.active_roles == set()


def test_declining_ends_the_invitation_for_good(app, world, login_as):
    citizen = world.users["citizen"]
    officer = login_as(app.test_client(), world.users["integrity_officer"])
    _invite(officer, world.entity, citizen.email, "Ciudadana Invitada", roles.TRAINER)
    invitation = _membership(citizen, world.entity, roles.TRAINER)
    person = login_as(app.test_client(), citizen)

    declined = person.post(f"/account/invitations/{invitation.id}/decline", data={"csrf_token": csrf_token(person)})
    accepted = person.post(f"/account/invitations/{invitation.id}/accept", data={"csrf_token": csrf_token(person)})

    assert declined.status_code == 302
    assert accepted.status_code == 404
    assert invitation.status == "ended"
    assert citizen.active_roles == set()
    assert "Ciudadana Invitada" not in officer.get(f"/admin/organisations/{world.entity.id}/members").get_data(
        as_text=True
    )
    assert [event.actor_id for event in _events("membership.invitation_declined")] == [citizen.id]


def test_an_expired_invitation_cannot_be_accepted(app, world, login_as):
    citizen = world.users["citizen"]
    officer = login_as(app.test_client(), world.users["integrity_officer"])
    _invite(officer, world.entity, citizen.email, "Ciudadana Invitada", roles.TRAINER)
    invitation = _membership(citizen, world.entity, roles.TRAINER)
    assert invitation.invitation_expires_at - utcnow() > app.config["INVITATION_MAX_AGE"] - timedelta(minutes=1)
    invitation.invitation_expires_at = utcnow() - timedelta(minutes=1)  # two weeks have passed
    db.session.commit()
    person = login_as(app.test_client(), citizen)

    response = person.post(f"/account/invitations/{invitation.id}/accept", data={"csrf_token": csrf_token(person)})

    assert response.status_code == 302
    with person.session_transaction() as session:
        assert [category for category, _ in session["_flashes"]] == ["error"]
    assert invitation.status == "invited"
    assert citizen.active_roles == set()
    assert world.entity.name not in person.get("/account/invitations").get_data(as_text=True)
    assert "Ciudadana Invitada" in officer.get(f"/admin/organisations/{world.entity.id}/members").get_data(as_text=True)


def test_the_officer_withdraws_an_invitation_and_it_can_no_longer_be_accepted(app, world, login_as):
    citizen = world.users["citizen"]
    officer = login_as(app.test_client(), world.users["integrity_officer"])
    _invite(officer, world.entity, citizen.email, "Ciudadana Invitada", roles.TRAINER)
    invitation = _membership(citizen, world.entity, roles.TRAINER)

    withdrawn = officer.post(
        f"/admin/organisations/{world.entity.id}/members/{invitation.id}/withdraw",
        data={"csrf_token": csrf_token(officer)},
    )
    person = login_as(app.test_client(), citizen)
    accepted = person.post(f"/account/invitations/{invitation.id}/accept", data={"csrf_token": csrf_token(person)})

    assert withdrawn.status_code == 302
    assert accepted.status_code == 404
    assert invitation.status == "ended"
    assert citizen.active_roles == set()


def test_an_invitation_cannot_be_turned_into_a_role_by_changing_or_approving_it(app, world, login_as):
    citizen = world.users["citizen"]
    officer = login_as(app.test_client(), world.users["integrity_officer"])
    _invite(officer, world.entity, citizen.email, "Ciudadana Invitada", roles.LEARNER)
    invitation = _membership(citizen, world.entity, roles.LEARNER)
    url = f"/admin/organisations/{world.entity.id}/members/{invitation.id}"

    changed = officer.post(url + "/role", data={"role": roles.TRAINER, "csrf_token": csrf_token(officer)})
    officer.post(url + "/approve", data={"csrf_token": csrf_token(officer)})

    assert changed.status_code == 403
    assert invitation.status == "invited"
    assert citizen.active_roles == set()


def test_an_invited_officer_cannot_reach_the_officers_pages_until_they_accept(app, world, login_as):
    person = factories.make_user(second_factor=True)
    admin = login_as(app.test_client(), world.users["sip_admin"])
    _invite(admin, world.entity, person.email, "Oficial Invitada", roles.INTEGRITY_OFFICER)
    invitation = _membership(person, world.entity, roles.INTEGRITY_OFFICER)
    client = login_as(app.test_client(), person)

    assert client.get("/admin/").status_code == 403
    assert client.get(f"/admin/organisations/{world.entity.id}/members").status_code == 403
    assert 'href="/admin/"' not in client.get("/account").get_data(as_text=True)

    client.post(f"/account/invitations/{invitation.id}/accept", data={"csrf_token": csrf_token(client)})

    assert client.get(f"/admin/organisations/{world.entity.id}/members").status_code == 200


def test_a_person_without_an_account_chooses_a_password_signs_in_and_accepts(app, world, login_as, outbox):
    officer = login_as(app.test_client(), world.users["integrity_officer"])
    _invite(officer, world.entity, "nueva.formadora@example.pe", "Nueva Formadora", roles.TRAINER)
    [message] = outbox("nueva.formadora@example.pe")
    password_link = re.search(r"http://localhost(/password/reset/\S+)", message.body_text).group(1)
    person = app.test_client()
    password = "mi frase nueva y segura"

    person.post(password_link, data={"password": password, "confirm": password, "csrf_token": csrf_token(person)})
    signed_in = person.post(
        "/login",
        data={"email": "nueva.formadora@example.pe", "password": password, "csrf_token": csrf_token(person)},
    )

    assert urlsplit(signed_in.location).path == "/account/invitations"
    [invitation] = db.session.scalars(
        db.select(Membership).where(Membership.invited_email == "nueva.formadora@example.pe")
    ).all()
    assert invitation.status == "invited"
    person.post(f"/account/invitations/{invitation.id}/accept", data={"csrf_token": csrf_token(person)})
    assert invitation.status == "active"
    assert invitation.user.active_roles == {roles.TRAINER}


def _invite(client, organisation, email, name, role):
    return client.post(
        f"/admin/organisations/{organisation.id}/members",
        data={"email": email, "display_name": name, "role": role, "csrf_token": csrf_token(client)},
    )


def _membership(user, organisation, role):
    return db.session.scalars(
        db.select(Membership).filter_by(user_id=user.id, organisation_id=organisation.id, role=role)
    ).one()


def _enrol(client, slug):
    return client.post(f"/courses/{slug}/enrol", data={"csrf_token": csrf_token(client)})


def _enrolments(user):
    return db.session.scalars(db.select(Enrolment).filter_by(user_id=user.id)).all()


def _events(action):
    return db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)).all()
