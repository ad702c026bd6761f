"""The words on a certificate, in one language: what the layout places and the drawing draws."""

from dataclasses import dataclass

from flask_babel import force_locale, format_date, format_decimal
from flask_babel import gettext as _

from app.certificates import addresses, queries, serials, types
from app.certificates.pdf.attachment import CREDENTIAL_FILE
from app.certificates.signing.issuer import ISSUER_NAME


@dataclass(frozen=True, kw_only=True)
class CertificateSheet:
    """Everything printed on a certificate, already translated; render() only lays it out."""

    language: str  # "es" or "en", the PDF's /Lang
    heading: str
    presented_to: str
    holder_name: str
    holder_detail: str | None = None  # e.g. "RUC 20131312955" under a company's name
    statement: str
    facts: tuple[tuple[str, str], ...]  # (label, value): issue date, expiry, hours, serial...
    issuers: tuple[str, ...]
    serial: str
    verify_url: str  # exactly what the QR code encodes
    verify_caption: str
    title: str  # PDF metadata
    attachment: bytes  # the signed credential, for offline checking
    attachment_name: str = CREDENTIAL_FILE


def sheet_for(certificate, language: str) -> CertificateSheet:
    with force_locale(language):
        title = queries.course_title(certificate, language)
        hours = format_decimal(certificate.hours, format="#,##0.#")
        if certificate.type in types.ISSUED_TO_COMPANY:
            presented_to = _("awarded to the company")
            statement = _(
                "for completing the course “%(course)s” (%(hours)s hours) and committing to integrity "
                "in its dealings with the State.",
                course=title,
                hours=hours,
            )
        else:
            presented_to = _("awarded to")
            statement = _("for completing the course “%(course)s” (%(hours)s hours).", course=title, hours=hours)
        facts = [
            (_("Issued on"), format_date(certificate.valid_from, format="long")),
            (
                _("Valid until"),
                format_date(certificate.valid_until, format="long") if certificate.valid_until else _("No expiry"),
            ),
            (_("Serial"), serials.display(certificate.serial)),
        ]
        issuers = [ISSUER_NAME]
        if certificate.trainer_name:
            issuers.append(_("Trainer: %(name)s", name=certificate.trainer_name))
        if certificate.entity_name:
            issuers.append(_("Delivered by: %(entity)s", entity=certificate.entity_name))
        heading = types.heading(certificate.type)
        return CertificateSheet(
            language=language,
            heading=heading,
            presented_to=presented_to,
            holder_name=certificate.holder_name,
            holder_detail=_("RUC %(ruc)s", ruc=certificate.holder_ruc) if certificate.holder_ruc else None,
            statement=statement,
            facts=tuple(facts),
            issuers=tuple(issuers),
            serial=serials.display(certificate.serial),
            verify_url=addresses.verification_url(certificate.serial),
            verify_caption=_("Check this certificate at:"),
            title=f"{heading} — {certificate.holder_name}",
            attachment=certificate.credential.encode(),
        )
