import pytest

from app.organisations import permissions, roles


def test_only_sip_admins_manage_organisations_accounts_and_the_audit_log(world):
    for name, user in world.users.items():
        expected = name == "sip_admin"
        assert permissions.can_manage_organisations(user) is expected, name
        assert permissions.can_manage_accounts(user) is expected, name
        assert permissions.can_view_audit_log(user) is expected, name


def test_an_officer_manages_their_own_organisation_only(world):
    officer = world.users["integrity_officer"]
    assert permissions.can_manage_members(officer, world.entity)
    assert not permissions.can_manage_members(officer, world.other_entity)
    assert not permissions.can_manage_members(officer, world.gore)
    assert not permissions.can_manage_members(officer, world.company)


@pytest.mark.parametrize("role", [roles.LEARNER, roles.TRAINER])
def test_an_officer_may_hand_out_learner_and_trainer(world, role):
    assert permissions.can_assign_role(world.users["integrity_officer"], world.entity, role)


@pytest.mark.parametrize("role", [roles.INTEGRITY_OFFICER, roles.SIP_ADMIN, roles.GOVERNOR, roles.ADVISOR])
def test_an_officer_may_not_hand_out_powerful_roles(world, role):
    assert not permissions.can_assign_role(world.users["integrity_officer"], world.entity, role)


def test_an_officer_may_not_touch_another_officers_membership(world):
    officer = world.users["integrity_officer"]
    assert not permissions.can_change_membership(officer, officer.memberships[0])
    assert permissions.can_change_membership(officer, world.learner_membership)
    assert not permissions.can_change_membership(officer, world.other_membership)


def test_sip_admins_assign_any_role_that_fits_the_organisation(world):
    admin = world.users["sip_admin"]
    assert permissions.can_assign_role(admin, world.gore, roles.GOVERNOR)
    assert not permissions.can_assign_role(admin, world.company, roles.GOVERNOR)
    assert permissions.can_assign_role(admin, world.sip, roles.SIP_ADMIN)


def test_anonymous_users_may_do_nothing(world):
    from flask_login import AnonymousUserMixin

    anonymous = AnonymousUserMixin()
    assert not permissions.can_open_admin(anonymous)
    assert not permissions.can_manage_members(anonymous, world.entity)
    assert not permissions.is_sip_admin(None)


def test_an_ended_or_pending_membership_grants_nothing(world):
    from app.extensions import db

    admin = world.users["sip_admin"]
    admin.memberships[0].status = "ended"
    db.session.flush()
    assert not permissions.is_sip_admin(admin)


def _invited(user, organisation, role):
    from datetime import timedelta

    from app.core.models import utcnow
    from app.extensions import db
    from app.organisations.models import Membership

    membership = Membership(
        user=user,
        organisation=organisation,
        role=role,
        status="invited",
        invited_email=user.email,
        invited_name="Nombre Escrito",
        invitation_expires_at=utcnow() + timedelta(days=14),
    )
    db.session.add(membership)
    db.session.commit()
    return membership


@pytest.mark.parametrize(
    ("role", "code"), [(roles.INTEGRITY_OFFICER, "GORE-06"), (roles.SIP_ADMIN, "SIP"), (roles.TRAINER, "GORE-06")]
)
def test_an_invited_membership_grants_nothing_to_the_account_or_to_the_signed_in_facts(app, role, code):
    from app.accounts.mfa import second_factor_required
    from app.accounts.sessions import load_user_from_session
    from app.learning.permissions import enrolment_refusal
    from app.navigation import main_menu
    from tests import factories

    organisation = factories.get_organisation(code)
    user = factories.make_user()
    _invited(user, organisation, role)
    staff_course = factories.get_course("integrity-induction")  # trainers and officers, not citizens
    with app.test_request_context():
        signed_in = load_user_from_session(user.session_token)
        assert enrolment_refusal(user, staff_course) is not None
    for who in (user, signed_in):
        assert who.active_roles == set()
        assert not permissions.is_sip_admin(who)
        assert not permissions.is_officer_of(who, organisation)
        assert not permissions.can_open_admin(who)
        assert not permissions.can_view_members(who, organisation)
        assert not second_factor_required(who)
        assert "admin.dashboard" not in main_menu(who, None, None).key[0]


def test_only_the_invited_person_answers_an_invitation(world):
    invitation = _invited(world.users["citizen"], world.entity, roles.TRAINER)
    assert permissions.can_answer_invitation(world.users["citizen"], invitation)
    for name in ("learner", "integrity_officer", "sip_admin"):
        assert not permissions.can_answer_invitation(world.users[name], invitation), name
    assert not permissions.can_answer_invitation(None, invitation)
    assert not permissions.can_answer_invitation(world.users["learner"], world.learner_membership)


def test_an_invitation_is_withdrawn_never_changed(world):
    officer = world.users["integrity_officer"]
    invitation = _invited(world.users["citizen"], world.entity, roles.TRAINER)
    assert permissions.can_withdraw_invitation(officer, invitation)
    assert not permissions.can_change_membership(officer, invitation)
    assert not permissions.can_withdraw_invitation(officer, world.learner_membership)
    assert not permissions.can_withdraw_invitation(world.other_officer, invitation)
    assert permissions.can_withdraw_invitation(world.users["sip_admin"], invitation)
