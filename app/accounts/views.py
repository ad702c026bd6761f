"""Routes for sign-up, sign-in, second factor, confirming it's you, passwords and the profile."""

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import bp, mfa, reauthentication, services, tasks
from app.accounts.forms import (
    ChangePasswordForm,
    ConfirmIdentityForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
    ResetPasswordForm,
    SecondFactorForm,
    SetupSecondFactorForm,
)
from app.accounts.ratelimits import (
    login_limits,
    reauthentication_limits,
    register_limits,
    reset_limits,
    second_factor_limits,
)
from app.accounts.reauthentication import recently_confirmed
from app.accounts.sessions import account_by_session_token
from app.core import audit
from app.core.database import writes
from app.core.forms import ConfirmForm
from app.core.i18n import LANGUAGE_COOKIE, remember_language
from app.core.ratelimit import client_address
from app.core.urls import safe_next
from app.extensions import db
from app.organisations import queries as organisation_queries
from app.organisations import services as organisation_services
from app.organisations.permissions import can_open_admin

PENDING_SECOND_FACTOR = "pending_second_factor"
PENDING_TOTP_SECRET = "pending_totp_secret"  # noqa: S105 - a session key name
# The address to fill in at the next sign-in, after confirming it or choosing a new password in this browser.
SIGN_IN_EMAIL = "sign_in_email"
# Where a person was going when they chose to create an account, for after their first sign-in.
AFTER_FIRST_SIGN_IN = "after_first_sign_in"


@bp.route("/register", methods=["GET", "POST"])
@register_limits
@writes
def register():
    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = RegistrationForm()
    if request.method == "GET":
        form.locale.data = request.cookies.get(LANGUAGE_COOKIE) or "es"
        going_to = safe_next(request.args.get("next"), "")
        if going_to:
            session[AFTER_FIRST_SIGN_IN] = going_to
    if form.validate_on_submit():
        user = services.register(
            email=form.email.data,
            display_name=form.display_name.data,
            password=form.password.data,
            locale=form.locale.data,
        )
        if user is not None and form.account_type.data == "business":
            organisation_services.join_company(user, name=form.company_name.data, ruc=form.ruc.data)
        db.session.commit()
        return redirect(url_for("accounts.check_email"))
    return render_template("accounts/register.html", form=form)


@bp.get("/register/check-email")
def check_email():
    return render_template("accounts/check_email.html")


@bp.route("/verify-email/<token>", methods=["GET", "POST"])
@writes
def verify_email(token):
    form = ConfirmForm()
    # The link only shows a button: opening it (or a mail scanner prefetching it) changes nothing.
    if request.method == "GET" and not services.is_valid_verification_token(token):
        flash(_("This confirmation link is not valid or has expired. Sign in to get a new one."), "error")
        return redirect(url_for("accounts.login"))
    if form.validate_on_submit():
        try:
            user = services.verify_email(token)
        except services.AccountError as exc:
            flash(str(exc), "error")
            return redirect(url_for("accounts.login"))
        db.session.commit()
        flash(_("Your e-mail address is confirmed. You can sign in now."), "success")
        return _to_sign_in(user.email, next_url=session.pop(AFTER_FIRST_SIGN_IN, None))
    return render_template("accounts/verify_email.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@login_limits
@writes
def login():
    if current_user.is_authenticated:
        return redirect(_after_login_url())
    form = LoginForm()
    if request.method == "GET" and session.get(SIGN_IN_EMAIL):
        form.email.data = session.pop(SIGN_IN_EMAIL)
    if form.validate_on_submit():
        outcome, user = services.authenticate(form.email.data, form.password.data)
        if outcome != services.LoginOutcome.OK or user.has_second_factor:
            db.session.commit()  # the refusal's audit event, or nothing yet until the second factor
        if outcome == services.LoginOutcome.UNVERIFIED:
            flash(_("Confirm your e-mail address first: we have sent you a new link."), "warning")
            return render_template("accounts/login.html", form=form)
        if outcome != services.LoginOutcome.OK:
            form.password.errors.append(_("The e-mail address or the password is not correct."))
            return render_template("accounts/login.html", form=form, failed=True)
        if user.has_second_factor:
            session.clear()
            session[PENDING_SECOND_FACTOR] = {
                "token": user.session_token,
                "remember": bool(form.remember.data),
                "next": request.args.get("next"),
            }
            return redirect(url_for("accounts.second_factor"))
        return _complete_login(user, remember=form.remember.data, next_url=request.args.get("next"))
    return render_template("accounts/login.html", form=form)


@bp.route("/login/code", methods=["GET", "POST"])
@second_factor_limits
@writes
def second_factor():
    pending = session.get(PENDING_SECOND_FACTOR)
    user = _pending_user(pending)
    if user is None:
        return redirect(url_for("accounts.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        method = mfa.verify_second_factor(user, form.code.data)
        if method is None:
            audit.record("login.failure", actor=user, outcome="failure", details={"reason": "second_factor"})
            db.session.commit()
            form.code.errors.append(_("That code is not correct. Enter the current code from your app."))
            return render_template("accounts/second_factor.html", form=form)
        return _complete_login(
            user, remember=pending.get("remember"), next_url=pending.get("next"), method=f"password+{method}"
        )
    return render_template("accounts/second_factor.html", form=form)


@bp.post("/logout")
@login_required
@writes
def logout():
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("public.home"))
    services.log_out(current_user.record)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("public.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@reset_limits
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        tasks.send_password_reset(form.email.data, ip=client_address())
        flash(
            _(
                "If an account uses that address, we have sent it a link to reset the password. "
                "It is valid for one hour."
            ),
            "success",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@writes
def reset_password(token):
    try:
        services.user_for_reset_token(token)
    except services.AccountError as exc:
        flash(str(exc), "error")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.password.data)
        except services.AccountError as exc:
            form.password.errors.append(str(exc))
            return render_template("accounts/reset_password.html", form=form)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("Your password has been changed. Sign in with the new one."), "success")
        return _to_sign_in(user.email)
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
@writes
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(current_user.record, display_name=form.display_name.data, locale=form.locale.data)
        db.session.commit()
        flash(_("Your profile has been saved."), "success")
        response = redirect(url_for("accounts.profile"))
        remember_language(response, current_user.record.locale)
        return response
    return render_template(
        "accounts/profile.html",
        form=form,
        second_factor_required=mfa.second_factor_required(current_user),
        open_invitations=organisation_queries.count_open_invitations(current_user.id),
    )


@bp.route("/account/confirm", methods=["GET", "POST"])
@login_required
@reauthentication_limits
@writes
def confirm_identity():
    recovery_code = request.args.get("use") == "recovery-code"
    form = ConfirmIdentityForm()
    form.ask_for(second_factor=current_user.has_second_factor, recovery_code=recovery_code)
    if form.validate_on_submit():
        code = form.code.data if "code" in form else None
        try:
            reauthentication.confirm_identity(current_user, password=form.password.data, code=code)
        except reauthentication.NotConfirmed as exc:
            db.session.commit()  # the refusal's audit event
            form[exc.field].errors.append(str(exc))
        else:
            db.session.commit()
            reauthentication.mark_confirmed(current_user)
            return redirect(safe_next(request.args.get("next"), url_for("accounts.profile")))
    return render_template(
        "accounts/confirm_identity.html", form=form, recovery_code=recovery_code, next=request.args.get("next")
    )


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@recently_confirmed
@writes
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user.record
        confirmed_at = reauthentication.confirmed_at(current_user)
        try:
            services.change_password(user, new=form.password.data)
        except services.AccountError as exc:
            form.password.errors.append(str(exc))
            return render_template("accounts/change_password.html", form=form)
        db.session.commit()
        # Every other session has ended; this one continues under the new session token, still confirmed
        # for what is left of its window.
        session.clear()
        login_user(user)
        reauthentication.mark_confirmed(user, at=confirmed_at)
        flash(_("Your password has been changed. You have been signed out on every other device."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/account/second-factor", methods=["GET", "POST"])
@login_required
@recently_confirmed
@writes
def setup_second_factor():
    if current_user.has_second_factor:
        return redirect(url_for("accounts.profile"))
    secret = session.get(PENDING_TOTP_SECRET) or mfa.new_totp_secret()
    session[PENDING_TOTP_SECRET] = secret
    form = SetupSecondFactorForm()
    if form.validate_on_submit():
        try:
            codes = mfa.enable_totp(current_user.record, secret, form.code.data)
        except services.AccountError as exc:
            form.code.errors.append(str(exc))
        else:
            db.session.commit()
            session.pop(PENDING_TOTP_SECRET, None)
            flash(_("The second factor is on. Keep your recovery codes somewhere safe."), "success")
            return render_template("accounts/recovery_codes.html", codes=codes)
    uri = mfa.provisioning_uri(current_user, secret)
    return render_template(
        "accounts/setup_second_factor.html",
        form=form,
        secret=secret,
        qr_code=mfa.qr_code_data_uri(uri),
        required=mfa.second_factor_required(current_user),
    )


@bp.route("/account/second-factor/recovery-codes", methods=["GET", "POST"])
@login_required
@recently_confirmed
@writes
def replace_recovery_codes():
    if not current_user.has_second_factor:
        return redirect(url_for("accounts.profile"))
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("accounts/replace_recovery_codes.html", form=form)
    codes = mfa.replace_recovery_codes(current_user.record)
    db.session.commit()
    flash(_("New recovery codes have been made; the old ones no longer work."), "success")
    return render_template("accounts/recovery_codes.html", codes=codes)


@bp.route("/account/second-factor/disable", methods=["GET", "POST"])
@login_required
@recently_confirmed
@writes
def disable_second_factor():
    if not current_user.has_second_factor:
        return redirect(url_for("accounts.profile"))
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            mfa.disable_totp(current_user.record)
        except services.AccountError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("The second factor is off."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template(
        "accounts/disable_second_factor.html", form=form, required=mfa.second_factor_required(current_user)
    )


def _complete_login(user, *, remember, next_url, method="password"):
    # A fresh session at sign-in: nothing an attacker planted before it survives.
    session.clear()
    login_user(user, remember=bool(remember))
    # Signing in is a confirmation: no one is asked for the password again straight after giving it.
    reauthentication.mark_confirmed(user)
    services.record_login(user, method=method)
    db.session.commit()
    response = redirect(safe_next(next_url, _after_login_url()))
    remember_language(response, user.locale)
    return response


def _to_sign_in(email: str, *, next_url: str | None = None):
    """The sign-in page with *email* filled in (kept in the session, never in the address, which logs and
    referrers would keep), going on to *next_url* once signed in."""
    session[SIGN_IN_EMAIL] = email
    going_to = safe_next(next_url, "")
    return redirect(url_for("accounts.login", next=going_to) if going_to else url_for("accounts.login"))


def _pending_user(pending):
    if not isinstance(pending, dict):
        return None
    return account_by_session_token(pending.get("token"))


def _after_login_url():
    # Someone invited to a role, who may have just chosen their first password, answers that first.
    if organisation_queries.count_open_invitations(current_user.id):
        return url_for("accounts.list_invitations")
    if can_open_admin(current_user):
        return url_for("admin.dashboard")
    return url_for("learning.my_learning")
