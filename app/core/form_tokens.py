"""The CSRF token that pages put in their forms: Flask-WTF's, signed once a minute per session.

Flask-WTF signs the session's token again, with the time, on every page that shows a form, and every
page here shows at least the language switcher: signing cost more than a lesson page's queries. A
token signed less than REUSE_SECONDS ago for the same session and key is given again instead. It is
exactly what Flask-WTF would have given then, is checked the same way, and expires after
WTF_CSRF_TIME_LIMIT counted from its signing, so reusing it shortens its life by at most a minute.
"""

import threading
import time

from flask import Flask, current_app, g, session
from flask_wtf.csrf import generate_csrf

REUSE_SECONDS = 60
# Sessions signed for within the last minute on one worker; when full, the memory starts again empty.
KEPT_TOKENS = 4096
_EXTENSION_KEY = "academy_form_tokens"


def register(app: Flask) -> None:
    """Pages call csrf_token() as with Flask-WTF; this one takes its place. Flask-WTF offers its own as a
    template global and through a context processor, so both are replaced: call after CSRFProtect.init_app."""
    app.extensions[_EXTENSION_KEY] = _Kept()
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(_template_helpers)


def csrf_token() -> str:
    field = current_app.config.get("WTF_CSRF_FIELD_NAME") or "csrf_token"
    token = g.get(field)  # where Flask-WTF keeps the request's token
    if token is not None:
        return token
    kept: _Kept = current_app.extensions[_EXTENSION_KEY]
    key = (current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key, session.get(field))
    token = kept.recent(key) if isinstance(key[1], str) else None
    if token is not None:
        setattr(g, field, token)
        return token
    token = generate_csrf()
    kept.keep((key[0], session[field]), token)
    return token


def _template_helpers() -> dict:
    return {"csrf_token": csrf_token}


class _Kept:
    def __init__(self):
        self._tokens: dict[tuple, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def recent(self, key: tuple) -> str | None:
        found = self._tokens.get(key)
        if found is not None and time.monotonic() - found[1] < REUSE_SECONDS:
            return found[0]
        return None

    def keep(self, key: tuple, token: str) -> None:
        with self._lock:
            if len(self._tokens) >= KEPT_TOKENS:
                self._tokens.clear()
            self._tokens[key] = (token, time.monotonic())
