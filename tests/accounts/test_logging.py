import logging

import pytest

from app.tasks import run_queued_tasks
from tests import factories
from tests.csrf import csrf_token


@pytest.fixture
def mail_server(app, smtp_server):
    """Mail leaves through an SMTP server, as in production (without one, the console shows each mail's links)."""
    _inbox, port = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield
    app.config["MAIL_SERVER"] = ""


def test_passwords_and_tokens_never_reach_the_logs(client, world, caplog, outbox, mail_server):
    caplog.set_level(logging.DEBUG)
    user = world.users["citizen"]
    secret = "contraseña que no debe verse 123"
    for _ in range(10):
        client.post("/login", data={"email": user.email, "password": secret, "csrf_token": csrf_token(client)})
    client.post("/password/forgot", data={"email": user.email, "csrf_token": csrf_token(client)})
    run_queued_tasks()
    assert outbox(user.email)[-1].delivered_at is not None
    token = outbox(user.email)[-1].body_text.split("/password/reset/")[1].split()[0]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "rate limit reached" in logged
    assert secret not in logged
    assert token not in logged
    assert factories.DEFAULT_PASSWORD not in logged


def test_an_unknown_address_still_costs_one_password_hash(app, monkeypatch):
    from argon2 import PasswordHasher

    from app.accounts import services

    checked = []
    original = PasswordHasher.verify
    monkeypatch.setattr(PasswordHasher, "verify", lambda self, h, p: checked.append(h) or original(self, h, p))
    with app.test_request_context():
        services.authenticate("nadie-por-aqui@example.pe", "una frase larga y segura")
        known = factories.make_user()
        services.authenticate(known.email, "incorrecta pero larga")
    assert len(checked) == 2
    assert all(h.startswith("$argon2id$") for h in checked)
