"""Whether a request can carry a signed-in user at all, answered without loading one."""

from flask import current_app, request, session
from flask_login import current_user
from flask_login.config import COOKIE_NAME


def may_be_signed_in() -> bool:
    """True when the session names a user or the request brings a remember-me cookie.

    Asked before current_user where an anonymous visitor is the usual case (public pages, the headers
    every response gets): Flask-Login's loading, even of nobody, costs more than a public page's own
    work. When this is False, Flask-Login could only have answered "anonymous".
    """
    return "_user_id" in session or current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies


def is_signed_in() -> bool:
    """current_user.is_authenticated, without loading anybody when nobody can be signed in."""
    return may_be_signed_in() and current_user.is_authenticated
