"""The signed-in user is read as plain facts in one query; the account's row only when it is needed."""

from dataclasses import FrozenInstanceError

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm.exc import UnmappedInstanceError

from app.accounts.identity import SignedInUser
from app.accounts.models import User
from app.accounts.sessions import account_by_session_token, load_user_from_session
from app.extensions import db
from app.learning.models import Enrolment
from app.organisations import permissions, roles
from tests import factories


@pytest.fixture(autouse=True)
def in_app_context(app):
    """The signed-in user is read within a request, or at least within the application's context."""
    with app.app_context():
        yield


@pytest.fixture
def statements():
    """The SQL statements run while the test body runs, on any engine (reads use an autocommit one)."""
    seen = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    yield seen
    event.remove(Engine, "before_cursor_execute", count)


def test_the_signed_in_user_is_read_with_one_query_and_carries_the_accounts_facts(statements):
    user = factories.make_member(factories.get_organisation("GORE-06"), roles.INTEGRITY_OFFICER)
    db.session.expunge_all()
    statements.clear()
    signed_in = load_user_from_session(user.session_token)
    assert len([statement for statement in statements if statement.startswith("SELECT")]) == 1
    assert isinstance(signed_in, SignedInUser)
    assert (signed_in.id, signed_in.email, signed_in.display_name, signed_in.locale) == (
        user.id,
        user.email,
        user.display_name,
        user.locale,
    )
    assert signed_in.is_authenticated and signed_in.is_active and signed_in.has_second_factor
    assert signed_in.get_id() == user.session_token
    assert signed_in.active_roles == {roles.INTEGRITY_OFFICER}
    [membership] = signed_in.memberships
    assert membership.organisation_kind == roles.REGIONAL_GOVERNMENT and membership.role == roles.INTEGRITY_OFFICER
    assert membership.organisation.code == "GORE-06"


@pytest.mark.parametrize(
    ("role", "code"),
    [(roles.SIP_ADMIN, "SIP"), (roles.INTEGRITY_OFFICER, "GORE-06"), (roles.LEARNER, "GORE-06")],
)
def test_permissions_answer_the_same_for_the_facts_and_for_the_account(role, code):
    organisation = factories.get_organisation(code)
    user = factories.make_member(organisation, role)
    signed_in = load_user_from_session(user.session_token)
    for check in (permissions.is_sip_admin, permissions.can_open_admin, permissions.can_manage_accounts):
        assert check(signed_in) == check(user), check.__name__
    assert permissions.can_view_members(signed_in, organisation) == permissions.can_view_members(user, organisation)


def test_a_disabled_account_or_an_ended_session_signs_nobody_in():
    user = factories.make_user()
    token = user.session_token
    user.is_active_account = False
    db.session.commit()
    assert load_user_from_session(token) is None
    assert account_by_session_token(token) is None
    user.is_active_account = True
    user.session_token = "rotated-" + token[:20]
    db.session.commit()
    assert load_user_from_session(token) is None
    assert load_user_from_session("") is None and load_user_from_session("x" * 65) is None


def test_changes_go_through_the_record_and_are_stored():
    user = factories.make_user(locale="es")
    signed_in = load_user_from_session(user.session_token)
    with pytest.raises(FrozenInstanceError):
        signed_in.locale = "en"
    assert signed_in.record is db.session.get(User, user.id)
    signed_in.record.locale = "en"
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "en"


def test_the_facts_hold_nothing_but_facts_and_the_rest_is_asked_of_the_record():
    user = factories.make_user()
    signed_in = load_user_from_session(user.session_token)
    with pytest.raises(AttributeError):
        signed_in.created_at  # noqa: B018 - the facts do not load the row behind anyone's back
    assert signed_in.record.created_at == user.created_at
    assert signed_in.record.recovery_codes == []


def test_the_facts_never_pass_for_the_row_where_sqlalchemy_needs_it():
    user = factories.make_user()
    signed_in = load_user_from_session(user.session_token)
    with pytest.raises(UnmappedInstanceError):
        db.session.add(signed_in)
    course = factories.get_course()
    with pytest.raises((AttributeError, UnmappedInstanceError)):
        db.session.add(Enrolment(user=signed_in, course=course, status="active"))
        db.session.flush()
    db.session.rollback()


def test_the_account_row_itself_is_its_own_record():
    user = factories.make_user()
    assert user.record is user
    assert account_by_session_token(user.session_token) is user
