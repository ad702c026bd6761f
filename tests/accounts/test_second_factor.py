import re

import pyotp
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from app.accounts import mfa, totp_keys
from app.extensions import db
from tests import factories
from tests.confirmation import confirm_it_is_me
from tests.csrf import csrf_token


def test_staff_with_power_over_others_are_sent_to_set_up_a_second_factor(client, world, login_as):
    officer = world.users["integrity_officer"]
    officer.totp_enabled_at = None
    db.session.commit()
    login_as(client, officer)
    response = client.get(f"/admin/organisations/{world.entity.id}/members")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/second-factor"


def test_citizens_are_not_forced_to_set_up_a_second_factor(client, world, login_as):
    login_as(client, world.users["citizen"])
    assert client.get("/account").status_code == 200


def test_setting_up_totp_shows_a_scannable_code_and_recovery_codes(client, world, login_as):
    user = world.users["citizen"]
    login_as(client, user)
    confirm_it_is_me(client, user)
    page = client.get("/account/second-factor").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    wrong = client.post("/account/second-factor", data={"code": "000000", "csrf_token": csrf_token(client)})
    assert "no es correcto" in wrong.get_data(as_text=True)
    response = client.post(
        "/account/second-factor", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token(client)}
    )
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", response.get_data(as_text=True))
    assert len(codes) == 10
    db.session.refresh(user)
    assert user.has_second_factor


def test_the_stored_totp_secret_is_encrypted_and_still_checks_codes(app):
    user = factories.make_user()
    secret = mfa.new_totp_secret()
    with app.test_request_context():
        mfa.enable_totp(user, secret, pyotp.TOTP(secret).now())
        stored = db.session.execute(text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user.id}).scalar_one()
        assert secret not in stored
        assert totp_keys.decrypt(stored) == secret
        assert mfa.verify_second_factor(user, factories.totp_code(user, offset_steps=1)) == "totp"


def test_a_code_is_not_silently_refused_when_no_key_opens_the_stored_secret(app):
    user = factories.make_user(second_factor=True)
    user.totp_secret = Fernet(Fernet.generate_key()).encrypt(b"JBSWY3DPEHPK3PXP").decode()
    with app.test_request_context(), pytest.raises(totp_keys.TotpKeyError):
        mfa.verify_second_factor(user, "123456")


def test_sign_in_with_a_second_factor_needs_the_code(app, world):
    user = factories.make_user(second_factor=True)
    client = app.test_client()
    response = client.post(
        "/login", data={"email": user.email, "password": factories.DEFAULT_PASSWORD, "csrf_token": csrf_token(client)}
    )
    assert response.headers["Location"] == "/login/code"
    assert client.get("/account").status_code == 302  # not signed in yet
    assert client.post("/login/code", data={"code": "123456", "csrf_token": csrf_token(client)}).status_code == 200
    response = client.post("/login/code", data={"code": factories.totp_code(user), "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200


def test_a_totp_code_cannot_be_replayed(app, world):
    user = factories.make_user(second_factor=True)
    with app.test_request_context():
        code = factories.totp_code(user)
        assert mfa.verify_second_factor(user, code) == "totp"
        assert mfa.verify_second_factor(user, code) is None


def test_a_recovery_code_works_once(app):
    user = factories.make_user(second_factor=True)
    with app.test_request_context():
        codes = mfa.replace_recovery_codes(user)
        assert mfa.verify_second_factor(user, codes[0].upper()) == "recovery_code"
        assert mfa.verify_second_factor(user, codes[0]) is None
        assert mfa.verify_second_factor(user, codes[1].replace("-", "")) == "recovery_code"


def test_required_second_factor_cannot_be_turned_off(client, world, login_as):
    admin = world.users["sip_admin"]
    login_as(client, admin)
    confirm_it_is_me(client, admin)
    client.post("/account/second-factor/disable", data={"csrf_token": csrf_token(client)})
    db.session.refresh(admin)
    assert admin.has_second_factor


def test_optional_second_factor_can_be_turned_off(client, login_as):
    user = factories.make_user(second_factor=True)
    login_as(client, user)
    confirm_it_is_me(client, user)
    client.post("/account/second-factor/disable", data={"csrf_token": csrf_token(client)})
    db.session.refresh(user)
    assert not user.has_second_factor


def test_opening_the_turn_off_page_leaves_the_second_factor_on(client, login_as):
    user = factories.make_user(second_factor=True)
    login_as(client, user)
    confirm_it_is_me(client, user)
    page = client.get("/account/second-factor/disable")
    assert page.status_code == 200
    assert "Desactivar el segundo factor" in page.get_data(as_text=True)
    db.session.refresh(user)
    assert user.has_second_factor


def test_making_new_recovery_codes_replaces_the_old_ones(client, login_as):
    user = factories.make_user(second_factor=True)
    login_as(client, user)
    confirm_it_is_me(client, user)
    assert client.get("/account/second-factor/recovery-codes").status_code == 200
    response = client.post("/account/second-factor/recovery-codes", data={"csrf_token": csrf_token(client)})
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", response.get_data(as_text=True))
    assert len(codes) == 10
    db.session.refresh(user)
    assert len(user.recovery_codes) == 10


def test_a_remember_me_cookie_alone_still_meets_the_second_factor_rule(app, world):
    """Anonymous requests skip loading a user; one that brings only a remember-me cookie is not anonymous."""
    officer = world.users["integrity_officer"]
    officer.totp_enabled_at = None
    db.session.commit()
    first_visit = app.test_client()
    first_visit.post(
        "/login",
        data={
            "email": officer.email,
            "password": factories.DEFAULT_PASSWORD,
            "remember": "y",
            "csrf_token": csrf_token(first_visit),
        },
    )
    returning = app.test_client()
    returning.set_cookie("remember_token", first_visit.get_cookie("remember_token").value)
    response = returning.get(f"/admin/organisations/{world.entity.id}/members")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/second-factor"
