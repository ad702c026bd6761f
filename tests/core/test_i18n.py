from flask import render_template_string
from flask_babel import force_locale

from app.core.i18n import current_language
from tests.csrf import csrf_token


def test_templates_follow_force_locale_inside_one_request(app):
    with app.test_request_context(headers={"Accept-Language": "es"}):
        template = "{% trans %}Sign in{% endtrans %}"
        assert render_template_string(template) == "Iniciar sesión"
        with force_locale("en"):
            assert render_template_string(template) == "Sign in"
        assert render_template_string(template) == "Iniciar sesión"


def test_the_requests_language_follows_force_locale(app):
    with app.test_request_context(headers={"Accept-Language": "es"}):
        assert current_language() == "es"
        with force_locale("en"):
            assert current_language() == "en"
            assert render_template_string("{{ current_language }}|{% trans %}Sign in{% endtrans %}") == "en|Sign in"
        assert current_language() == "es"


def test_language_comes_from_preference_then_cookie_then_accept_language(client, world, login_as):
    assert 'lang="en"' in client.get("/", headers={"Accept-Language": "en-GB,en"}).get_data(as_text=True)
    client.set_cookie("lang", "es")
    assert 'lang="es"' in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    user = world.users["citizen"]
    user.locale = "en"
    login_as(client, user)
    assert 'lang="en"' in client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)


def test_someone_back_with_only_a_remember_me_cookie_gets_their_saved_language(app, world):
    from app.extensions import db
    from tests import factories

    user = world.users["citizen"]
    user.locale = "en"
    db.session.commit()
    first_visit = app.test_client()
    first_visit.post(
        "/login",
        data={
            "email": user.email,
            "password": factories.DEFAULT_PASSWORD,
            "remember": "y",
            "csrf_token": csrf_token(first_visit),
        },
    )
    returning = app.test_client()
    returning.set_cookie("remember_token", first_visit.get_cookie("remember_token").value)
    assert 'lang="en"' in returning.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)


def test_accept_language_is_matched_by_its_preferences_and_the_same_header_twice_the_same_way(client):
    header = "fr-FR,fr;q=0.9,en;q=0.8,es;q=0.5"
    for _ in range(2):
        assert 'lang="en"' in client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert 'lang="es"' in client.get("/", headers={"Accept-Language": "de, es-PE;q=0.7, en;q=0.6"}).get_data(
        as_text=True
    )
    assert 'lang="es"' in client.get("/", headers={"Accept-Language": "not a header;;q=x"}).get_data(as_text=True)
