"""Rate limits on sign-in, second factor, confirming it's you, reset and sign-up: per address and per account,
before any hashing."""

from flask import request, session
from flask_login import current_user

from app.core.ratelimit import rate_limited
from app.core.text import email_identity


def _submitted_email(prefix):
    # The same form of the address as the account lookup uses, however the attacker spells it.
    def key():
        return f"{prefix}:{email_identity(request.form.get('email') or '')}"

    return key


def _pending_account():
    pending = session.get("pending_second_factor") or {}
    return f"second-factor:{pending.get('token', '') if isinstance(pending, dict) else ''}"


def _signed_in_account():
    return f"reauthentication:{current_user.id}"


def _both(*decorators):
    def apply(view):
        for decorator in reversed(decorators):
            view = decorator(view)
        return view

    return apply


login_limits = _both(
    rate_limited("RATELIMIT_LOGIN_PER_IP", scope="login-ip", audit_action="login.throttled"),
    rate_limited(
        "RATELIMIT_LOGIN_PER_ACCOUNT", scope="login-account", key=_submitted_email("login"), audit_action="login.throttled"
    ),
)
second_factor_limits = _both(
    rate_limited("RATELIMIT_LOGIN_PER_IP", scope="second-factor-ip", audit_action="login.throttled"),
    rate_limited(
        "RATELIMIT_LOGIN_PER_ACCOUNT", scope="second-factor-account", key=_pending_account, audit_action="login.throttled"
    ),
)
# The same budget as signing in: a stolen session must not turn this page into a password-guessing oracle.
reauthentication_limits = _both(
    rate_limited("RATELIMIT_LOGIN_PER_IP", scope="reauthentication-ip", audit_action="reauthentication.throttled"),
    rate_limited(
        "RATELIMIT_LOGIN_PER_ACCOUNT",
        scope="reauthentication-account",
        key=_signed_in_account,
        audit_action="reauthentication.throttled",
    ),
)
reset_limits = _both(
    rate_limited("RATELIMIT_RESET_PER_IP", scope="reset-ip", audit_action="reset.throttled"),
    rate_limited(
        "RATELIMIT_RESET_PER_ACCOUNT", scope="reset-account", key=_submitted_email("reset"), audit_action="reset.throttled"
    ),
)
register_limits = rate_limited("RATELIMIT_REGISTER_PER_IP", scope="register-ip")
