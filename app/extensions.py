"""Flask extensions, created unbound and initialised in create_app."""

from flask_babel import Babel
from flask_compress import Compress
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from app.core.models import Base
from app.core.ratelimit import RateLimits

# Objects stay readable after commit: the page or redirect that follows must not reload them (on SQLite
# a reload inside a write request would take the write lock again until the response is sent).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()
# Pages travel compressed: a lesson must stay light on a prepaid rural data plan.
compress = Compress()
# Limits are declared on the views that need them (core.ratelimit.rate_limited).
rate_limits = RateLimits()
