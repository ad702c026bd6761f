"""State changes for accounts: register, verify, authenticate, passwords, profile, disable."""

from flask_babel import force_locale, format_number, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts import passwords, tokens
from app.accounts.models import User
from app.accounts.sessions import end_all_sessions
from app.core import audit, text
from app.core.database import read_connection
from app.core.mail import send_mail
from app.core.models import utcnow
from app.core.text import clean_line
from app.core.urls import public_url
from app.extensions import db


class AccountError(Exception):
    """A refusal whose message is shown to the user as it is."""


class LoginOutcome:
    OK = "ok"
    BAD_CREDENTIALS = "bad_credentials"
    UNVERIFIED = "unverified"


def normalise_email(raw: str) -> str:
    """Lower-cased, syntax-checked address; raises AccountError with a translated message."""
    try:
        return text.normalise_email(raw)
    except text.InvalidEmail as exc:
        raise AccountError(str(exc)) from exc


def password_problems(password: str, *, email: str | None = None) -> list[str]:
    """Every rule the password breaks: length, a common password, or the e-mail itself. No composition rules."""
    from flask import current_app

    low, high = current_app.config["PASSWORD_MIN_LENGTH"], current_app.config["PASSWORD_MAX_LENGTH"]
    problems = []
    if len(password) < low:
        problems.append(
            ngettext(
                "Use at least %(number)s character.",
                "Use at least %(number)s characters.",
                low,
                number=format_number(low),
            )
        )
    if len(password) > high:
        problems.append(
            ngettext(
                "Use at most %(number)s character.",
                "Use at most %(number)s characters.",
                high,
                number=format_number(high),
            )
        )
    if passwords.is_common_password(password) or (email and password.strip().lower() == email.lower()):
        problems.append(
            _("This password is too common or easy to guess. Choose another one, such as a short sentence.")
        )
    return problems


def _sign_in_facts(email: str):
    with read_connection() as connection:
        return connection.execute(
            select(User.id, User.password_hash, User.is_active_account.label("is_active")).where(User.email == email)
        ).first()


def find_user_by_email(email: str):
    """The account of *email* however it is written; None for an address no account has, or no address."""
    try:
        email = text.normalise_email(email)
    except text.InvalidEmail:
        return None
    return db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()


def register(*, email: str, display_name: str, password: str, locale: str):
    """Create an unverified account and send the verification link.

    When the address already has an account we create nothing and e-mail its owner instead, so the
    page the visitor sees is the same either way. The password is hashed either way too, and before
    the address is looked up: the time taken says nothing, and no lock is held while hashing.
    Returns the new user, or None.
    """
    email = normalise_email(email)
    password_hash = passwords.hash_password(password)
    existing = find_user_by_email(email)
    if existing is None:
        user = User(email=email, display_name=clean_line(display_name), locale=locale, password_hash=password_hash)
        try:
            with db.session.begin_nested():
                db.session.add(user)
        except IntegrityError:
            # Another registration of the same address committed first.
            existing = find_user_by_email(email)
        else:
            audit.record("account.registered", actor=user, target=user)
            send_verification_email(user)
            return user
    if existing is not None:
        _send_existing_account_notice(existing)
    return None


def send_verification_email(user):
    link = public_url("accounts.verify_email", token=tokens.make_email_verification_token(user))
    with force_locale(user.locale):
        send_mail(
            user.email,
            _("Confirm your e-mail address"),
            _(
                "Hello %(name)s,\n\nTo activate your account at the Academia de Integridad, open this link "
                "and press the button on the page:\n\n%(link)s\n\nThe link is valid for 3 days. If you did "
                "not create an account, ignore this message.",
                name=user.display_name,
                link=link,
            ),
        )


def is_valid_verification_token(token: str) -> bool:
    """Whether the link is genuine and fresh, without using it."""
    try:
        tokens.read_email_verification_token(token)
    except tokens.InvalidToken:
        return False
    return True


def verify_email(token: str) -> User:
    """Mark the address as verified; the token must name the user's current address."""
    try:
        data = tokens.read_email_verification_token(token)
    except tokens.InvalidToken as exc:
        raise AccountError(_("This confirmation link is not valid or has expired. Sign in to get a new one.")) from exc
    user = db.session.get(User, data["user"])
    if user is None or user.email != data.get("email"):
        raise AccountError(_("This confirmation link is not valid or has expired. Sign in to get a new one."))
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        audit.record("account.email_verified", actor=user, target=user)
    db.session.flush()
    return user


def authenticate(email: str, password: str):
    """Return (outcome, user). Unknown addresses still cost one hash, so timing reveals nothing.

    What the check needs is read outside the session's transaction (read_connection), so the hash,
    tens of milliseconds, runs before a write_transaction() around the caller takes any lock.
    """
    try:
        email = normalise_email(email)
    except AccountError:
        email = ""
    facts = _sign_in_facts(email) if email else None
    hash_to_check = facts.password_hash if facts is not None and facts.is_active else None
    matches = passwords.verify_password(hash_to_check, password)
    user = db.session.get(User, facts.id) if facts is not None else None
    if not matches:
        audit.record(
            "login.failure",
            actor=user,
            actor_label=email or None,
            outcome="failure",
            details={"reason": "bad_credentials" if user is None or user.is_active else "disabled"},
        )
        return LoginOutcome.BAD_CREDENTIALS, None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    if not user.is_email_verified:
        audit.record("login.failure", actor=user, outcome="failure", details={"reason": "unverified"})
        send_verification_email(user)
        return LoginOutcome.UNVERIFIED, user
    return LoginOutcome.OK, user


def record_login(user, *, method: str = "password"):
    user.last_login_at = utcnow()
    audit.record("login.success", actor=user, target=user, details={"method": method})
    db.session.flush()


def log_out(user):
    """End every session of *user*, this one included."""
    end_all_sessions(user)
    audit.record("logout", actor=user, target=user)
    db.session.flush()


def change_password(user, *, new: str):
    """Set a new password and end every session. Its caller has had the user confirm it's them
    (accounts.reauthentication), which is where the current password is asked."""
    _set_password(user, new)
    audit.record("account.password_changed", actor=user, target=user)
    db.session.flush()


def request_password_reset(email: str, *, ip: str | None = None):
    """E-mail a reset link when the address has an active account; do nothing visible otherwise.

    The task worker runs this (accounts.tasks), so the request that asked does the same work for any address.
    """
    try:
        email = normalise_email(email)
    except AccountError:
        return
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        # Recorded too: someone trying addresses one after another shows in the audit log.
        audit.record(
            "account.password_reset_requested",
            actor_label=email,
            outcome="failure",
            details={"reason": "no_account"},
            ip=ip,
        )
        return
    link = public_url("accounts.reset_password", token=tokens.make_password_reset_token(user))
    with force_locale(user.locale):
        send_mail(
            user.email,
            _("Reset your password"),
            _(
                "Hello %(name)s,\n\nSomeone asked to reset the password of your account at the Academia de "
                "Integridad. To choose a new password, open this link within one hour:\n\n%(link)s\n\n"
                "The link works once. If you did not ask for this, ignore this message: your password "
                "has not changed.",
                name=user.display_name,
                link=link,
            ),
        )
    audit.record("account.password_reset_requested", actor=user, target=user, ip=ip)


def user_for_reset_token(token: str) -> User:
    """The user a reset token was made for, if the token is genuine, fresh and unused."""
    invalid = AccountError(_("This reset link is not valid, has expired or was already used. Ask for a new one."))
    try:
        data = tokens.read_password_reset_token(token)
    except tokens.InvalidToken as exc:
        raise invalid from exc
    user = db.session.get(User, data["user"])
    if user is None or not user.is_active or data.get("fp") != tokens.password_fingerprint(user):
        raise invalid
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    _set_password(user, new_password)
    # Whoever holds the mailbox has just proved it.
    user.email_verified_at = user.email_verified_at or utcnow()
    audit.record("account.password_reset", actor=user, target=user)
    db.session.flush()
    return user


def update_profile(user, *, display_name: str, locale: str):
    user.display_name = clean_line(display_name)
    user.locale = locale
    db.session.flush()


def create_staff_account(*, actor, email: str, display_name: str, password_hash: str, locale: str = "es") -> User:
    """An account made by staff for someone they invite; nobody knows its password.

    *password_hash* is the hash of a random password, computed by the caller whether or not an account
    turns out to be needed, so the time taken does not say which. The owner chooses a password through
    the link in their invitation (accounts.invitations), which also proves the address.
    """
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise AccountError(_("An account with this e-mail address already exists; add it as a member instead."))
    user = User(email=email, display_name=clean_line(display_name), locale=locale, password_hash=password_hash)
    db.session.add(user)
    db.session.flush()
    audit.record("account.created_by_staff", actor=actor, target=user)
    return user


def set_account_active(*, actor, user, active: bool):
    """Disable or re-enable an account; disabling ends all its sessions at once."""
    if user.id == getattr(actor, "id", None) and not active:
        raise AccountError(_("You cannot disable your own account."))
    user.is_active_account = active
    if not active:
        end_all_sessions(user)
    audit.record("account.enabled" if active else "account.disabled", actor=actor, target=user)
    db.session.flush()


def _set_password(user, new_password: str):
    problems = password_problems(new_password, email=user.email)
    if problems:
        raise AccountError(" ".join(problems))
    user.password_hash = passwords.hash_password(new_password)
    user.password_changed_at = utcnow()
    end_all_sessions(user)


def _send_existing_account_notice(user):
    link = public_url("accounts.login")
    reset = public_url("accounts.forgot_password")
    with force_locale(user.locale):
        send_mail(
            user.email,
            _("Someone tried to register with your e-mail address"),
            _(
                "Hello %(name)s,\n\nSomeone tried to create a new account at the Academia de Integridad with "
                "this e-mail address, which already has an account. If it was you, sign in here:\n\n%(login)s"
                "\n\nIf you forgot your password, reset it here:\n\n%(reset)s\n\nIf it was not you, you can "
                "ignore this message.",
                name=user.display_name,
                login=link,
                reset=reset,
            ),
        )
