"""Confirming it's you, as a signed-in person does before changing the password or the second factor."""

from tests import factories
from tests.csrf import csrf_token


def confirm_it_is_me(client, user, *, password=factories.DEFAULT_PASSWORD):
    """Send *user*'s password (and a code the app accepts, when they have a second factor) to the
    confirmation page on *client*; the session may then make sensitive changes for REAUTH_WINDOW."""
    data = {"password": password, "csrf_token": csrf_token(client)}
    if user.has_second_factor:
        data["code"] = factories.unused_totp_code(user)
    response = client.post("/account/confirm", data=data)
    assert response.status_code == 302, "the confirmation was refused"
    return response
