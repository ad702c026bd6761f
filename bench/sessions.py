"""Signed-in sessions for the load generator, made the way Flask and Flask-Login make them.

Logging thousands of learners in through the form would measure argon2, not the pages; the cookies
are signed with the server's own secret and carry the same fields a real sign-in stores.
"""

import hashlib
import os
from urllib.parse import quote

from itsdangerous import URLSafeTimedSerializer

USER_AGENT = "academy-bench"


def signed_session(app, session_token: str) -> tuple[str, str]:
    """(Cookie header value, CSRF form token) for the learner whose session token is given."""
    from app.extensions import login_manager

    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers={"User-Agent": USER_AGENT}):
        identifier = login_manager._session_identifier_generator()
    raw_csrf = hashlib.sha1(os.urandom(64)).hexdigest()  # noqa: S324 - the same token Flask-WTF stores
    session = {"_user_id": session_token, "_fresh": True, "_id": identifier, "csrf_token": raw_csrf}
    cookie = app.session_interface.get_signing_serializer(app).dumps(session)
    form_token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw_csrf)
    return f"{app.config['SESSION_COOKIE_NAME']}={cookie}", quote(form_token)
