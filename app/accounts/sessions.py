"""How a session cookie becomes a user, and how all of a user's sessions are ended."""

from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User, new_session_token
from app.extensions import db


@cache
def _user_by_session_token():
    """Built once (after every model is mapped): this runs on every signed-in request, and building a
    statement costs more than running it. Memberships come along, since nearly every page asks about
    roles (navigation, the second-factor rule)."""
    return select(User).options(joinedload(User.memberships)).where(User.session_token == bindparam("token"))


def load_user_from_session(session_token: str):
    """Flask-Login stores the user's session token, so rotating the token ends every session at once."""
    if not session_token or len(session_token) > 64:
        return None
    user = db.session.execute(_user_by_session_token(), {"token": session_token}).unique().scalar_one_or_none()
    if user is None or not user.is_active:
        return None
    return user


def end_all_sessions(user):
    """Invalidate every cookie, "remember me" included, that names *user*."""
    user.session_token = new_session_token()
