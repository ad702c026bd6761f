"""Finding 4, the add-member form: it must not tell an officer whether an address has an account.

The officer sends the form twice from the same starting state: once with the address of an existing
account, once with an address nobody uses. Everything they can observe must be the same once the address
and the name they typed are swapped for placeholders: status, where the redirect goes, the message, the
page with its list of invitations, and the e-mails sent. The work done is the same too: one password hash.
"""

import re

import pytest

from app.accounts import passwords
from app.core.mail import OutboxMessage
from app.extensions import db
from app.organisations import roles
from tests import factories
from tests.csrf import csrf_token

UNUSED_ADDRESS = "nadie.usa.esta@example.pe"


@pytest.fixture
def hashes(monkeypatch):
    """How many password hashes are computed."""
    counted = []
    original = passwords.hash_password

    def counting(password):
        counted.append(1)
        return original(password)

    monkeypatch.setattr(passwords, "hash_password", counting)
    return counted


@pytest.mark.parametrize("role", [roles.LEARNER, roles.TRAINER])
def test_adding_an_address_with_or_without_an_account_looks_the_same_to_the_officer(app, world, login_as, hashes, role):
    existing = factories.make_user(display_name="Nombre Real De La Cuenta")
    db.session.commit()  # the starting state both attempts begin from
    seen = {}
    for label, email, name in (
        ("existing", existing.email, "Nombre Escrito Uno"),
        ("unknown", UNUSED_ADDRESS, "Nombre Escrito Dos"),
    ):
        with app.extensions["tests.pristine"].snapshot():
            hashes.clear()
            seen[label] = _what_the_officer_sees(app, world, login_as, email, name, role)
            seen[label]["hashes"] = len(hashes)

    assert seen["existing"] == seen["unknown"]
    assert seen["existing"]["status"] == 302
    assert seen["existing"]["flashes"] == ["Invitación enviada a ADDRESS."]
    assert seen["existing"]["mails"] == [("ADDRESS", seen["existing"]["mails"][0][1])]
    assert len(seen["existing"]["invitation_rows"]) == 1
    assert "Nombre Real De La Cuenta" not in seen["existing"]["page"]
    assert seen["existing"]["hashes"] == 1


def _what_the_officer_sees(app, world, login_as, email, name, role):
    officer = login_as(app.test_client(), world.users["integrity_officer"])
    mails_before = _mail_count()
    response = officer.post(
        f"/admin/organisations/{world.entity.id}/members",
        data={"email": email, "display_name": name, "role": role, "csrf_token": csrf_token(officer)},
    )
    with officer.session_transaction() as session:
        flashes = [message for _category, message in session.get("_flashes", [])]
    page = officer.get(response.location).get_data(as_text=True)
    mails = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id).offset(mails_before)).all()

    def placeholders(text):
        return text.replace(email, "ADDRESS").replace(name, "NAME")

    return {
        "status": response.status_code,
        "location": response.location,
        "flashes": [placeholders(message) for message in flashes],
        "page": _without_session_tokens(placeholders(page)),
        "invitation_rows": [
            _without_session_tokens(placeholders(row))
            for row in re.findall(r"<tr>.*?</tr>", page, re.S)
            if email in row
        ],
        "mails": [(placeholders(mail.recipient), placeholders(mail.subject)) for mail in mails],
    }


def _mail_count():
    return db.session.scalar(db.select(db.func.count(OutboxMessage.id)))


def _without_session_tokens(page):
    return re.sub(r'name="csrf_token"[^>]*value="[^"]+"', 'name="csrf_token" value="TOKEN"', page)
