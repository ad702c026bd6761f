import pytest
from freezegun import freeze_time

from app.accounts import services, tokens
from app.accounts.models import User
from app.core.audit import AuditEvent
from app.extensions import db
from tests import factories


def _events(action):
    return db.session.execute(db.select(AuditEvent).where(AuditEvent.action == action)).scalars().all()


def test_register_creates_an_unverified_account_and_mails_a_link(app, outbox):
    with app.test_request_context():
        user = services.register(
            email="Ana.Rojas@Example.PE", display_name=" Ana  Rojas ", password="una frase larga y segura", locale="es"
        )
        db.session.commit()
    assert user.email == "ana.rojas@example.pe"
    assert user.display_name == "Ana Rojas"
    assert not user.is_email_verified
    [message] = outbox("ana.rojas@example.pe")
    assert "/verify-email/" in message.body_text
    assert message.subject == "Confirme su correo electrónico"


def test_registering_an_existing_address_creates_nothing_and_tells_the_owner(app, outbox):
    existing = factories.make_user(email="ana@example.pe")
    with app.test_request_context():
        assert (
            services.register(
                email="ANA@example.pe", display_name="Impostor", password="otra frase larga y segura", locale="en"
            )
            is None
        )
        db.session.commit()
    assert db.session.execute(db.select(db.func.count(User.id)).where(User.email == "ana@example.pe")).scalar() == 1
    [message] = outbox("ana@example.pe")
    assert "/login" in message.body_text
    assert existing.display_name != "Impostor"


def test_registering_a_taken_address_costs_the_same_password_hash_as_a_new_one(app, monkeypatch):
    """SECURITY.md row 9: the time a registration takes must not say whether the address has an account."""
    from app.accounts import passwords

    hashed = []
    original = passwords.hash_password
    monkeypatch.setattr(passwords, "hash_password", lambda password: hashed.append(password) or original(password))
    taken = factories.make_user().email
    with app.test_request_context():
        for email in (taken, "libre@example.pe"):
            services.register(email=email, display_name="Alguien", password="una frase larga y segura", locale="es")
    assert hashed == ["una frase larga y segura"] * 2


def test_verify_email_marks_the_address_and_refuses_forged_tokens(app):
    user = factories.make_user(verified=False)
    with app.test_request_context():
        token = tokens.make_email_verification_token(user)
        with pytest.raises(services.AccountError):
            services.verify_email(token[:-2] + "xx")
        services.verify_email(token)
    assert user.is_email_verified


def test_verification_link_expires(app):
    user = factories.make_user(verified=False)
    with app.test_request_context():
        with freeze_time("2026-01-01 10:00:00"):
            token = tokens.make_email_verification_token(user)
        with freeze_time("2026-01-05 10:00:00"), pytest.raises(services.AccountError):
            services.verify_email(token)


def test_authenticate_returns_the_user_only_for_the_right_password(app):
    user = factories.make_user(email="luis@example.pe")
    with app.test_request_context():
        assert services.authenticate("luis@example.pe", "una frase larga y segura") == ("ok", user)
        assert services.authenticate("luis@example.pe", "incorrecta 1234") == ("bad_credentials", None)
        assert services.authenticate("nadie@example.pe", "una frase larga y segura") == ("bad_credentials", None)
    failures = _events("login.failure")
    assert len(failures) == 2
    assert {f.actor_label for f in failures} == {"luis@example.pe", "nadie@example.pe"}


def test_a_disabled_account_cannot_sign_in_even_with_the_right_password(app):
    user = factories.make_user(is_active_account=False)
    with app.test_request_context():
        assert services.authenticate(user.email, "una frase larga y segura")[0] == "bad_credentials"


def test_an_unverified_account_is_told_to_verify_and_gets_a_new_link(app, outbox):
    user = factories.make_user(verified=False)
    with app.test_request_context():
        assert services.authenticate(user.email, "una frase larga y segura")[0] == "unverified"
        db.session.commit()
    assert len(outbox(user.email)) == 1


def test_password_reset_token_works_once(app):
    user = factories.make_user()
    with app.test_request_context():
        token = tokens.make_password_reset_token(user)
        services.reset_password(token, "nueva frase muy segura")
        with pytest.raises(services.AccountError):
            services.reset_password(token, "otra frase muy segura")
        assert services.authenticate(user.email, "nueva frase muy segura")[0] == "ok"


def test_password_reset_token_expires_after_an_hour(app):
    user = factories.make_user()
    with app.test_request_context():
        with freeze_time("2026-01-01 10:00:00"):
            token = tokens.make_password_reset_token(user)
        with freeze_time("2026-01-01 11:01:00"), pytest.raises(services.AccountError):
            services.user_for_reset_token(token)


def test_forged_and_oversized_reset_tokens_are_refused(app):
    user = factories.make_user()
    with app.test_request_context():
        genuine = tokens.make_password_reset_token(user)
        for forged in ("", "abc", genuine.replace(".", "!"), genuine + "x", "a" * 5000):
            with pytest.raises(services.AccountError):
                services.user_for_reset_token(forged)


def test_reset_for_an_unknown_address_sends_nothing(app, outbox):
    with app.test_request_context():
        services.request_password_reset("nadie@example.pe")
        db.session.commit()
    assert outbox() == []


def test_changing_the_password_ends_every_session(app):
    user = factories.make_user()
    old_token = user.session_token
    with app.test_request_context():
        services.change_password(user, new="otra frase larga y segura")
    assert user.session_token != old_token
    assert _events("account.password_changed")


def test_disabling_an_account_ends_its_sessions_and_is_audited(app):
    admin, user = factories.make_user(), factories.make_user()
    old_token = user.session_token
    with app.test_request_context():
        services.set_account_active(actor=admin, user=user, active=False)
    assert not user.is_active
    assert user.session_token != old_token
    assert _events("account.disabled")[0].actor_id == admin.id


def test_a_staff_account_is_audited_sends_nothing_and_has_the_password_hash_given(app, outbox):
    admin = factories.make_user()
    with app.test_request_context():
        user = services.create_staff_account(
            actor=admin, email="Clerk@Example.PE", display_name=" Clerk ", password_hash="a-hash-of-a-random-password"
        )
        db.session.commit()
    assert (user.email, user.display_name, user.password_hash) == (
        "clerk@example.pe",
        "Clerk",
        "a-hash-of-a-random-password",
    )
    assert not user.is_email_verified
    assert outbox("clerk@example.pe") == []
    assert _events("account.created_by_staff")[0].target_id == str(user.id)
