"""The public addresses a certificate points to, built from BASE_URL so that a background job writes the same ones a request would."""

from urllib.parse import urlencode

from flask import current_app
from flask_babel import force_locale

from app.certificates import queries, serials, types
from app.certificates.signing.issuer import ISSUER_NAME
from app.core.urls import public_url

LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def verification_url(serial: str) -> str:
    """The page that answers for *serial*: the QR code, the credential's id and every shared link."""
    return public_url("certificates.verify_serial", serial=serials.display(serial))


def status_list_url(list_number: int) -> str:
    return public_url("certificates.status_list", list_number=list_number)


def linkedin_add_url(certificate, language: str) -> str:
    """LinkedIn's documented "add to profile" link, filled in for the certificate: its name in *language*,
    the issuer, the issue and expiry months, the serial and the page that verifies it."""
    with force_locale(language):
        name = types.full_name(certificate.type, queries.course_title(certificate, language))
    fields = {
        "startTask": "CERTIFICATION_NAME",
        "name": name,
        "organizationName": ISSUER_NAME,
        "issueYear": certificate.valid_from.year,
        "issueMonth": certificate.valid_from.month,
    }
    if certificate.valid_until is not None:
        fields["expirationYear"] = certificate.valid_until.year
        fields["expirationMonth"] = certificate.valid_until.month
    fields["certUrl"] = verification_url(certificate.serial)
    fields["certId"] = serials.display(certificate.serial)
    return f"{LINKEDIN_ADD_TO_PROFILE}?{urlencode(fields)}"
