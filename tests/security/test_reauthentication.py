"""SECURITY.md row 26: a session alone does not turn off the second factor, make new recovery codes or change the
password; the password and a current code, given within REAUTH_WINDOW, do.

Each attack signs in for real, then moves the clock past the window (freezegun), as if the session had been
left open or its cookie stolen, and checks the database after every request.
"""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.accounts import mfa
from app.core.audit import AuditEvent
from app.extensions import db
from tests import factories
from tests.csrf import csrf_token

PASSWORD = factories.DEFAULT_PASSWORD
NEW_PASSWORD = "una frase nueva que nadie sabe"
PAST_THE_WINDOW = timedelta(minutes=10, seconds=1)


def _sign_in(client, user, *, remember=False):
    data = {"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    if user.has_second_factor:
        response = client.post(
            "/login/code", data={"code": factories.unused_totp_code(user), "csrf_token": csrf_token(client)}
        )
    assert response.status_code == 302


def _confirm(client, user, *, password=PASSWORD, code=None, next_url=None):
    data = {"password": password, "csrf_token": csrf_token(client)}
    if user.has_second_factor:
        data["code"] = code if code is not None else factories.unused_totp_code(user)
    return client.post("/account/confirm", query_string={"next": next_url} if next_url else None, data=data)


def _user_with_recovery_codes(app):
    user = factories.make_user(second_factor=True)
    with app.test_request_context():
        codes = mfa.replace_recovery_codes(user)
    db.session.commit()
    return user, codes


def _state(user):
    """What the sensitive actions change, read fresh from the database."""
    db.session.refresh(user)
    return (
        user.password_hash,
        user.session_token,
        user.totp_secret,
        user.totp_enabled_at,
        sorted(code.code_hash for code in user.recovery_codes),
    )


def _is_sent_to_confirm(response, next_path):
    location = urlsplit(response.headers.get("Location", ""))
    return (
        response.status_code == 302
        and location.path == "/account/confirm"
        and parse_qs(location.query).get("next") == [next_path]
    )


def _events(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


# What an attacker holding the session would send: the path (also the page the user comes back to) and form.
ATTACKS = {
    "turn off the second factor": ("/account/second-factor/disable", {}),
    "make new recovery codes": ("/account/second-factor/recovery-codes", {}),
    "change the password": ("/account/password", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
}


@pytest.mark.parametrize("attack", ATTACKS, ids=list(ATTACKS))
def test_a_session_past_its_window_changes_nothing_and_is_sent_to_confirm(app, client, attack):
    path, form = ATTACKS[attack]
    user, _codes = _user_with_recovery_codes(app)
    with freeze_time() as clock:
        _sign_in(client, user)
        before = _state(user)
        clock.tick(PAST_THE_WINDOW)
        response = client.post(path, data={**form, "csrf_token": csrf_token(client)})
        assert _is_sent_to_confirm(response, path)
        assert _state(user) == before
        # The person is told why, on the page they are sent to.
        assert "Todavía no se ha cambiado nada" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_session_past_its_window_cannot_set_up_a_second_factor_of_its_own(client):
    """An attacker who added their own authenticator would lock the owner out of the account."""
    user = factories.make_user()
    with freeze_time() as clock:
        _sign_in(client, user)
        clock.tick(PAST_THE_WINDOW)
        page = client.get("/account/second-factor")
        assert _is_sent_to_confirm(page, "/account/second-factor")
        assert 'class="secret"' not in page.get_data(as_text=True)
        response = client.post("/account/second-factor", data={"code": "123456", "csrf_token": csrf_token(client)})
        assert _is_sent_to_confirm(response, "/account/second-factor")
    db.session.refresh(user)
    assert not user.has_second_factor


def test_a_remember_me_cookie_alone_is_not_a_confirmation(app, client):
    user, _codes = _user_with_recovery_codes(app)
    _sign_in(client, user, remember=True)
    returning = app.test_client()
    returning.set_cookie("remember_token", client.get_cookie("remember_token").value)
    response = returning.get("/account/second-factor/disable")
    assert _is_sent_to_confirm(response, "/account/second-factor/disable")


@pytest.mark.parametrize(
    ("password", "code", "reason", "message"),
    [
        ("no es mi contraseña", None, "password", "Su contraseña actual no es correcta."),
        (PASSWORD, "000000", "second_factor", "Ese código no es correcto o ya se usó."),
    ],
    ids=["wrong password", "wrong code"],
)
def test_a_wrong_password_or_code_is_refused_audited_and_changes_nothing(app, client, password, code, reason, message):
    user, _codes = _user_with_recovery_codes(app)
    with freeze_time() as clock:
        _sign_in(client, user)
        clock.tick(PAST_THE_WINDOW)
        before = _state(user)
        refused = _confirm(client, user, password=password, code=code, next_url="/account/second-factor/disable")
        assert refused.status_code == 200
        assert message in refused.get_data(as_text=True)
        response = client.post("/account/second-factor/disable", data={"csrf_token": csrf_token(client)})
        assert _is_sent_to_confirm(response, "/account/second-factor/disable")
        assert _state(user) == before
    [failure] = _events("reauthentication.failure")
    assert (failure.actor_id, failure.outcome) == (user.id, "failure")
    assert failure.details == {"reason": reason}


def test_a_wrong_password_does_not_use_up_the_recovery_code_sent_with_it(app, client):
    user, codes = _user_with_recovery_codes(app)
    with freeze_time() as clock:
        _sign_in(client, user)
        clock.tick(PAST_THE_WINDOW)
        assert _confirm(client, user, password="no es mi contraseña", code=codes[0]).status_code == 200
        db.session.refresh(user)
        assert all(code.used_at is None for code in user.recovery_codes)
        assert _confirm(client, user, code=codes[0]).status_code == 302


@pytest.mark.parametrize("attack", ATTACKS, ids=list(ATTACKS))
def test_password_and_code_let_the_change_through_within_the_window_only(app, client, attack):
    path, form = ATTACKS[attack]
    user, _codes = _user_with_recovery_codes(app)
    with freeze_time() as clock:
        _sign_in(client, user)
        clock.tick(PAST_THE_WINDOW)
        confirmed = _confirm(client, user, next_url=path)
        assert confirmed.headers["Location"] == path  # back to the page the person was on
        clock.tick(timedelta(minutes=9))
        before = _state(user)
        response = client.post(path, data={**form, "csrf_token": csrf_token(client)})
        assert not _is_sent_to_confirm(response, path)
        assert _state(user) != before
        if attack == "change the password":
            # Still within the window that confirmation opened: the new session token keeps it.
            assert client.get("/account/second-factor/recovery-codes").status_code == 200
        clock.tick(timedelta(minutes=1, seconds=1))
        assert _is_sent_to_confirm(client.get(path), path)


def test_a_recovery_code_confirms_once(app, client):
    user, codes = _user_with_recovery_codes(app)
    with freeze_time() as clock:
        _sign_in(client, user)
        clock.tick(PAST_THE_WINDOW)
        assert _confirm(client, user, code=codes[0]).status_code == 302
        clock.tick(PAST_THE_WINDOW)
        assert _confirm(client, user, code=codes[0]).status_code == 200
    assert [event.details for event in _events("reauthentication.success")] == [{"method": "password+recovery_code"}]


def test_signing_in_counts_as_a_confirmation(client):
    user = factories.make_user()
    _sign_in(client, user)
    before = _state(user)
    response = client.post(
        "/account/password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf_token(client)}
    )
    assert response.headers["Location"] == "/account"
    assert _state(user) != before


def test_without_a_second_factor_the_password_alone_confirms(client):
    user = factories.make_user()
    with freeze_time() as clock:
        _sign_in(client, user)
        clock.tick(PAST_THE_WINDOW)
        page = client.get("/account/confirm").get_data(as_text=True)
        assert 'name="code"' not in page
        assert _confirm(client, user).status_code == 302


def test_the_confirmation_page_is_rate_limited_before_hashing(app, client, monkeypatch):
    from app.accounts import passwords

    user = factories.make_user()
    _sign_in(client, user)
    calls = []
    original = passwords.verify_password
    monkeypatch.setattr(passwords, "verify_password", lambda *a: calls.append(1) or original(*a))
    statuses = [_confirm(client, user, password=f"intento {n} equivocado").status_code for n in range(10)]
    assert statuses[:8] == [200] * 8
    assert statuses[8:] == [429, 429]
    assert len(calls) == 8
    assert _events("reauthentication.throttled")


def test_the_confirmation_returns_only_to_a_page_of_this_site(client):
    user = factories.make_user()
    _sign_in(client, user)
    response = _confirm(client, user, next_url="https://evil.example/")
    assert response.headers["Location"] == "/account"
