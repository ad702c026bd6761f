"""Flask's signed-cookie sessions, checking each cookie's signature once rather than on every request.

A signed-in learner sends the same cookie with every page until something in the session changes, and
checking it (an HMAC, base64 and the tagged JSON) cost as much as a page's own query. A cookie that
verified is remembered, by its exact value, with what it carried and when it was signed; the next
request with that value gets a fresh session made from it, and the age limit is still applied. Only a
cookie whose values are all immutable is remembered (a list of flashed messages is not), so one
request can never change what the next one starts from. Nothing that failed to verify is remembered.
"""

import threading
import time

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

# Enough for every learner active on one worker within the session lifetime on a busy day; when full,
# the memory starts again empty and cookies are simply verified again.
REMEMBERED_COOKIES = 4096
_IMMUTABLE = (str, int, float, bool, type(None))


class SessionCookies(SecureCookieSessionInterface):
    def __init__(self):
        self._serializers = {}
        self._verified: dict[tuple, tuple[dict, float]] = {}
        self._lock = threading.Lock()

    def get_signing_serializer(self, app: Flask):
        """Made once per set of keys: Flask makes one per request, and making one runs a trial
        serialisation."""
        keys = self._keys(app)
        if keys not in self._serializers:
            self._serializers[keys] = super().get_signing_serializer(app)
        return self._serializers[keys]

    def open_session(self, app: Flask, request):
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = app.permanent_session_lifetime.total_seconds()
        remembered = self._verified.get((self._keys(app), value))
        if remembered is not None:
            data, signed_at = remembered
            if time.time() - signed_at <= max_age:
                return self.session_class(data)
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        try:
            data, signed_at = serializer.loads(value, max_age=int(max_age), return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if all(isinstance(item, _IMMUTABLE) for item in data.values()):
            self._remember((self._keys(app), value), data, signed_at.timestamp())
        return self.session_class(data)

    def _remember(self, key, data: dict, signed_at: float) -> None:
        with self._lock:
            if len(self._verified) >= REMEMBERED_COOKIES:
                self._verified.clear()
            self._verified[key] = (dict(data), signed_at)

    @staticmethod
    def _keys(app: Flask) -> tuple:
        return app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ())
