from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy.exc import IntegrityError

from app.core.audit import AuditEvent
from app.extensions import db
from app.organisations import invitations, roles, services
from app.organisations.models import Membership
from app.organisations.services import OrganisationError
from tests import factories


def _events(action):
    return db.session.execute(db.select(AuditEvent).where(AuditEvent.action == action)).scalars().all()


def _invite(world, user, role=roles.TRAINER, name="Nombre Escrito"):
    return invitations.invite(
        actor=world.users["integrity_officer"],
        user=user,
        organisation=world.entity,
        role=role,
        email=user.email,
        name=name,
    )


def test_an_invitation_keeps_what_the_inviter_typed_and_is_audited(app, world):
    citizen = world.users["citizen"]
    with app.test_request_context():
        invitation = _invite(world, citizen, name="  Nombre   Escrito ")
    assert (invitation.status, invitation.invited_name, invitation.invited_email) == (
        "invited",
        "Nombre Escrito",
        citizen.email,
    )
    assert invitation.granted_by_id == world.users["integrity_officer"].id
    [event] = _events("membership.invited")
    assert (event.actor_id, event.target_id, event.details) == (
        world.users["integrity_officer"].id,
        str(citizen.id),
        {"role": roles.TRAINER, "email": citizen.email},
    )


def test_an_invitation_lasts_the_configured_time_and_cannot_be_accepted_after(app, world):
    citizen = world.users["citizen"]
    sent = datetime(2026, 12, 1, 12, tzinfo=UTC)
    with freeze_time(sent), app.test_request_context():
        invitation = _invite(world, citizen)
    max_age = app.config["INVITATION_MAX_AGE"]
    with freeze_time(sent + max_age - timedelta(seconds=1)):
        assert invitation.invitation_is_open
    with freeze_time(sent + max_age), app.test_request_context():
        assert not invitation.invitation_is_open
        with pytest.raises(OrganisationError):
            invitations.accept(user=citizen, membership=invitation)
    assert invitation.status == "invited"
    assert citizen.active_roles == set()


def test_accepting_activates_declining_and_withdrawing_end_and_each_is_audited(app, world):
    people = [factories.make_user() for _ in range(3)]
    with app.test_request_context():
        accepted, declined, withdrawn = (_invite(world, person) for person in people)
        invitations.accept(user=people[0], membership=accepted)
        invitations.decline(user=people[1], membership=declined)
        invitations.withdraw(actor=world.users["integrity_officer"], membership=withdrawn)
    assert [m.status for m in (accepted, declined, withdrawn)] == ["active", "ended", "ended"]
    assert people[0].active_roles == {roles.TRAINER}
    assert [e.actor_id for e in _events("membership.invitation_accepted")] == [people[0].id]
    assert [e.actor_id for e in _events("membership.invitation_declined")] == [people[1].id]
    assert [e.actor_id for e in _events("membership.invitation_withdrawn")] == [world.users["integrity_officer"].id]


def test_inviting_someone_who_has_the_role_or_asked_for_it_is_refused(app, world):
    applicant = factories.make_user()
    factories.make_membership(applicant, world.entity, roles.TRAINER, status="pending")
    with app.test_request_context():
        with pytest.raises(OrganisationError, match="ya tiene este rol"):
            _invite(world, world.users["learner"], role=roles.LEARNER)
        with pytest.raises(OrganisationError, match="pidió este rol"):
            _invite(world, applicant)


def test_inviting_again_renews_and_an_ended_membership_is_reused(app, world):
    learner = world.users["learner"]
    with app.test_request_context():
        services.end_membership(actor=world.users["integrity_officer"], membership=world.learner_membership)
        _invite(world, learner, role=roles.LEARNER, name="Primer Nombre")
        renewed = _invite(world, learner, role=roles.LEARNER, name="Nombre Nuevo")
    assert renewed.id == world.learner_membership.id
    assert (renewed.status, renewed.invited_name) == ("invited", "Nombre Nuevo")


def test_the_database_refuses_an_invitation_without_its_address_name_or_expiry(world):
    db.session.add(
        Membership(user=world.users["citizen"], organisation=world.entity, role=roles.TRAINER, status="invited")
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
