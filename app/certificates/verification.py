"""Public verification: what anyone may learn about a serial, and checking an uploaded PDF or credential."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.catalog.models import localised
from app.certificates import addresses, pdf, queries, serials, types
from app.certificates.models import Certificate, IssuedFile
from app.certificates.signing import credentials
from app.certificates.signing.issuer import ISSUER_NAME
from app.core.models import utcnow
from app.extensions import db

# A signed credential is a few kilobytes; anything much larger embedded in a PDF is not ours.
CREDENTIAL_MAX_BYTES = 64 * 1024

STATUS_LABELS = {
    "valid": _l("Valid"),
    "expired": _l("Expired"),
    "revoked": _l("Revoked"),
    "superseded": _l("Replaced by a newer certificate"),
    "unknown": _l("Not found"),
}

# Why an uploaded file is not a valid certificate, in words for whoever uploaded it.
REASONS = {
    "not-pdf": _l("The file is not a PDF or a credential file issued by the Academy."),
    "no-credential": _l("The PDF carries no signed credential: it was not issued by the Academy, or it was rebuilt."),
    "malformed": _l("The credential inside the file cannot be read."),
    "no-proof": _l("The credential carries no signature."),
    "unknown-key": _l("The credential was not signed by a key of the Academy."),
    "issuer-mismatch": _l("The credential names an issuer other than the one that signed it."),
    "wrong-cryptosuite": _l("The credential's signature uses a method the Academy does not use."),
    "bad-signature": _l("The credential's signature does not match its content: it has been altered."),
    "unknown-serial": _l("The credential is signed, but no certificate with its serial exists."),
    "credential-differs": _l("The credential differs from the one the Academy issued under that serial."),
    "pdf-modified": _l(
        "The credential inside is genuine, but the PDF itself was changed after it was issued: "
        "do not trust what the file shows."
    ),
    "too-large": _l("The file is too large to be a certificate."),
}


@dataclass(frozen=True)
class UploadCheck:
    certificate: Certificate | None
    reason: str | None

    @property
    def genuine(self) -> bool:
        return self.reason is None


def public_record(certificate, language: str) -> dict:
    """Only what the issue allows a stranger to see: no e-mail, no document number.

    *certificate* is a Certificate or the queries.PublicFacts read of one.
    """
    status_labels, headings = _labels(language)
    if certificate is None:
        return {"status": "unknown", "status_label": status_labels["unknown"]}
    status = certificate.status(utcnow())
    timezone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    issued_on, issued_on_text = _local_date(certificate.valid_from, language, timezone)
    valid_until, valid_until_text = (
        _local_date(certificate.valid_until, language, timezone) if certificate.valid_until else (None, None)
    )
    record = {
        "serial": serials.display(certificate.serial),
        "status": status,
        "status_label": status_labels[status],
        "holder": certificate.holder_name,
        "holder_ruc": certificate.holder_ruc,
        "certificate": headings[certificate.type],
        "programme": certificate.type,
        "course": localised(queries.version_title(certificate.version_id), language),
        "hours": certificate.hours,
        "issued_on": issued_on,
        "issued_on_text": issued_on_text,
        "valid_until": valid_until,
        "valid_until_text": valid_until_text,
        "issuer": ISSUER_NAME,
        "trainer": certificate.trainer_name,
        "entity": certificate.entity_name,
        "url": addresses.verification_url(certificate.serial),
    }
    if certificate.revoked_at is not None:
        record["revoked_on"], record["revoked_on_text"] = _local_date(certificate.revoked_at, language, timezone)
        record["revocation_reason"] = certificate.revocation_reason
    if certificate.superseded_by_serial is not None:
        record["superseded_by"] = serials.display(certificate.superseded_by_serial)
        record["superseded_by_url"] = addresses.verification_url(certificate.superseded_by_serial)
    return record


def check_upload(data: bytes) -> UploadCheck:
    """A PDF is genuine when its embedded credential is ours, matches the record, and the file is one we
    handed out byte for byte; a bare credential file when its signature and record match."""
    if data.startswith(b"%PDF-"):
        embedded = pdf.read_attachment(data, pdf.CREDENTIAL_FILE, CREDENTIAL_MAX_BYTES)
        if embedded is None:
            return UploadCheck(None, "no-credential")
        found = _check_credential(embedded)
        if found.reason is not None:
            return found
        digest = hashlib.sha256(data).hexdigest()
        known = db.session.get(IssuedFile, digest)
        if known is None or known.certificate_id != found.certificate.id:
            return UploadCheck(found.certificate, "pdf-modified")
        return found
    if data.lstrip()[:1] == b"{":
        if len(data) > CREDENTIAL_MAX_BYTES:
            return UploadCheck(None, "too-large")
        return _check_credential(data)
    return UploadCheck(None, "not-pdf")


def reason_text(reason: str) -> str:
    return str(REASONS.get(reason, REASONS["malformed"]))


def _check_credential(raw: bytes) -> UploadCheck:
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return UploadCheck(None, "malformed")
    verdict = credentials.check(document)
    if not verdict.valid:
        return UploadCheck(None, verdict.reason)
    credential_id = document.get("id") if isinstance(document, dict) else None
    serial_text = credential_id.rsplit("/", 1)[-1] if isinstance(credential_id, str) else ""
    serial = serials.normalise(serial_text)
    certificate = db.session.query(Certificate).filter_by(serial=serial).one_or_none() if serial else None
    if certificate is None:
        return UploadCheck(None, "unknown-serial")
    # A certificate not signed yet has handed out no credential, so none can be its genuine copy.
    if not certificate.is_signed or json.loads(certificate.credential) != document:
        return UploadCheck(None, "credential-differs")
    return UploadCheck(certificate, None)


def upload_message(check: UploadCheck) -> str:
    if check.genuine:
        return _("This file is a genuine certificate issued by the Academy.")
    return reason_text(check.reason)


@lru_cache(maxsize=8)
def _labels(language: str) -> tuple[dict, dict]:
    """The status labels and certificate headings in *language*, translated once per process."""
    with force_locale(language):
        return (
            {status: str(label) for status, label in STATUS_LABELS.items()},
            {kind: str(heading) for kind, heading in types.HEADINGS.items()},
        )


@lru_cache(maxsize=4096)
def _local_date(moment: datetime, language: str, timezone: str) -> tuple[str, str]:
    """A moment's date as people in Peru read it (a certificate issued at 8 p.m. in Lima is dated that
    day), as ISO and in words. Kept, since formatting a date in words costs more than the rest of the
    verification page and the same few dates come up again and again."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    day = moment.astimezone(ZoneInfo(timezone)).date()
    return day.isoformat(), format_date(day, format="long", locale=language)
