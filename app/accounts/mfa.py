"""The second factor: TOTP apps (with a QR code to scan; secrets stored encrypted) and one-time recovery codes."""

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts import totp_keys
from app.accounts.models import RecoveryCode, User
from app.accounts.services import AccountError
from app.core import audit
from app.core.models import utcnow
from app.extensions import db
from app.organisations.roles import ROLES_REQUIRING_SECOND_FACTOR

RECOVERY_CODE_COUNT = 10
TOTP_STEP_SECONDS = 30


def second_factor_required(user) -> bool:
    """Staff with power over others must use a second factor; for everyone else it is a choice."""
    return bool(user.active_roles & ROLES_REQUIRING_SECOND_FACTOR)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=current_app.config["TOTP_ISSUER"])


def qr_code_data_uri(uri: str) -> str:
    """An SVG QR code as a data: URI, so the page needs no request to anyone else."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, dark="#1B1B1B", light="#FFFFFF")


def enable_totp(user, secret: str, code: str) -> list[str]:
    """Turn on TOTP once the user proves their app works; returns fresh recovery codes to show once."""
    step = _matching_step(secret, code, last_step=None)
    if step is None:
        raise AccountError(_("That code is not correct. Check the time on your phone and enter the current code."))
    user.totp_secret = totp_keys.encrypt(secret)
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    codes = replace_recovery_codes(user)
    audit.record("account.second_factor_enabled", actor=user, target=user)
    db.session.flush()
    return codes


def disable_totp(user):
    if second_factor_required(user):
        raise AccountError(_("Your role requires a second factor, so it cannot be turned off."))
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    user.recovery_codes.clear()
    audit.record("account.second_factor_disabled", actor=user, target=user)
    db.session.flush()


def replace_recovery_codes(user) -> list[str]:
    """Make new recovery codes, invalidating the old ones; only their hashes are stored."""
    codes = [_format_recovery_code(secrets.token_hex(5)) for _ in range(RECOVERY_CODE_COUNT)]
    user.recovery_codes.clear()
    user.recovery_codes.extend(RecoveryCode(code_hash=_hash_code(code)) for code in codes)
    db.session.flush()
    return codes


def verify_second_factor(user, code: str) -> str | None:
    """Accept a current TOTP code (each once) or an unused recovery code; returns which, or None."""
    code = (code or "").strip().replace(" ", "").lower()
    if not user.has_second_factor or not code or len(code) > 32:
        return None
    if code.isdigit() and len(code) == 6:
        step = _matching_step(totp_keys.decrypt(user.totp_secret), code, last_step=user.totp_last_step)
        if step is None:
            return None
        user.totp_last_step = step
        db.session.flush()
        return "totp"
    wanted = _hash_code(_format_recovery_code(code.replace("-", "")))
    for recovery in user.recovery_codes:
        if recovery.used_at is None and hmac.compare_digest(recovery.code_hash, wanted):
            recovery.used_at = utcnow()
            audit.record("account.recovery_code_used", actor=user, target=user)
            db.session.flush()
            return "recovery_code"
    return None


def reencrypt_totp_secrets() -> int:
    """Encrypt every stored TOTP secret again under the newest key, so that the older keys can be retired;
    returns how many. A secret that no key opens stops it (TotpKeyError, naming the account)."""
    keys = totp_keys.current_keys()
    users = db.session.scalars(select(User).where(User.totp_secret.is_not(None)).order_by(User.id)).all()
    for user in users:
        try:
            user.totp_secret = keys.rotate(user.totp_secret)
        except totp_keys.TotpKeyError as exc:
            raise totp_keys.TotpKeyError(f"user {user.id}: {exc}") from exc
    db.session.flush()
    return len(users)


def _matching_step(secret: str, code: str, *, last_step: int | None) -> int | None:
    """The time step (±1 for clock drift) whose code matches, if it is newer than the last one used."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now_step = int(time.time()) // TOTP_STEP_SECONDS
    for step in (now_step - 1, now_step, now_step + 1):
        if hmac.compare_digest(totp.at(step * TOTP_STEP_SECONDS), code) and (last_step is None or step > last_step):
            return step
    return None


def _format_recovery_code(raw: str) -> str:
    raw = raw.lower()
    return f"{raw[:5]}-{raw[5:]}"


def _hash_code(code: str) -> str:
    # Recovery codes carry 40 random bits and are single-use, so a fast hash is enough.
    return hashlib.sha256(code.encode()).hexdigest()
