"""What create_app wires together: the one place that knows every domain (core/ knows none)."""

import logging
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.core import database, i18n
from app.core.urls import DatabaseIdConverter

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# A site served on this machine only is reached under any of these names; none can be reached from outside.
LOOPBACK_NAMES = ("127.0.0.1", "localhost")


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
    _configure_public_address(app)
    _configure_cookies(app)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(PROJECT_ROOT / "translations")
    if not app.config.get("COURSE_CONTENT_DIR"):
        app.config["COURSE_CONTENT_DIR"] = str(PROJECT_ROOT / "courses")
    if not app.config.get("MAIL_OUTBOX_DIR"):
        app.config["MAIL_OUTBOX_DIR"] = os.path.join(app.instance_path, "mail")
    hops, host_hops = app.config.get("PROXY_FIX_HOPS") or 0, app.config.get("PROXY_FIX_X_HOST") or 0
    if hops or host_hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=host_hops)
    database.configure(app)


def _configure_public_address(app: Flask):
    """BASE_URL is checked once, and the hosts a request may name follow from it unless TRUSTED_HOSTS says."""
    if not app.config.get("BASE_URL"):
        app.config["BASE_URL"] = _served_address(app.config.get("BIND") or "")
    base = urlsplit(app.config["BASE_URL"])
    if base.scheme not in ("http", "https") or not base.hostname or base.query or base.fragment:
        raise RuntimeError(f"BASE_URL must be the site's address, like https://academia.gob.pe (not {base.geturl()!r})")
    app.config["BASE_URL"] = base.geturl().rstrip("/")
    if app.config.get("TRUSTED_HOSTS") is None:
        hosts = [base.hostname]
        if base.hostname in LOOPBACK_NAMES:
            hosts += [name for name in LOOPBACK_NAMES if name != base.hostname]
        app.config["TRUSTED_HOSTS"] = hosts


def _served_address(bind: str) -> str:
    """The address `make run` serves on, as a URL: what a browser on this machine opens."""
    host, _, port = bind.rpartition(":")
    if not port.isdigit() or host.strip("[]") in ("", "0.0.0.0", "::"):  # noqa: S104 - refused, not bound
        # Every interface, or a Unix socket: no address in BIND that a phone or an e-mail could open.
        raise RuntimeError(f"BIND is {bind!r}: set BASE_URL to the address people open, like http://192.168.1.20:5000")
    return f"http://{host}:{port}"


def _configure_cookies(app: Flask):
    """Cookies are Secure, and the session cookie host-bound, whenever the site is served over HTTPS."""
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


def configure_extensions(app: Flask):
    from app.accounts.sessions import load_user_from_session
    from app.extensions import babel, compress, csrf, db, login_manager, migrate, rate_limits

    db.init_app(app)
    database.register(app)
    _import_models()
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True)
    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    compress.init_app(app)
    rate_limits.init_app(app)
    login_manager.init_app(app)
    # "basic": a session whose address or browser changes is marked not fresh rather than ended. "strong" would
    # sign out a phone each time its network changes, and end every session restored from the remember-me
    # cookie at its second request (Flask-Login gives that session no identifier). Sign-out, password
    # changes and disabling end sessions through the account's session token (accounts.sessions).
    login_manager.session_protection = "basic"
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.refresh_view = "accounts.login"
    login_manager.user_loader(load_user_from_session)


def register_blueprints(app: Flask):
    from app import accounts, admin, certificates, core, learning, public

    # Routes name row ids <id:...>; the converter must be known before the first rule is added.
    app.url_map.converters["id"] = DatabaseIdConverter
    for blueprint in (core.bp, public.bp, accounts.bp, learning.bp, certificates.bp, admin.bp):
        app.register_blueprint(blueprint)


def register_request_hooks(app: Flask):
    from app.accounts.mfa_gate import require_second_factor_setup
    from app.core import errors, headers

    app.before_request(errors.refuse_null_characters)
    app.before_request(require_second_factor_setup)
    app.after_request(headers.add_security_headers)
    errors.register_error_handlers(app)


def register_template_globals(app: Flask):
    """The permission functions themselves, so a hidden button and the server check cannot disagree."""
    from app import navigation
    from app.catalog.models import localised
    from app.certificates.permissions import can_manage_certificates
    from app.core.fragments import FragmentCache
    from app.core.links import link_urls
    from app.learning.permissions import can_view_item_statistics
    from app.organisations import permissions, roles

    i18n.register_template_helpers(app)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.add_extension(FragmentCache)
    app.jinja_env.filters["link_urls"] = link_urls
    app.jinja_env.globals.update(
        can_open_admin=permissions.can_open_admin,
        can_manage_members=permissions.can_manage_members,
        can_change_membership=permissions.can_change_membership,
        can_withdraw_invitation=permissions.can_withdraw_invitation,
        can_manage_organisations=permissions.can_manage_organisations,
        can_manage_accounts=permissions.can_manage_accounts,
        can_view_audit_log=permissions.can_view_audit_log,
        can_read_outbox=permissions.can_read_outbox,
        can_manage_certificates=can_manage_certificates,
        can_view_item_statistics=can_view_item_statistics,
        role_label=lambda role: roles.ROLE_LABELS.get(role, role),
        kind_label=lambda kind: roles.KIND_LABELS.get(kind, kind),
        localised=localised,
    )
    navigation.register(app)


def register_cli(app: Flask):
    from app import demo
    from app.accounts.cli import demo_cli, users_cli
    from app.catalog.cli import courses_cli
    from app.certificates.cli import certificates_cli
    from app.compliance.cli import compliance_cli
    from app.core.cli import translate_cli
    from app.organisations.cli import organisations_cli

    demo_cli.add_command(demo.show)
    for group in (translate_cli, users_cli, organisations_cli, courses_cli, certificates_cli, compliance_cli, demo_cli):
        app.cli.add_command(group)


def register_tasks(app: Flask):
    """Point the task queue at this app's storage and load every domain's tasks."""
    from app import tasks
    from app.accounts import tasks as _account_tasks  # noqa: F401
    from app.certificates import tasks as _certificate_tasks  # noqa: F401
    from app.core import mail as _mail_delivery  # noqa: F401

    tasks.configure(app)


def _import_models():
    """Every model module, so the metadata (and Alembic's autogenerate) sees every table."""
    from app.accounts import models as _accounts  # noqa: F401
    from app.catalog import models as _catalog  # noqa: F401
    from app.certificates import models as _certificates  # noqa: F401
    from app.compliance import models as _compliance  # noqa: F401
    from app.core import audit as _audit  # noqa: F401
    from app.core import mail as _mail  # noqa: F401
    from app.learning import models as _learning  # noqa: F401
    from app.organisations import models as _organisations  # noqa: F401
