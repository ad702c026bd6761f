"""The public addresses a certificate points to, built from BASE_URL so that a background job writes the same ones a request would."""

from flask import current_app

from app.certificates import serials


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def verification_url(serial: str) -> str:
    """The page that answers for *serial*: the QR code, the credential's id and every shared link."""
    return f"{base_url()}/verify/{serials.display(serial)}"


def status_list_url(list_number: int) -> str:
    return f"{base_url()}/certificates/status/{list_number}"
