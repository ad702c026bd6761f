"""How a session cookie becomes a user, and how all of a user's sessions are ended."""

from sqlalchemy import select

from app.accounts.identity import SignedInUser, signed_in_user
from app.accounts.models import User, new_session_token
from app.extensions import db


def _plausible(session_token) -> bool:
    return isinstance(session_token, str) and 0 < len(session_token) <= 64


def load_user_from_session(session_token: str) -> SignedInUser | None:
    """Flask-Login stores the user's session token, so rotating the token ends every session at once.

    What every request gets as current_user: the account's facts (accounts.identity), not its row.
    """
    if not _plausible(session_token):
        return None
    return signed_in_user(session_token)


def account_by_session_token(session_token: str) -> User | None:
    """The active account itself (its ORM row), for a request that changes it before signing it in."""
    if not _plausible(session_token):
        return None
    user = db.session.scalar(select(User).where(User.session_token == session_token))
    return user if user is not None and user.is_active else None


def end_all_sessions(user):
    """Invalidate every cookie, "remember me" included, that names *user*."""
    user.session_token = new_session_token()
