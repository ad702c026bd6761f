from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.accounts import mfa, reauthentication
from app.accounts.sessions import end_all_sessions
from app.core.audit import AuditEvent
from app.extensions import db
from tests import factories


def _events(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_the_password_alone_confirms_an_account_without_a_second_factor(app):
    user = factories.make_user()
    with app.test_request_context():
        assert reauthentication.confirm_identity(user, password=factories.DEFAULT_PASSWORD, code=None) == "password"
    assert _events("reauthentication.success")[0].details == {"method": "password"}


def test_an_account_with_a_second_factor_needs_a_current_code_too(app):
    user = factories.make_user(second_factor=True)
    with app.test_request_context():
        with pytest.raises(reauthentication.NotConfirmed) as refused:
            reauthentication.confirm_identity(user, password=factories.DEFAULT_PASSWORD, code=None)
        assert refused.value.field == "code"
        method = reauthentication.confirm_identity(
            user, password=factories.DEFAULT_PASSWORD, code=factories.unused_totp_code(user)
        )
    assert method == "password+totp"
    assert [event.details for event in _events("reauthentication.failure")] == [{"reason": "second_factor"}]


def test_the_code_is_not_tried_after_a_wrong_password(app):
    user = factories.make_user(second_factor=True)
    with app.test_request_context():
        codes = mfa.replace_recovery_codes(user)
        with pytest.raises(reauthentication.NotConfirmed) as refused:
            reauthentication.confirm_identity(user, password="no es la contraseña", code=codes[0])
    assert refused.value.field == "password"
    assert all(code.used_at is None for code in user.recovery_codes)


def test_a_confirmation_lasts_the_window_then_lapses(app):
    user = factories.make_user()
    with freeze_time() as clock, app.test_request_context():
        reauthentication.mark_confirmed(user)
        clock.tick(app.config["REAUTH_WINDOW"] - timedelta(seconds=1))
        assert reauthentication.is_recently_confirmed(user)
        clock.tick(timedelta(seconds=1))
        assert not reauthentication.is_recently_confirmed(user)


def test_a_confirmation_is_void_once_the_session_token_changes(app):
    user = factories.make_user()
    with app.test_request_context():
        reauthentication.mark_confirmed(user)
        end_all_sessions(user)
        assert not reauthentication.is_recently_confirmed(user)
