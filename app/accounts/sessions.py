"""How a session cookie becomes a user, and how all of a user's sessions are ended."""

from functools import cache

from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import User, new_session_token
from app.extensions import db
from app.organisations.models import Membership


@cache
def _user_by_session_token():
    """Built once (after every model is mapped): this runs on every signed-in request, and building a
    statement costs more than running it. Memberships come along, since nearly every page asks about
    roles (navigation, the second-factor rule)."""
    return (
        select(User, Membership)
        .outerjoin(Membership, Membership.user_id == User.id)
        .where(User.session_token == bindparam("token"))
    )


def load_user_from_session(session_token: str):
    """Flask-Login stores the user's session token, so rotating the token ends every session at once."""
    if not session_token or len(session_token) > 64:
        return None
    rows = db.session.execute(_user_by_session_token(), {"token": session_token}).all()
    user = rows[0][0] if rows else None
    if user is None or not user.is_active:
        return None
    # What joinedload(User.memberships) does, for less than it costs on every request: it builds its
    # loaders anew each time. Like it, a collection this session already holds is left as it is.
    if "memberships" not in inspect(user).dict:
        set_committed_value(user, "memberships", [membership for _, membership in rows if membership is not None])
    return user


def end_all_sessions(user):
    """Invalidate every cookie, "remember me" included, that names *user*."""
    user.session_token = new_session_token()
