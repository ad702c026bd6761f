from tests.csrf import csrf_token


def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_page_contains_inline_script_or_style(client):
    for path in ("/", "/login", "/register", "/privacy", "/password/forgot"):
        body = client.get(path).get_data(as_text=True)
        assert "<script" not in body
        assert "style=" not in body
        assert "<style" not in body


def test_signed_in_pages_are_never_cached(client, world, login_as):
    login_as(client, world.users["citizen"])
    assert client.get("/account").headers["Cache-Control"] == "no-store"


def test_hsts_is_sent_only_when_the_site_is_served_over_https(client, app):
    assert "Strict-Transport-Security" not in client.get("/").headers
    app.config["BASE_URL"] = "https://academia.example"
    try:
        header = client.get("/").headers["Strict-Transport-Security"]
    finally:
        app.config["BASE_URL"] = "http://localhost"
    assert "max-age=31536000" in header


def test_static_files_are_served_by_the_app_itself(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_pages_reference_no_other_site(client):
    for path in ("/", "/login", "/register"):
        body = client.get(path).get_data(as_text=True)
        for attribute in ('src="http', 'href="http', 'src="//', 'href="//', "url(http"):
            assert attribute not in body, (path, attribute)


def test_pages_for_someone_back_with_only_a_remember_me_cookie_are_never_cached(app, world):
    from tests import factories

    first_visit = app.test_client()
    first_visit.post(
        "/login",
        data={
            "email": world.users["citizen"].email,
            "password": factories.DEFAULT_PASSWORD,
            "remember": "y",
            "csrf_token": csrf_token(first_visit),
        },
    )
    returning = app.test_client()
    returning.set_cookie("remember_token", first_visit.get_cookie("remember_token").value)
    assert returning.get("/").headers["Cache-Control"] == "no-store"
    assert "Cache-Control" not in app.test_client().get("/").headers
