"""Confirm it's you: changes to how an account is protected need the password, and a current code, given
within REAUTH_WINDOW in this session; a session alone is not enough (SECURITY.md row 26)."""

import functools
import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts import mfa, passwords
from app.accounts.models import User
from app.accounts.services import AccountError
from app.core import audit
from app.core.database import read_connection
from app.extensions import db

# The session (a signed cookie) keeps when, and for which session token, the user last confirmed: an old
# cookie replayed carries an old time, and a token rotated by logout or a password change voids it.
CONFIRMED = "confirmed_identity"


class NotConfirmed(AccountError):
    """A wrong password or code; *field* names the form field the message belongs to."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.field = field


def confirm_identity(user, *, password: str, code: str | None) -> str:
    """Check the password, then the second factor when the account has one; returns how (for the audit log).

    The password is read and checked before the session touches the database, so no lock is held while
    it is hashed; the code is tried only after the right password, so a wrong password never uses up a
    recovery code. Each refusal is audited (the caller commits it) and raises NotConfirmed.
    """
    if not passwords.verify_password(_password_hash(user.id), password or ""):
        _refuse(user.record, "password")
        raise NotConfirmed(_("Your current password is not correct."), field="password")
    account = user.record
    method = "password"
    if account.has_second_factor:
        second = mfa.verify_second_factor(account, code or "")
        if second is None:
            _refuse(account, "second_factor")
            raise NotConfirmed(_("That code is not correct, or it has already been used."), field="code")
        method = f"password+{second}"
    audit.record("reauthentication.success", actor=account, target=account, details={"method": method})
    db.session.flush()
    return method


def mark_confirmed(user, *, at: int | None = None) -> None:
    """Note in the session that *user* confirmed it's them now (or at *at*, a time kept across a new session)."""
    session[CONFIRMED] = {"token": user.session_token, "at": int(time.time()) if at is None else at}


def confirmed_at(user) -> int | None:
    """When this session last confirmed it was *user*, as a Unix time, if it did under their current token."""
    stamp = session.get(CONFIRMED)
    if not isinstance(stamp, dict) or stamp.get("token") != getattr(user, "session_token", None):
        return None
    at = stamp.get("at")
    return at if isinstance(at, int) else None


def is_recently_confirmed(user) -> bool:
    at = confirmed_at(user)
    return at is not None and time.time() - at < current_app.config["REAUTH_WINDOW"].total_seconds()


def recently_confirmed(view):
    """Let the view run only within REAUTH_WINDOW of the user confirming it's them; else send them to do so.

    A guarded view answers GET with the page whose form makes the change, so the confirmation page leads
    back there. A POST that comes too late changes nothing: its user is told so and, once confirmed,
    finds the same page again. Put it under @login_required.
    """

    @functools.wraps(view)
    def guarded(*args, **kwargs):
        if is_recently_confirmed(current_user):
            return view(*args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            flash(_("Nothing has been changed yet. For your security, confirm it's you, then try again."), "warning")
        return redirect(url_for("accounts.confirm_identity", next=request.full_path.rstrip("?")))

    return guarded


def _password_hash(user_id: int) -> str | None:
    with read_connection() as connection:
        return connection.execute(select(User.password_hash).where(User.id == user_id)).scalar_one_or_none()


def _refuse(account, reason: str) -> None:
    audit.record(
        "reauthentication.failure", actor=account, target=account, outcome="failure", details={"reason": reason}
    )
