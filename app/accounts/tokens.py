"""Signed, expiring tokens for e-mail verification and password reset."""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

VERIFY_EMAIL = "verify-email"
RESET_PASSWORD = "reset-password"  # noqa: S105 - a token purpose, not a secret


class InvalidToken(Exception):
    """The token is forged, expired or already used."""


def make_email_verification_token(user) -> str:
    return _serializer(VERIFY_EMAIL).dumps({"user": user.id, "email": user.email})


def read_email_verification_token(token: str) -> dict:
    max_age = current_app.config["EMAIL_VERIFICATION_MAX_AGE"].total_seconds()
    return _load(VERIFY_EMAIL, token, max_age)


def make_password_reset_token(user) -> str:
    """The token carries a fingerprint of the current password hash, so it dies once it is used."""
    return _serializer(RESET_PASSWORD).dumps({"user": user.id, "fp": password_fingerprint(user)})


def read_password_reset_token(token: str) -> dict:
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"].total_seconds()
    return _load(RESET_PASSWORD, token, max_age)


def password_fingerprint(user) -> str:
    return hashlib.sha256(f"{user.password_hash}|{user.session_token}".encode()).hexdigest()[:32]


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"academy-{purpose}")


def _load(purpose: str, token: str, max_age: float) -> dict:
    if not token or len(token) > 512:
        raise InvalidToken
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature) as exc:
        raise InvalidToken from exc
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        raise InvalidToken
    return data
