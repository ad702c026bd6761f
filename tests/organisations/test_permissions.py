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
