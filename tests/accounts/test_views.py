import re
from datetime import timedelta

import pytest
from freezegun import freeze_time

from app.accounts.models import User
from app.core.audit import AuditEvent
from app.extensions import db
from app.tasks import run_queued_tasks
from tests import factories
from tests.csrf import csrf_token

PASSWORD = factories.DEFAULT_PASSWORD


def _sign_in(client, email, password=PASSWORD, remember=False, next_url=None):
    data = {"email": email, "password": password, "csrf_token": csrf_token(client)}
    if remember:
        data["remember"] = "y"
    return client.post("/login" + (f"?next={next_url}" if next_url else ""), data=data)


def _ask_for_a_reset_link(client, email, **options):
    """Ask as a visitor does; the worker then looks the address up and mails the link."""
    response = client.post("/password/forgot", data={"email": email, "csrf_token": csrf_token(client)}, **options)
    run_queued_tasks()
    return response


def _link(message, path):
    return re.search(rf"http://localhost({re.escape(path)}[^\s]+)", message.body_text).group(1)


def test_register_verify_and_sign_in(client, outbox):
    response = client.post(
        "/register",
        data={
            "account_type": "citizen",
            "display_name": "Rosa Quispe Mamani",
            "email": "rosa@example.pe",
            "password": "mi llama se llama pepe",
            "confirm": "mi llama se llama pepe",
            "locale": "es",
            "accept_privacy": "y",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/register/check-email"
    assert _sign_in(client, "rosa@example.pe", "mi llama se llama pepe").status_code == 200  # not verified yet
    link = _link(outbox("rosa@example.pe")[0], "/verify-email/")
    assert client.get(link).status_code == 200
    assert not db.session.execute(db.select(User).where(User.email == "rosa@example.pe")).scalar_one().is_email_verified
    assert client.post(link, data={"csrf_token": csrf_token(client)}).status_code == 302
    response = _sign_in(client, "rosa@example.pe", "mi llama se llama pepe")
    assert response.status_code == 302
    assert "Rosa Quispe Mamani" in client.get("/").get_data(as_text=True)


def _register_citizen(client, email, *, next_url=None):
    if next_url:
        client.get(f"/register?next={next_url}")
    return client.post(
        "/register",
        data={
            "account_type": "citizen",
            "display_name": "Rosa Quispe Mamani",
            "email": email,
            "password": "mi llama se llama pepe",
            "confirm": "mi llama se llama pepe",
            "locale": "es",
            "accept_privacy": "y",
            "csrf_token": csrf_token(client),
        },
    )


def _email_field(page: str) -> str:
    return re.search(r'<input[^>]*name="email"[^>]*>', page).group(0)


def test_after_confirming_the_address_the_sign_in_form_has_it_and_signing_in_lands_on_my_learning(client, outbox):
    _register_citizen(client, "rosa.confirma@example.pe")
    link = _link(outbox("rosa.confirma@example.pe")[0], "/verify-email/")
    client.get(link)
    confirmed = client.post(link, data={"csrf_token": csrf_token(client)})
    assert confirmed.headers["Location"] == "/login"  # the address is kept in the session, not in the URL
    page = client.get("/login").get_data(as_text=True)
    assert 'value="rosa.confirma@example.pe"' in _email_field(page)
    assert " autofocus" in re.search(r'<input[^>]*name="password"[^>]*>', page).group(0)
    signed_in = _sign_in(client, "rosa.confirma@example.pe", "mi llama se llama pepe")
    assert signed_in.headers["Location"] == "/learning"
    # Filled in once: a later visit to the sign-in page starts empty.
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert "rosa.confirma" not in _email_field(client.get("/login").get_data(as_text=True))


def test_someone_who_registered_on_the_way_to_a_course_lands_on_it_after_confirming_and_signing_in(client, outbox):
    login_page = client.get("/login?next=/courses/using-the-academy").get_data(as_text=True)
    assert "/register?next=/courses/using-the-academy" in login_page.replace("%2F", "/")
    _register_citizen(client, "rosa.curso@example.pe", next_url="/courses/using-the-academy")
    link = _link(outbox("rosa.curso@example.pe")[0], "/verify-email/")
    client.get(link)
    confirmed = client.post(link, data={"csrf_token": csrf_token(client)})
    assert confirmed.headers["Location"].replace("%2F", "/") == "/login?next=/courses/using-the-academy"
    signed_in = _sign_in(
        client, "rosa.curso@example.pe", "mi llama se llama pepe", next_url="/courses/using-the-academy"
    )
    assert signed_in.headers["Location"] == "/courses/using-the-academy"


def test_a_registration_cannot_send_the_person_off_site_after_signing_in(client, outbox):
    _register_citizen(client, "rosa.fuera@example.pe", next_url="https://evil.example/")
    link = _link(outbox("rosa.fuera@example.pe")[0], "/verify-email/")
    client.get(link)
    confirmed = client.post(link, data={"csrf_token": csrf_token(client)})
    assert confirmed.headers["Location"] == "/login"


def test_after_choosing_a_new_password_the_sign_in_form_has_the_address(client, outbox):
    factories.make_user(email="olvido@example.pe")
    db.session.commit()
    _ask_for_a_reset_link(client, "olvido@example.pe")
    link = _link(outbox("olvido@example.pe")[0], "/password/reset/")
    reset = client.post(
        link, data={"password": "otra frase segura", "confirm": "otra frase segura", "csrf_token": csrf_token(client)}
    )
    assert reset.headers["Location"] == "/login"
    assert 'value="olvido@example.pe"' in _email_field(client.get("/login").get_data(as_text=True))


def test_business_registration_creates_the_company_with_a_valid_ruc(client, outbox):
    response = client.post(
        "/register",
        data={
            "account_type": "business",
            "display_name": "Carlos Vega",
            "email": "carlos@constructora.pe",
            "password": "frase segura de empresa",
            "confirm": "frase segura de empresa",
            "locale": "es",
            "company_name": "Constructora Vega S.A.C.",
            "ruc": "20419026809",
            "accept_privacy": "y",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302
    user = db.session.execute(db.select(User).where(User.email == "carlos@constructora.pe")).scalar_one()
    [membership] = user.memberships
    assert (membership.role, membership.status, membership.organisation.ruc) == (
        "business_rep",
        "active",
        "20419026809",
    )


def test_joining_a_known_company_waits_for_approval(client, world):
    client.post(
        "/register",
        data={
            "account_type": "business",
            "display_name": "Otra Persona",
            "email": "otra@example.pe",
            "password": "frase segura de empresa",
            "confirm": "frase segura de empresa",
            "locale": "es",
            "company_name": "Lo que sea",
            "ruc": world.company.ruc,
            "accept_privacy": "y",
            "csrf_token": csrf_token(client),
        },
    )
    user = db.session.execute(db.select(User).where(User.email == "otra@example.pe")).scalar_one()
    assert user.memberships[0].status == "pending"
    assert user.active_roles == set()


@pytest.mark.parametrize(
    ("field", "data", "message"),
    [
        ("email", {"email": "not-an-email"}, "Escriba un correo"),
        ("password", {"password": "corta", "confirm": "corta"}, "al menos 10"),
        ("password", {"password": "1234567890", "confirm": "1234567890"}, "demasiado común"),
        ("confirm", {"confirm": "otra cosa distinta"}, "no son iguales"),
        ("ruc", {"account_type": "business", "company_name": "X", "ruc": "20419026808"}, "RUC"),
        ("accept_privacy", {"accept_privacy": ""}, "aviso de privacidad"),
    ],
)
def test_registration_errors_name_the_field_and_keep_what_was_typed(client, field, data, message):
    form = {
        "account_type": "citizen",
        "display_name": "Nombre Apellido",
        "email": "ok@example.pe",
        "password": "una frase larga y segura",
        "confirm": "una frase larga y segura",
        "locale": "es",
        "accept_privacy": "y",
        **data,
        "csrf_token": csrf_token(client),
    }
    response = client.post("/register", data=form)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'href="#{field}"' in body
    assert message in body
    assert 'value="Nombre Apellido"' in body
    assert db.session.execute(db.select(db.func.count(User.id)).where(User.email == "ok@example.pe")).scalar() == 0


def test_registration_ignores_extra_fields_such_as_roles(client):
    client.post(
        "/register",
        data={
            "account_type": "citizen",
            "display_name": "Mass Assign",
            "email": "mass@example.pe",
            "password": "una frase larga y segura",
            "confirm": "una frase larga y segura",
            "locale": "es",
            "accept_privacy": "y",
            "role": "sip_admin",
            "is_active": "0",
            "email_verified_at": "2020-01-01",
            "organisation_id": "1",
            "user_id": "1",
            "is_demo": "1",
            "csrf_token": csrf_token(client),
        },
    )
    user = db.session.execute(db.select(User).where(User.email == "mass@example.pe")).scalar_one()
    assert user.memberships == []
    assert user.is_active and not user.is_email_verified and not user.is_demo


def test_profile_update_ignores_extra_fields(client, world, login_as):
    user = world.users["learner"]
    login_as(client, user)
    client.post(
        "/account",
        data={
            "display_name": "Nuevo Nombre",
            "locale": "en",
            "email": "x@evil.example",
            "role": "sip_admin",
            "is_active": "0",
            "id": "1",
            "session_token": "abc",
            "csrf_token": csrf_token(client),
        },
    )
    db.session.refresh(user)
    assert (user.display_name, user.locale, user.email.endswith("@example.pe")) == ("Nuevo Nombre", "en", True)
    assert user.active_roles == {"learner"} and user.is_active


def test_same_answer_for_known_and_unknown_addresses_on_login_and_reset(client, world):
    known = world.users["citizen"].email
    first = _sign_in(client, known, "incorrecta 12345")
    second = _sign_in(client, "nadie-aqui@example.pe", "incorrecta 12345")
    assert first.status_code == second.status_code == 200
    strip = lambda r: re.sub(r'value="[^"]*"', "", r.get_data(as_text=True))  # noqa: E731
    assert strip(first) == strip(second)
    reset_known = _ask_for_a_reset_link(client, known, follow_redirects=True)
    reset_unknown = _ask_for_a_reset_link(client, "nadie-aqui@example.pe", follow_redirects=True)
    assert strip(reset_known) == strip(reset_unknown)


def test_registration_answers_the_same_for_a_taken_address(client, world):
    form = {
        "account_type": "citizen",
        "display_name": "Alguien",
        "password": "una frase larga y segura",
        "confirm": "una frase larga y segura",
        "locale": "es",
        "accept_privacy": "y",
    }
    taken = client.post(
        "/register", data={**form, "email": world.users["citizen"].email, "csrf_token": csrf_token(client)}
    )
    fresh = client.post(
        "/register", data={**form, "email": "nueva-direccion@example.pe", "csrf_token": csrf_token(client)}
    )
    assert taken.status_code == fresh.status_code == 302
    assert taken.headers["Location"] == fresh.headers["Location"]


def test_a_session_cookie_planted_before_sign_in_is_replaced_and_stays_signed_out(app, world):
    attacker = app.test_client()
    attacker.get("/login")
    planted = attacker.get_cookie("session").value
    victim = app.test_client()
    victim.set_cookie("session", planted)
    response = _sign_in(victim, world.users["citizen"].email)  # with the form of the planted session
    assert response.status_code == 302
    session_cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert planted not in session_cookie
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    attacker.set_cookie("session", planted)
    assert attacker.get("/account").status_code == 302


def test_an_old_cookie_is_rejected_after_logout(app, world):
    client = app.test_client()
    _sign_in(client, world.users["citizen"].email)
    stolen = client.get_cookie("session").value
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/account").status_code == 302


def test_a_remembered_browser_stays_signed_in_after_it_was_closed(app, world):
    user = world.users["citizen"]
    before = app.test_client()
    _sign_in(before, user.email, remember=True)
    reopened = app.test_client()
    reopened.set_cookie("remember_token", before.get_cookie("remember_token").value)
    # Page after page, as a person goes on reading, not only the first one.
    assert [reopened.get("/account").status_code for _ in range(3)] == [200, 200, 200]
    assert reopened.get_cookie("remember_token") is not None


def test_remember_me_cookie_dies_when_the_password_changes(app, world):
    user = world.users["citizen"]
    phone = app.test_client()
    _sign_in(phone, user.email, remember=True)
    remember = phone.get_cookie("remember_token").value
    laptop = app.test_client()
    _sign_in(laptop, user.email)
    laptop.post(
        "/account/password",
        data={
            "password": "frase nueva bien larga",
            "confirm": "frase nueva bien larga",
            "csrf_token": csrf_token(laptop),
        },
    )
    assert laptop.get("/account").status_code == 200  # this session continues
    replay = app.test_client()
    replay.set_cookie("remember_token", remember)
    assert replay.get("/account").status_code == 302


def test_disabling_an_account_ends_its_live_session(app, world, login_as):
    user = world.users["citizen"]
    client = app.test_client()
    _sign_in(client, user.email)
    assert client.get("/account").status_code == 200
    admin = app.test_client()
    login_as(admin, world.users["sip_admin"])
    admin.post(f"/admin/users/{user.id}/disable", data={"csrf_token": csrf_token(admin)})
    assert client.get("/account").status_code == 302


def test_login_is_throttled_per_account_before_hashing(client, world, monkeypatch):
    from app.accounts import passwords

    calls = []
    original = passwords.verify_password
    monkeypatch.setattr(passwords, "verify_password", lambda *a: calls.append(1) or original(*a))
    statuses = [_sign_in(client, world.users["citizen"].email, "incorrecta 12345").status_code for _ in range(20)]
    assert statuses[:8] == [200] * 8
    assert set(statuses[8:]) == {429}
    assert len(calls) == 8
    throttled = _sign_in(
        client,
        world.users["citizen"].email,
        PASSWORD,
    )
    assert throttled.status_code == 429
    assert "Demasiados intentos" in throttled.get_data(as_text=True)
    assert db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "login.throttled")).first()


def test_login_is_throttled_per_address_across_many_accounts(client):
    statuses = [_sign_in(client, f"user{n}@example.pe", "incorrecta 12345").status_code for n in range(40)]
    assert 429 in statuses
    assert statuses.index(429) <= 30


def test_throttling_is_temporary(app, client, world):
    email = world.users["citizen"].email
    # The limiter's clock (and every other) is moved on by hand: nothing waits for the window to pass.
    with freeze_time() as clock:
        for _ in range(8):
            _sign_in(client, email, "incorrecta 12345")
        assert _sign_in(client, email).status_code == 429
        clock.tick(timedelta(minutes=14, seconds=59))
        assert _sign_in(client, email).status_code == 429
        clock.tick(timedelta(seconds=2))
        assert _sign_in(client, email).status_code == 302


def test_password_reset_is_throttled(client):
    statuses = [_ask_for_a_reset_link(client, "a@example.pe").status_code for _ in range(5)]
    assert statuses[-1] == 429


def test_reset_link_journey_signs_out_everywhere(app, world, outbox):
    user = world.users["citizen"]
    other_device = app.test_client()
    _sign_in(other_device, user.email)
    client = app.test_client()
    _ask_for_a_reset_link(client, user.email)
    link = _link(outbox(user.email)[-1], "/password/reset/")
    assert client.get(link).status_code == 200
    response = client.post(
        link,
        data={
            "password": "frase nueva bien larga",
            "confirm": "frase nueva bien larga",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.headers["Location"] == "/login"
    assert other_device.get("/account").status_code == 302
    again = client.post(
        link,
        data={
            "password": "otra frase bien larga",
            "confirm": "otra frase bien larga",
            "csrf_token": csrf_token(client),
        },
    )
    assert again.headers["Location"] == "/password/forgot"
    assert _sign_in(client, user.email, "frase nueva bien larga").status_code == 302


class TestCsrf:
    def test_posts_without_a_token_are_refused_and_change_nothing(self, client, world, login_as):
        user = world.users["citizen"]
        login_as(client, user)
        response = client.post("/account", data={"display_name": "Cambiado", "locale": "en"})
        assert response.status_code == 400
        db.session.refresh(user)
        assert user.display_name != "Cambiado"

    def test_a_token_from_another_session_is_refused(self, app, client, world, login_as):
        foreign = csrf_token(app.test_client())
        login_as(client, world.users["citizen"])
        response = client.post("/account", data={"display_name": "Cambiado", "locale": "en", "csrf_token": foreign})
        assert response.status_code == 400

    def test_a_token_in_the_query_string_is_refused(self, client, world, login_as):
        login_as(client, world.users["citizen"])
        response = client.post(
            "/account",
            query_string={"csrf_token": csrf_token(client)},
            data={"display_name": "Cambiado", "locale": "en"},
        )
        assert response.status_code == 400

    def test_a_valid_token_is_accepted(self, client, world, login_as):
        login_as(client, world.users["citizen"])
        response = client.post(
            "/account", data={"display_name": "Cambiado", "locale": "es", "csrf_token": csrf_token(client)}
        )
        assert response.status_code == 302

    def test_logout_and_language_switch_need_the_token(self, client, world, login_as):
        login_as(client, world.users["citizen"])
        assert client.post("/logout").status_code == 400
        assert client.post("/language", data={"language": "en"}).status_code == 400


# Whose GET only shows the page with the button that POSTs; a test of each proves that opening it changes nothing
# (test_second_factor.test_opening_the_turn_off_page_leaves_the_second_factor_on).
PAGES_BEFORE_THE_BUTTON = {"accounts.disable_second_factor"}


def test_no_get_route_changes_state(app):
    """State changes are POST-only: every GET route is read-only by name and by test elsewhere."""
    risky = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and rule.endpoint not in PAGES_BEFORE_THE_BUTTON
        and any(w in rule.endpoint for w in ("disable", "enable", "logout", "end_", "approve", "grant", "set_language"))
    ]
    assert risky == []
