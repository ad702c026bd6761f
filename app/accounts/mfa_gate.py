"""Staff who must use a second factor are sent to set it up before anything else."""

from flask import redirect, request, url_for
from flask_login import current_user

from app.accounts.mfa import second_factor_required

# What a user may still reach before setting up the second factor.
ALLOWED_BEFORE_SETUP = frozenset(
    {
        "static",
        "accounts.setup_second_factor",
        # Setting it up needs a recent confirmation, which a remember-me cookie alone does not give.
        "accounts.confirm_identity",
        "accounts.logout",
        "public.set_language",
        "core.health_check",
        "public.home",
        "public.privacy",
    }
)


def require_second_factor_setup():
    if not current_user.is_authenticated or current_user.has_second_factor:
        return None
    if request.endpoint in ALLOWED_BEFORE_SETUP or not second_factor_required(current_user):
        return None
    return redirect(url_for("accounts.setup_second_factor"))
