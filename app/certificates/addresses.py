"""The public addresses a certificate points to, built from BASE_URL so that a background job writes the same ones a request would."""

from flask import current_app

from app.certificates import serials
from app.core.urls import public_url


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def verification_url(serial: str) -> str:
    """The page that answers for *serial*: the QR code, the credential's id and every shared link."""
    return public_url("certificates.verify_serial", serial=serials.display(serial))


def status_list_url(list_number: int) -> str:
    return public_url("certificates.status_list", list_number=list_number)
