"""The words on a certificate, in one language: what the layout places and the drawing draws."""

from dataclasses import dataclass

from flask_babel import force_locale, format_date, format_decimal
from flask_babel import gettext as _

from app.certificates import addresses, queries, serials, types
from app.certificates.pdf.attachment import CREDENTIAL_FILE
from app.certificates.pdf.fitting import clean
from app.certificates.signing.issuer import ISSUER_NAME

ACADEMY_NAME = "Academia de Integridad"  # a proper name, the same in every language


@dataclass(frozen=True, kw_only=True)
class CertificateSheet:
    """Everything printed on a certificate, already translated; render() only lays it out."""

    language: str  # "es" or "en", the PDF's /Lang
    heading: str
    presented_to: str
    holder_name: str
    holder_detail: str | None = None  # e.g. "RUC 20131312955" under a company's name
    statement: str
    facts: tuple[tuple[str, str], ...]  # (label, value): the issue date and the expiry
    academy: str  # printed over the first issuer
    issuers: tuple[str, ...]
    serial_label: str
    serial: str
    verify_url: str  # exactly what the QR code encodes
    how_to_verify: str  # a sentence that gives the address again, for whoever cannot scan the code
    title: str  # PDF metadata
    attachment: bytes  # the signed credential, for offline checking
    attachment_name: str = CREDENTIAL_FILE


def sheet_for(certificate, language: str) -> CertificateSheet:
    with force_locale(language):
        heading = types.heading(certificate.type)
        hours = format_decimal(certificate.hours, format="#,##0.#")
        statement = _statement(certificate, queries.course_title(certificate, language), heading, hours)
        presented_to = _("awarded to the company") if certificate.type in types.ISSUED_TO_COMPANY else _("awarded to")
        facts = [
            (_("Issued on"), format_date(certificate.valid_from, format="long")),
            (
                _("Valid until"),
                format_date(certificate.valid_until, format="long") if certificate.valid_until else _("No expiry"),
            ),
        ]
        issuers = [ISSUER_NAME]
        if certificate.trainer_name:
            issuers.append(_("Trainer: %(name)s", name=certificate.trainer_name))
        if certificate.entity_name:
            issuers.append(_("Delivered by: %(entity)s", entity=certificate.entity_name))
        verify_url = addresses.verification_url(certificate.serial)
        return CertificateSheet(
            language=language,
            heading=heading,
            presented_to=presented_to,
            holder_name=certificate.holder_name,
            holder_detail=_("RUC %(ruc)s", ruc=certificate.holder_ruc) if certificate.holder_ruc else None,
            statement=statement,
            facts=tuple(facts),
            academy=ACADEMY_NAME,
            issuers=tuple(issuers),
            serial_label=_("Serial"),
            serial=serials.display(certificate.serial),
            verify_url=verify_url,
            how_to_verify=_("Verify this certificate at %(address)s or by scanning the QR code.", address=verify_url),
            title=f"{heading} — {certificate.holder_name}",
            attachment=certificate.credential.encode(),
        )


def _statement(certificate, course: str, heading: str, hours: str) -> str:
    """What the holder did. The course is named unless the heading above already does: the citizen's course
    is called just as its certificate, and the page should not say "Ciudadano por la Integridad" twice."""
    company = certificate.type in types.ISSUED_TO_COMPANY
    if clean(course).casefold() == clean(heading).casefold():
        if company:
            return _(
                "for completing this course (%(hours)s hours) and committing to integrity in its dealings "
                "with the State.",
                hours=hours,
            )
        return _("for completing this course (%(hours)s hours).", hours=hours)
    if company:
        return _(
            "for completing the course “%(course)s” (%(hours)s hours) and committing to integrity "
            "in its dealings with the State.",
            course=course,
            hours=hours,
        )
    return _("for completing the course “%(course)s” (%(hours)s hours).", course=course, hours=hours)
