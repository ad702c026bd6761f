"""Finding 1: a forged Host or X-Forwarded-Host header must not choose the address in e-mailed links.

Every absolute URL comes from BASE_URL; a request addressed to a host the site does not serve gets 400
and sends nothing.
"""

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

import app as app_package
from app import create_app
from app.core.database import dispose_engines
from app.core.mail import OutboxMessage
from app.extensions import db
from app.tasks import run_queued_tasks
from tests import factories
from tests.csrf import csrf_token
from tests.settings import TEST_CONFIG

PASSWORD = "una frase larga y segura"
LINK = re.compile(r"https?://[^\s/]+")


def _register_new(client, world):
    return "/register", {
        "email": "nueva@example.pe",
        "display_name": "Nueva Persona",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "locale": "es",
        "account_type": "citizen",
        "accept_privacy": "y",
    }


def _register_existing(client, world):
    data = _register_new(client, world)[1]
    return "/register", {**data, "email": world.users["citizen"].email}


def _forgot_password(client, world):
    return "/password/forgot", {"email": world.users["citizen"].email}


def _sign_in_unverified(client, world):
    person = factories.make_user(email="sin-confirmar@example.pe", verified=False)
    return "/login", {"email": person.email, "password": factories.DEFAULT_PASSWORD}


def _add_member(client, world, login_as):
    login_as(client, world.users["integrity_officer"])
    return (
        f"/admin/organisations/{world.entity.id}/members",
        {"email": "funcionaria@example.pe", "display_name": "Funcionaria Nueva", "role": "learner"},
    )


# Every action that e-mails a link, as the person or the officer triggers it.
MAIL_SENDING_ACTIONS = {
    "register-new-address": _register_new,
    "register-existing-address": _register_existing,
    "forgot-password": _forgot_password,
    "sign-in-unverified": _sign_in_unverified,
    "officer-adds-member": _add_member,
}


def _prepare(name, client, world, login_as):
    prepare = MAIL_SENDING_ACTIONS[name]
    path, data = prepare(client, world, login_as) if name == "officer-adds-member" else prepare(client, world)
    return path, {**data, "csrf_token": csrf_token(client)}


def _mail_count():
    run_queued_tasks()
    return db.session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one()


def _links_in_new_mail(before):
    run_queued_tasks()  # some mail (a reset link) is composed by the worker
    bodies = db.session.execute(select(OutboxMessage.body_text).where(OutboxMessage.id > before)).scalars().all()
    assert bodies, "the action sent no mail"
    return {match for body in bodies for match in LINK.findall(body)}


def _last_mail_id():
    return db.session.execute(select(func.coalesce(func.max(OutboxMessage.id), 0))).scalar_one()


@pytest.mark.parametrize("action", sorted(MAIL_SENDING_ACTIONS))
def test_a_request_for_a_forged_host_is_refused_and_sends_nothing(app, client, world, login_as, action):
    path, data = _prepare(action, client, world, login_as)
    before = _mail_count()
    response = client.post(path, data=data, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert _mail_count() == before


@pytest.mark.parametrize("action", sorted(MAIL_SENDING_ACTIONS))
def test_a_forged_forwarded_host_does_not_reach_the_links_in_the_mail(app, client, world, login_as, action):
    path, data = _prepare(action, client, world, login_as)
    before = _last_mail_id()
    response = client.post(path, data=data, headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"})
    assert response.status_code in (200, 302)
    assert _links_in_new_mail(before) == {app.config["BASE_URL"]}


class _PublicSiteClient(FlaskClient):
    """A browser that reached the proxy at https://academia.example; the proxy passes Host on as it came.

    Over HTTPS the CSRF check also wants the Referer a browser sends with a form from the same site.
    """

    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", "https://academia.example")
        kwargs["headers"] = {"Referer": "https://academia.example/", **(kwargs.get("headers") or {})}
        return super().open(*args, **kwargs)


def _client_of_the_public_site(application):
    application.test_client_class = _PublicSiteClient
    return application.test_client()


@pytest.fixture
def site_behind_a_proxy(app, tmp_path):
    """Builds apps on the suite's database, configured as behind a proxy at https://academia.example."""
    built = []

    def build(**settings):
        shared = {
            **TEST_CONFIG,
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "MAIL_OUTBOX_DIR": str(tmp_path),
        }
        built.append(create_app({**shared, "BASE_URL": "https://academia.example", **settings}))
        return built[-1]

    yield build
    for application in built:
        dispose_engines(application)


@pytest.mark.real_transactions
def test_behind_a_proxy_the_forwarded_host_is_ignored_unless_the_operator_trusts_it(app, site_behind_a_proxy):
    with app.app_context():
        email = factories.make_user(email="detras-del-proxy@example.pe").email
        db.session.remove()

    behind_proxy = site_behind_a_proxy(PROXY_FIX_HOPS=1)
    client = _client_of_the_public_site(behind_proxy)
    form = {"email": email, "csrf_token": csrf_token(client)}
    with behind_proxy.app_context():
        before = _last_mail_id()
    response = client.post("/password/forgot", data=form, headers={"X-Forwarded-Host": "evil.example"})
    assert response.status_code == 302
    with behind_proxy.app_context():
        assert _links_in_new_mail(before) == {"https://academia.example"}
        db.session.remove()

    trusting = site_behind_a_proxy(PROXY_FIX_X_HOST=1)
    client = _client_of_the_public_site(trusting)
    form = {"email": email, "csrf_token": csrf_token(client)}
    with trusting.app_context():
        before = _mail_count()
    assert client.post("/password/forgot", data=form, headers={"X-Forwarded-Host": "evil.example"}).status_code == 400
    response = client.post("/password/forgot", data=form, headers={"X-Forwarded-Host": "academia.example"})
    assert response.status_code == 302
    with trusting.app_context():
        assert _mail_count() == before + 1
        db.session.remove()


def test_any_page_for_an_unknown_host_is_a_400_and_the_configured_hosts_are_served(app, client):
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "localhost.evil.example"}).status_code == 400
    # The test configuration's BASE_URL is http://localhost: a loopback site also answers to 127.0.0.1.
    assert client.get("/", headers={"Host": "localhost"}).status_code == 200
    assert client.get("/", headers={"Host": "127.0.0.1:5000"}).status_code == 200


def test_trusted_hosts_follow_base_url_unless_the_operator_lists_them(tmp_path):
    database = {"DATABASE_URL": f"sqlite:///{tmp_path}/hosts.db"}
    public = create_app({**TEST_CONFIG, **database, "BASE_URL": "https://academia.gob.pe/"})
    assert public.config["TRUSTED_HOSTS"] == ["academia.gob.pe"]
    assert public.config["BASE_URL"] == "https://academia.gob.pe"
    listed = create_app({**TEST_CONFIG, **database, "TRUSTED_HOSTS": ["academia.gob.pe", ".sip.gob.pe"]})
    assert listed.config["TRUSTED_HOSTS"] == ["academia.gob.pe", ".sip.gob.pe"]
    with pytest.raises(RuntimeError, match="BASE_URL"):
        create_app({**TEST_CONFIG, **database, "BASE_URL": "academia.gob.pe"})


def test_the_did_document_names_the_configured_site_whatever_the_request_says(client):
    response = client.get("/.well-known/did.json", headers={"X-Forwarded-Host": "evil.example"})
    assert response.status_code == 200
    assert response.json["id"] == "did:web:localhost"
    assert "evil" not in response.get_data(as_text=True)


def test_no_code_builds_an_absolute_url_from_the_request():
    """url_for(_external=True) and request.host_url take the host the client sent; core.urls.public_url does not."""
    offenders = [
        f"{path}:{number}"
        for path in Path(app_package.__file__).parent.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\b_external\s*=|request\.(host_url|url_root|host\b)", line)
    ]
    assert offenders == []
