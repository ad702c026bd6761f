"""The steps of create_app, each small enough to read on its own."""

import functools
import logging
import os
import secrets
import sqlite3
from pathlib import Path

from flask import Flask, g, has_app_context, has_request_context, request
from flask.globals import request_ctx
from flask_limiter import Limiter
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from werkzeug.middleware.proxy_fix import ProxyFix

from app.core import sqlite_write_lock
from app.core.database import WRITE_NOW, close_read_connection
from app.core.session_cookies import SessionCookies

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def load_configuration(app: Flask, defaults, overrides=None):
    """Defaults, then instance/config.py, then FLASK_* variables, then *overrides*."""
    app.config.from_object(defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env()
    if overrides:
        app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        if not (app.debug or app.testing):
            raise RuntimeError("SECRET_KEY is not set: export SECRET_KEY or put it in instance/config.py")
        # Debug and test runs get a throw-away key: their sessions need not survive a restart.
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    _configure_cookies(app)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(PROJECT_ROOT / "translations")
    app.config.setdefault("COURSE_CONTENT_DIR", "")
    if not app.config["COURSE_CONTENT_DIR"]:
        app.config["COURSE_CONTENT_DIR"] = str(PROJECT_ROOT / "courses")
    if not app.config.get("MAIL_OUTBOX_DIR"):
        app.config["MAIL_OUTBOX_DIR"] = os.path.join(app.instance_path, "mail")
    if app.config.get("PROXY_FIX_HOPS"):
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _configure_cookies(app: Flask):
    """Signed-cookie sessions; cookies are Secure, and the session cookie host-bound, whenever the site is
    served over HTTPS."""
    app.session_interface = SessionCookies()
    secure = app.config["BASE_URL"].startswith("https://")
    app.config["SESSION_COOKIE_SECURE"] = bool(app.config.get("SESSION_COOKIE_SECURE")) or secure
    app.config["REMEMBER_COOKIE_SECURE"] = bool(app.config.get("REMEMBER_COOKIE_SECURE")) or secure
    if secure and app.config.get("SESSION_COOKIE_NAME", "session") == "session":
        app.config["SESSION_COOKIE_NAME"] = "__Host-session"


def configure_logging(app: Flask):
    """Log to stderr at INFO; the security log (logins, refusals) is its own named logger."""
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("academy.security").setLevel(logging.INFO)


def configure_database(app: Flask):
    """Point SQLAlchemy at DATABASE_URL, or at the embedded SQLite file under instance/."""
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or app.config.get("DATABASE_URL") or ""
    if not url:
        url = "sqlite:///" + os.path.join(app.instance_path, "academy.db")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    if url.startswith("sqlite"):
        options.setdefault("connect_args", {"timeout": 5})
    else:
        options.setdefault("pool_pre_ping", True)


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, connection_record):
    """WAL with FULL sync loses no acknowledged commit; foreign keys are off in SQLite by default."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so SAVEPOINTs work.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    sqlite_write_lock.set_busy_timeout(dbapi_connection)
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _begin_sqlite_transaction(connection):
    """Requests that change state take SQLite's write lock up front.

    A deferred transaction that reads and then writes fails at once with "database is locked" when
    another process committed in between (WAL snapshot conflict) or holds the lock: SQLite does not
    wait to turn a read into a write. Taking the lock at BEGIN makes it wait for busy_timeout instead.
    Reads stay deferred so they never queue behind writers. A state-changing view that reads before it
    writes does that reading outside its transaction (core.database.read_connection), so the lock is
    held only while it writes.
    """
    driver = connection.connection.driver_connection
    # Straight to the driver: every request begins a transaction, and SQLAlchemy's statement machinery
    # costs more than the BEGIN. Its error types are kept, so a lock timeout still answers 503.
    try:
        if _takes_write_lock():
            sqlite_write_lock.begin_immediate(driver)
        else:
            driver.execute("BEGIN")
    except sqlite3.Error as error:
        raise DBAPIError.instance("BEGIN", (), error, sqlite3.Error) from error


def _takes_write_lock() -> bool:
    if has_app_context() and g.get(WRITE_NOW):
        return True
    return has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")


def configure_extensions(app: Flask):
    from app.core import form_tokens, i18n
    from app.extensions import babel, compress, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        # On this engine only: the autocommit one begins nothing, and a listener on every engine would
        # put every statement anywhere through SQLAlchemy's slower path for connections with events.
        event.listen(engine, "begin", _begin_sqlite_transaction)
    app.teardown_appcontext(close_read_connection)
    _import_models()
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True)
    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    form_tokens.register(app)
    # Streamed files (send_file) would be compressed chunk by chunk and their file left open; pages
    # and JSON are what needs compressing, the one small stylesheet does not.
    app.config.setdefault("COMPRESS_STREAMS", False)
    app.config.setdefault(
        "COMPRESS_MIMETYPES", ["text/html", "text/css", "application/json", "image/svg+xml", "text/plain", "text/csv"]
    )
    compress.init_app(app)
    from app.core import ratelimit_storage  # noqa: F401 - registers the memory-swept:// scheme with limits

    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory-swept://")
    limiter.init_app(app)
    # Every limit here is declared on a view, and those decorators check their own limits; the
    # extension's global before_request hook would only look for default limits, which we have none
    # of, on every single request. (tests/accounts/test_views.py proves the limits still bite.)
    # (With RATELIMIT_ENABLED off, the extension registers no hook at all.)
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:
        hooks.remove(limiter._check_request_limit)
    _run_limiter_hooks_only_where_limited(app)
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.refresh_view = "accounts.login"

    from app.accounts.sessions import load_user_from_session

    login_manager.user_loader(load_user_from_session)
    from app.core import tasks

    tasks.configure(app)
    i18n.register_template_helpers(app)
    register_template_globals(app)


def _run_limiter_hooks_only_where_limited(app: Flask):
    """Flask-Limiter's after-request hook (its X-RateLimit headers) and teardown look at the state its
    decorators leave on the request, and create that state when it is missing, on every request. Most
    requests pass no limit at all: they skip both hooks, and limited views keep them."""
    after = app.after_request_funcs.get(None, [])
    for position, hook in enumerate(after):
        if getattr(hook, "func", None) is Limiter._Limiter__inject_headers:
            after[position] = _where_limited(hook, passing=lambda response: response)
    teardown = app.teardown_request_funcs.get(None, [])
    for position, hook in enumerate(teardown):
        if getattr(hook, "__func__", None) is Limiter._Limiter__release_context:
            teardown[position] = _where_limited(hook, passing=lambda _error=None: None)


def _where_limited(hook, passing):
    @functools.wraps(hook)
    def run_where_limited(*args):
        if hasattr(request_ctx._get_current_object(), _LIMITER_STATE):
            return hook(*args)
        return passing(*args)

    return run_where_limited


# Where Flask-Limiter keeps its per-request state (flask_limiter.Limiter.context).
_LIMITER_STATE = "_limiter_request_context"


def register_template_globals(app: Flask):
    """The permission functions themselves, so a hidden button and the server check cannot disagree."""
    from app import navigation
    from app.catalog.models import localised
    from app.certificates.permissions import can_manage_certificates
    from app.core.fragments import FragmentCache
    from app.organisations import permissions, roles

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.add_extension(FragmentCache)
    app.jinja_env.globals.update(
        can_open_admin=permissions.can_open_admin,
        can_manage_members=permissions.can_manage_members,
        can_change_membership=permissions.can_change_membership,
        can_manage_organisations=permissions.can_manage_organisations,
        can_manage_accounts=permissions.can_manage_accounts,
        can_view_audit_log=permissions.can_view_audit_log,
        can_manage_certificates=can_manage_certificates,
        role_label=lambda role: roles.ROLE_LABELS.get(role, role),
        kind_label=lambda kind: roles.KIND_LABELS.get(kind, kind),
        localised=localised,
    )
    # The main menu's links and who sees each (app/navigation.py, outside core: it names every domain).
    navigation.register(app)


def register_blueprints(app: Flask):
    from app import accounts, admin, certificates, core, learning, organisations, public

    for blueprint in (core.bp, public.bp, accounts.bp, organisations.bp, learning.bp, certificates.bp, admin.bp):
        app.register_blueprint(blueprint)


def register_request_hooks(app: Flask):
    from app.accounts.mfa_gate import require_second_factor_setup
    from app.core import errors, headers

    app.before_request(require_second_factor_setup)
    app.after_request(headers.add_security_headers)
    errors.register_error_handlers(app)


def register_cli(app: Flask):
    from app.accounts.cli import users_cli
    from app.catalog.cli import courses_cli
    from app.certificates.cli import certificates_cli
    from app.core.background_cli import background_cli
    from app.core.cli import translate_cli
    from app.organisations.cli import demo_cli, organisations_cli

    groups = (translate_cli, users_cli, organisations_cli, courses_cli, certificates_cli, demo_cli, background_cli)
    for group in groups:
        app.cli.add_command(group)


def _import_models():
    """Every model module, so the metadata (and Alembic's autogenerate) sees every table."""
    from app.accounts import models as _accounts  # noqa: F401
    from app.catalog import models as _catalog  # noqa: F401
    from app.certificates import models as _certificates  # noqa: F401
    from app.core import audit as _audit  # noqa: F401
    from app.core import mail as _mail  # noqa: F401
    from app.learning import models as _learning  # noqa: F401
    from app.organisations import models as _organisations  # noqa: F401
