"""E-mailed links stop working when they should: a reset link after an hour, a confirmation link after
three days. The clock is moved, not waited for."""

import re
from datetime import datetime, timedelta

from freezegun import freeze_time

from app.accounts.models import User
from app.extensions import db
from app.tasks import run_queued_tasks
from tests import factories
from tests.csrf import csrf_token

SENT_AT = datetime(2026, 12, 7, 15, 0, 0)
NEW_PASSWORD = "otra frase larga y segura"


def _link(outbox, email, path):
    return re.search(rf"https?://[^/\s]+({path}[^\s]+)", outbox(email)[-1].body_text).group(1)


def _reset_link(client, outbox, email):
    with freeze_time(SENT_AT):
        client.post("/password/forgot", data={"email": email, "csrf_token": csrf_token(client)})
        run_queued_tasks()
    return _link(outbox, email, "/password/reset/")


def _set_password(client, link):
    return client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf_token(client)})


def test_a_reset_link_works_within_the_hour(client, outbox, db_session):
    user = factories.make_user()
    link = _reset_link(client, outbox, user.email)
    with freeze_time(SENT_AT + timedelta(minutes=59)):
        assert client.get(link).status_code == 200
        assert _set_password(client, link).headers["Location"] == "/login"
    db.session.expire_all()
    assert db.session.get(User, user.id).password_changed_at is not None


def test_a_reset_link_an_hour_old_changes_nothing(client, outbox, db_session):
    user = factories.make_user()
    before = user.password_hash
    link = _reset_link(client, outbox, user.email)
    with freeze_time(SENT_AT + timedelta(minutes=61)):
        opened = client.get(link)
        assert opened.status_code == 302 and opened.headers["Location"] == "/password/forgot"
        assert _set_password(client, link).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == before


def _confirmation_link(client, outbox, email):
    password = "una frase larga y segura"
    form = {"email": email, "display_name": "Persona Nueva", "password": password, "confirm": password}
    form |= {"locale": "es", "account_type": "citizen", "accept_privacy": "y"}
    with freeze_time(SENT_AT):
        assert client.post("/register", data={**form, "csrf_token": csrf_token(client)}).status_code == 302
    return _link(outbox, email, "/verify-email/")


def _confirm(client, link):
    return client.post(link, data={"csrf_token": csrf_token(client)})


def test_a_confirmation_link_works_for_three_days(client, outbox, db_session):
    link = _confirmation_link(client, outbox, "tres-dias@example.pe")
    with freeze_time(SENT_AT + timedelta(days=3, minutes=-1)):
        assert client.get(link).status_code == 200
        _confirm(client, link)
    assert db.session.query(User).filter_by(email="tres-dias@example.pe").one().email_verified_at is not None


def test_a_confirmation_link_older_than_three_days_confirms_nothing(client, outbox, db_session):
    link = _confirmation_link(client, outbox, "tarde@example.pe")
    with freeze_time(SENT_AT + timedelta(days=3, minutes=1)):
        assert client.get(link).headers["Location"] == "/login"
        _confirm(client, link)
    assert db.session.query(User).filter_by(email="tarde@example.pe").one().email_verified_at is None
