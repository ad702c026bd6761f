"""How a session cookie becomes a user, and how all of a user's sessions are ended."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import User, new_session_token
from app.extensions import db


def load_user_from_session(session_token: str):
    """Flask-Login stores the user's session token, so rotating the token ends every session at once."""
    if not session_token or len(session_token) > 64:
        return None
    # Memberships come along: nearly every page asks about roles (navigation, second-factor rule).
    user = (
        db.session.execute(
            select(User).options(joinedload(User.memberships)).where(User.session_token == session_token)
        )
        .unique()
        .scalar_one_or_none()
    )
    if user is None or not user.is_active:
        return None
    return user


def end_all_sessions(user):
    """Invalidate every cookie, "remember me" included, that names *user*."""
    user.session_token = new_session_token()
