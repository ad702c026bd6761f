"""Issuing, re-issuing, revoking certificates and keeping their PDFs. Services flush, views commit."""

import functools
import hashlib
import threading
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from stdnum.pe import ruc as ruc_number

from app.certificates import pdf, serials, tasks, types
from app.certificates.models import Certificate, CertificateDocument, IssuedFile
from app.certificates.pdf import sheets
from app.certificates.signing import credentials
from app.core import audit
from app.core.database import call_after_commit
from app.core.models import utcnow
from app.core.text import clean_line
from app.extensions import db

NAME_MAX = 200
# PDFs drawn at once per process (SECURITY.md row 24: bounded concurrency for expensive work).
_drawing = threading.BoundedSemaphore(2)
REASON_MAX = 500


class CertificateError(ValueError):
    """A refused certificate action; the message is shown to the person who asked."""


@dataclass(frozen=True)
class Holder:
    """Who a certificate names: a person (user) or a company (organisation with its RUC)."""

    name: str
    language: str
    user: object = None
    organisation: object = None
    ruc: str | None = None

    @property
    def key(self) -> str:
        return f"org:{self.organisation.id}" if self.organisation is not None else f"user:{self.user.id}"


def issue_for_enrolment(enrolment) -> Certificate | None:
    """The certificate a completed enrolment earns, once; None when the course gives none by itself."""
    certificate_type = enrolment.version.meta["certificate"]["type"]
    if certificate_type == "none" or certificate_type in types.ISSUED_BY_ADMIN:
        return None
    user = enrolment.user
    holder = Holder(name=user.display_name, language=user.locale, user=user)
    return _issue(certificate_type, holder, enrolment.course, enrolment.version, enrolment=enrolment)


def issue_by_admin(admin, course, *, user=None, organisation=None) -> Certificate:
    """The two types whose rules come with later journeys (trainer practicum, company commitment), audited."""
    certificate_type = course.current_version.meta["certificate"]["type"]
    if certificate_type == "none":
        raise CertificateError(_("This course gives no certificate."))
    if certificate_type not in types.ISSUED_BY_ADMIN:
        raise CertificateError(_("This course's certificate is issued when the learner completes it."))
    if certificate_type in types.ISSUED_TO_COMPANY:
        if organisation is None or not organisation.ruc:
            raise CertificateError(_("Choose the company: this certificate is issued to a company."))
        ruc = validate_ruc(organisation.ruc)
        holder = Holder(name=organisation.name, language="es", organisation=organisation, ruc=ruc)
    else:
        if user is None:
            raise CertificateError(_("Choose the person who receives the certificate."))
        holder = Holder(name=user.display_name, language=user.locale, user=user)
    existing = _current(holder.key, course.id, 1)
    if existing is not None:
        raise CertificateError(
            _("This holder already has this certificate: %(serial)s.", serial=serials.display(existing.serial))
        )
    certificate = _issue(certificate_type, holder, course, course.current_version, issued_by=admin)
    audit.record(
        "certificate.issued_by_admin",
        actor=admin,
        target=certificate,
        details={"serial": certificate.serial, "type": certificate_type, "holder": holder.key},
    )
    return certificate


def revoke(certificate, admin, reason: str) -> None:
    reason = clean_line(reason or "")[:REASON_MAX]
    if not reason:
        raise CertificateError(_("Give the reason for revoking: it is shown to whoever checks the certificate."))
    if certificate.revoked_at is not None:
        raise CertificateError(_("This certificate is already revoked."))
    certificate.revoked_at = utcnow()
    certificate.revocation_reason = reason
    certificate.revoked_by_id = admin.id
    audit.record(
        "certificate.revoked", actor=admin, target=certificate, details={"serial": certificate.serial, "reason": reason}
    )
    db.session.flush()


def correct_name(certificate, admin, new_name: str) -> Certificate:
    """A new certificate with the corrected name; the old serial then answers "superseded by" the new one."""
    new_name = clean_holder_name(new_name)
    if certificate.superseded_by_id is not None:
        raise CertificateError(_("This certificate was already replaced; correct the newest one."))
    if certificate.revoked_at is not None:
        raise CertificateError(_("A revoked certificate cannot be re-issued."))
    if new_name == certificate.holder_name:
        raise CertificateError(_("The new name is the same as the one on the certificate."))
    holder = Holder(
        name=new_name,
        language=certificate.language,
        user=certificate.user,
        organisation=certificate.organisation,
        ruc=certificate.holder_ruc,
    )
    replacement = _issue(
        certificate.type,
        holder,
        certificate.course,
        certificate.version,
        enrolment=certificate.enrolment,
        cycle=certificate.cycle,
        generation=certificate.generation + 1,
        valid_from=certificate.valid_from,
        valid_until=certificate.valid_until,
        issued_by=admin,
        predecessor=certificate,
    )
    certificate.superseded_by_id = replacement.id
    certificate.superseded_at = utcnow()
    audit.record(
        "certificate.reissued",
        actor=admin,
        target=certificate,
        details={"serial": certificate.serial, "replacement": replacement.serial, "old_name": certificate.holder_name},
    )
    db.session.flush()
    return replacement


def document(certificate, language: str) -> CertificateDocument:
    """The stored PDF in *language* of a signed certificate (finishing.finish signs one that is not yet);
    drawn the first time it is asked for, then re-served as is."""
    if not certificate.is_signed:
        raise ValueError(f"certificate {certificate.serial} is not signed yet: finish it first")
    for existing in certificate.documents:
        if existing.language == language:
            return existing
    return store_pdf(certificate, language, draw_pdf(certificate, language))


def regenerate(certificate) -> int:
    """Redraw every stored PDF of the certificate with the current template; returns how many."""
    redrawn = 0
    for stored in certificate.documents:
        if stored.template_version == pdf.TEMPLATE_VERSION:
            continue
        data = draw_pdf(certificate, stored.language)
        stored.pdf = data
        stored.sha256 = _remember(certificate, data)
        stored.template_version = pdf.TEMPLATE_VERSION
        stored.rendered_at = utcnow()
        redrawn += 1
    db.session.flush()
    return redrawn


def clean_holder_name(name: str) -> str:
    name = clean_line(name or "")
    if not name:
        raise CertificateError(_("Enter the name as it should appear on the certificate."))
    if len(name) > NAME_MAX:
        raise CertificateError(
            ngettext(
                "The name is too long: at most %(number)s character.",
                "The name is too long: at most %(number)s characters.",
                NAME_MAX,
                number=format_number(NAME_MAX),
            )
        )
    return name


def validate_ruc(value: str) -> str:
    try:
        return ruc_number.validate(value)
    except Exception as error:  # stdnum raises several ValidationError subclasses
        raise CertificateError(_("The RUC is not valid: check its 11 digits.")) from error


def _issue(
    certificate_type,
    holder: Holder,
    course,
    version,
    *,
    enrolment=None,
    cycle=None,
    generation=1,
    valid_from=None,
    valid_until=None,
    issued_by=None,
    predecessor=None,
) -> Certificate:
    cycle = cycle or (enrolment.cycle if enrolment is not None else 1)
    now = utcnow()
    valid_from = valid_from or now
    if valid_until is None and predecessor is None:
        months = version.meta["certificate"].get("validity_months")
        valid_until = valid_from + relativedelta(months=months) if months else None
    certificate = Certificate(
        serial=serials.new_serial(),
        type=certificate_type,
        holder_key=holder.key,
        user_id=holder.user.id if holder.user is not None else None,
        organisation_id=holder.organisation.id if holder.organisation is not None else None,
        course_id=course.id,
        version_id=version.id,
        enrolment_id=enrolment.id if enrolment is not None else None,
        cycle=cycle,
        generation=generation,
        holder_name=clean_holder_name(holder.name),
        holder_ruc=holder.ruc,
        language=holder.language if holder.language in ("es", "en") else "es",
        hours=float(version.meta["estimated_hours"]),
        issued_at=now,
        valid_from=valid_from,
        valid_until=valid_until,
        issued_by_id=issued_by.id if issued_by is not None else None,
        identity_salt=credentials.new_identity_salt(),
        # Signed once this transaction commits (certificates.finishing): signing needs the row's id, its
        # place in the status list, and nothing the person completing the course waits for.
        credential="",
        key_id="",
    )
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
            db.session.flush()
    except IntegrityError as error:
        existing = _current(holder.key, course.id, cycle)
        if existing is None or generation != 1:
            raise CertificateError(
                _("This certificate was just issued by another request; reload the page.")
            ) from error
        return existing
    # The row was inserted with these ids: attached as loaded, they leave the next flush nothing to do.
    set_committed_value(certificate, "course", course)
    set_committed_value(certificate, "version", version)
    # Signed and drawn by the worker once this transaction has committed (see certificates.finishing).
    call_after_commit(functools.partial(tasks.finish_certificate, certificate.id))
    return certificate


def store_pdf(certificate, language: str, data: bytes) -> CertificateDocument:
    """Keep a drawn PDF; if another process stored this language first, theirs is kept."""
    for existing in certificate.documents:
        if existing.language == language:
            return existing
    try:
        with db.session.begin_nested():
            return _store(certificate, language, data)
    except IntegrityError:
        db.session.expire(certificate, ["documents"])
        return next(existing for existing in certificate.documents if existing.language == language)


def _store(certificate, language: str, data: bytes) -> CertificateDocument:
    stored = CertificateDocument(
        certificate=certificate,
        language=language,
        pdf=data,
        sha256=_remember(certificate, data),
        template_version=pdf.TEMPLATE_VERSION,
    )
    db.session.add(stored)
    db.session.flush()
    return stored


def draw_pdf(certificate, language: str) -> bytes:
    """The PDF's bytes, drawn now and not stored (see store_pdf)."""
    return render_sheet(sheets.sheet_for(certificate, language))


def render_sheet(sheet) -> bytes:
    """Drawing is CPU-bound: a burst of first downloads waits its turn instead of starving every page."""
    with _drawing:
        return pdf.render(sheet)


def _remember(certificate, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    if db.session.get(IssuedFile, digest) is None:
        db.session.add(IssuedFile(sha256=digest, certificate_id=certificate.id))
    return digest


def _current(holder_key: str, course_id: int, cycle: int) -> Certificate | None:
    return db.session.scalar(
        select(Certificate)
        .where(
            Certificate.holder_key == holder_key,
            Certificate.course_id == course_id,
            Certificate.cycle == cycle,
            Certificate.superseded_by_id.is_(None),
        )
        .order_by(Certificate.generation.desc())
        .limit(1)
    )


def identity_of(certificate) -> str:
    """What the credential's hashed identity is made from: the holder's e-mail, or the company's RUC."""
    if certificate.organisation_id is not None:
        return certificate.holder_ruc or ""
    return certificate.user.email
