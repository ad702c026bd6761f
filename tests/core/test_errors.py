import pytest
from flask import abort

from app import create_app
from tests.csrf import csrf_token
from tests.settings import TEST_CONFIG


def test_unknown_page_is_a_friendly_translated_404(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "es"})
    assert response.status_code == 404
    assert "Página no encontrada" in response.get_data(as_text=True)


def test_wrong_method_is_a_friendly_405_with_allow_header(client):
    response = client.delete("/login")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/organisations/-1/members",
        "/admin/organisations/999999999999999999999999999999/members",
        "/admin/users/%E0%A4%A",
        "/password/reset/%ff%fe",
        "/verify-email/" + "a" * 3000,
    ],
)
def test_malformed_ids_and_encodings_give_a_4xx_page_never_a_500(client, path):
    response = client.get(path)
    assert 300 <= response.status_code < 500
    assert "Traceback" not in response.get_data(as_text=True)


def test_trace_method_is_refused(client):
    assert client.open("/", method="TRACE").status_code == 405


def test_a_body_over_the_limit_is_refused_with_413_before_parsing(client, app):
    oversized = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/login", data={"email": "a@b.pe", "password": oversized, "csrf_token": csrf_token(client)})
    assert response.status_code == 413
    assert "demasiado grande" in response.get_data(as_text=True)


def test_unexpected_errors_render_a_generic_500_without_details(tmp_path):
    app = create_app(
        {**TEST_CONFIG, "DATABASE_URL": f"sqlite:///{tmp_path}/e.db", "TESTING": False, "PROPAGATE_EXCEPTIONS": False}
    )

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    @app.get("/forbidden")
    def forbidden():
        abort(403)

    client = app.test_client()
    response = client.get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internal detail" not in body
    assert "Traceback" not in body
    assert "Algo salió mal" in body
    assert client.get("/forbidden", headers={"Accept-Language": "en"}).status_code == 403


def test_error_pages_answer_json_clients_in_json(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


@pytest.mark.parametrize(
    ("path", "status"),
    [("/courses/using-the-academy%00", 404), ("/verify/7K2M%00", 404), ("/courses?programme=%00", 400), ("/?q=a%00b", 400)],
)
def test_a_nul_character_in_an_address_or_a_parameter_is_refused_before_the_database_sees_it(client, path, status):
    assert client.get(path).status_code == status
