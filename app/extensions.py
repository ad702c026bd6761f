"""Flask extensions, created unbound and initialised in create_app."""

from flask import current_app, request
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from app.core.models import Base

# Objects stay readable after commit: the page or redirect that follows must not reload them (on SQLite
# a reload inside a write request would take the write lock again until the response is sent).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()


class Compression(Compress):
    """Flask-Compress, answering a body too small to compress before it parses Accept-Encoding and the
    content type: small JSON answers (a verification, a health check) are the most frequent ones."""

    def after_request(self, response):
        length = response.content_length if response is not None else None
        if length is not None and length < current_app.config["COMPRESS_MIN_SIZE"]:
            # What Flask-Compress says of every response it could compress for another client.
            vary = response.headers.get("Vary")
            if not vary:
                response.headers["Vary"] = "Accept-Encoding"
            elif "accept-encoding" not in vary.lower():
                response.headers["Vary"] = f"{vary}, Accept-Encoding"
            return response
        return super().after_request(response)


# Pages travel compressed: a lesson must stay light on a prepaid rural data plan.
compress = Compression()
# Limits are declared on the views that need them; nothing is limited by default.
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)


def client_ip():
    """The client's address as the app sees it (after ProxyFix when configured)."""
    return request.remote_addr or "unknown"
