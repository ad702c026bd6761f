"""With BASE_URL on https, every response carries HSTS and every cookie is Secure; the session cookie is
a __Host- cookie (no Domain, Path=/), so no subdomain or plain-HTTP page can set or read it."""

import pytest
from flask.testing import FlaskClient

from app import create_app
from app.core.database import dispose_engines
from tests import factories
from tests.csrf import csrf_token
from tests.settings import TEST_CONFIG

SITE = "https://academia.example"

pytestmark = pytest.mark.real_transactions


class _HttpsClient(FlaskClient):
    """A browser on the https site; over HTTPS the CSRF check wants the Referer such a browser sends."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", SITE)
        kwargs["headers"] = {"Referer": f"{SITE}/", **(kwargs.get("headers") or {})}
        return super().open(*args, **kwargs)


@pytest.fixture
def https_site(app, tmp_path):
    site = create_app(
        {
            **TEST_CONFIG,
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "MAIL_OUTBOX_DIR": str(tmp_path),
            "BASE_URL": SITE,
        }
    )
    site.test_client_class = _HttpsClient
    yield site
    dispose_engines(site)


def _pages_without_arguments(application):
    return sorted(
        rule.rule
        for rule in application.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
    )


def test_every_page_served_over_https_carries_hsts(https_site):
    client = https_site.test_client()
    pages = _pages_without_arguments(https_site)
    assert len(pages) > 15
    for page in pages:
        response = client.get(page)
        hsts = response.headers.get("Strict-Transport-Security", "")
        assert hsts.startswith("max-age=31536000"), f"{page} ({response.status_code}) has no HSTS"


def test_cookies_over_https_are_secure_and_the_session_cookie_is_host_bound(https_site):
    with https_site.app_context():
        user = factories.make_user(email="segura@example.pe")
        email = user.email
    client = https_site.test_client()
    form = {"email": email, "password": factories.DEFAULT_PASSWORD, "remember": "y", "csrf_token": csrf_token(client)}
    response = client.post("/login", data=form)
    assert response.status_code == 302
    cookies = {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}
    assert "__Host-session" in cookies and "session" not in cookies
    session_cookie = cookies["__Host-session"]
    assert "Secure" in session_cookie and "Path=/" in session_cookie and "Domain=" not in session_cookie
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    assert all("Secure" in header for header in cookies.values()), cookies
    assert "remember_token" in cookies
    # The language choice is a cookie too, set when the profile is saved.
    profile = {"display_name": "Segura", "locale": "en", "csrf_token": csrf_token(client)}
    saved = client.post("/account", data=profile)
    assert saved.status_code == 302
    assert all("Secure" in header for header in saved.headers.getlist("Set-Cookie"))
    assert "Strict-Transport-Security" in saved.headers
