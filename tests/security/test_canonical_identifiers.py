"""Finding 3: however an address is written, it is one account and one count against its limits.

Each request comes from a different client address, as from an attacker spreading a credential attack
over many machines, so only the per-account limit stands in the way.
"""

import itertools

import pytest

from app.accounts.models import User
from app.extensions import db
from app.tasks import run_queued_tasks
from tests import factories
from tests.csrf import csrf_token

ACCOUNT = "ana.quispe@example.pe"
# The same mailbox written as an attacker would write it to look like a new one.
SPELLINGS = {
    "upper-case": "ANA.QUISPE@EXAMPLE.PE",
    "fullwidth-domain": "ana.quispe@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.\uff50\uff45",
    "fullwidth-local-part": "\uff41\uff4e\uff41.quispe@example.pe",
    "trailing-dot": "ana.quispe@example.pe.",
    "surrounding-spaces": "  Ana.Quispe@Example.pe  ",
}
_addresses = (f"198.51.100.{n}" for n in itertools.count(1))


@pytest.fixture
def account(db_session):
    return factories.make_user(email=ACCOUNT)


def _post(client, path, data):
    response = client.post(
        path, data={**data, "csrf_token": csrf_token(client)}, environ_base={"REMOTE_ADDR": next(_addresses)}
    )
    run_queued_tasks()  # a reset link is looked up and mailed by the worker
    return response


def _sign_in(client, email, password):
    return _post(client, "/login", {"email": email, "password": password})


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_every_spelling_of_an_address_signs_in_to_the_same_account(client, account, spelling):
    form = {"email": SPELLINGS[spelling], "password": factories.DEFAULT_PASSWORD, "csrf_token": csrf_token(client)}
    assert client.post("/login", data=form).status_code == 302
    assert ACCOUNT in client.get("/account").get_data(as_text=True)


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_a_locked_account_stays_locked_under_another_spelling_of_its_address(app, client, account, spelling):
    allowed = int(app.config["RATELIMIT_LOGIN_PER_ACCOUNT"].split()[0])
    statuses = [_sign_in(client, ACCOUNT, "incorrecta 12345").status_code for _ in range(allowed)]
    assert statuses == [200] * allowed
    # Even the right password, spelt differently, from yet another machine, is not tried.
    assert _sign_in(client, SPELLINGS[spelling], factories.DEFAULT_PASSWORD).status_code == 429


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_password_reset_requests_count_against_one_account_however_written(app, client, account, outbox, spelling):
    allowed = int(app.config["RATELIMIT_RESET_PER_ACCOUNT"].split()[0])
    for _ in range(allowed):
        assert _post(client, "/password/forgot", {"email": SPELLINGS[spelling]}).status_code == 302
    assert len(outbox(ACCOUNT)) == allowed
    assert _post(client, "/password/forgot", {"email": ACCOUNT}).status_code == 429
    assert len(outbox(ACCOUNT)) == allowed


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_registering_another_spelling_of_a_taken_address_makes_no_second_account(client, account, outbox, spelling):
    password = "una frase larga y segura"
    data = {"display_name": "Otra Ana", "password": password, "confirm": password, "locale": "es"}
    data |= {"account_type": "citizen", "accept_privacy": "y", "email": SPELLINGS[spelling]}
    assert _post(client, "/register", data).status_code == 302
    assert db.session.query(User).filter(User.display_name == "Otra Ana").count() == 0
    assert len(outbox(ACCOUNT)) == 1
    assert "intentó registrarse" in outbox(ACCOUNT)[0].subject
