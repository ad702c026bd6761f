"""Rate limits on sign-in, second factor, reset and sign-up: per address and per account, before any hashing."""

import logging

from flask import current_app, request

from app.extensions import limiter

log = logging.getLogger("academy.security")


def _account_key(prefix):
    def key():
        submitted = (request.form.get("email") or "").strip().lower()[:254]
        return f"{prefix}:{submitted}"

    return key


def _pending_account_key():
    from flask import session

    pending = session.get("pending_second_factor") or {}
    return f"second-factor:{pending.get('token', '') if isinstance(pending, dict) else ''}"


def _on_breach(limit):
    from app.core import audit
    from app.extensions import db

    email = (request.form.get("email") or "").strip().lower()[:254] or None
    db.session.rollback()
    audit.record(
        "login.throttled" if request.endpoint != "accounts.forgot_password" else "reset.throttled",
        actor_label=email,
        outcome="denied",
        details={"endpoint": request.endpoint, "limit": str(limit.limit)},
    )
    db.session.commit()
    log.warning("rate limit reached on %s for %s", request.endpoint, email or request.remote_addr)


def _config(name):
    return lambda: current_app.config[name]


def _chain(*decorators):
    def apply(view):
        for decorator in reversed(decorators):
            view = decorator(view)
        return view

    return apply


login_limits = _chain(
    limiter.limit(_config("RATELIMIT_LOGIN_PER_IP"), methods=["POST"], on_breach=_on_breach),
    limiter.limit(
        _config("RATELIMIT_LOGIN_PER_ACCOUNT"), methods=["POST"], key_func=_account_key("login"), on_breach=_on_breach
    ),
)
second_factor_limits = _chain(
    limiter.limit(_config("RATELIMIT_LOGIN_PER_IP"), methods=["POST"], on_breach=_on_breach),
    limiter.limit(
        _config("RATELIMIT_LOGIN_PER_ACCOUNT"), methods=["POST"], key_func=_pending_account_key, on_breach=_on_breach
    ),
)
reset_limits = _chain(
    limiter.limit(_config("RATELIMIT_RESET_PER_IP"), methods=["POST"], on_breach=_on_breach),
    limiter.limit(
        _config("RATELIMIT_RESET_PER_ACCOUNT"), methods=["POST"], key_func=_account_key("reset"), on_breach=_on_breach
    ),
)
register_limits = limiter.limit(_config("RATELIMIT_REGISTER_PER_IP"), methods=["POST"])
