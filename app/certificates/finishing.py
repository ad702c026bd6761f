"""Signing a new certificate's credential and drawing its PDF, after the transaction that issues it.

Issuing records the certificate (serial, holder, dates, its place in the status list) inside the
transaction that completes the course: that row is what makes it exist, exactly once. Signing (about
10 ms of JSON-LD canonicalisation) and drawing (about 30 ms) need nothing the learner is waiting for,
so they run once that transaction has committed, on the task worker (certificates.tasks). Whichever
comes first, a download that needs the credential or the PDF finishes the certificate on the spot, so
a holder never waits on the worker.
"""

from dataclasses import replace

from sqlalchemy import select

from app.certificates.models import Certificate
from app.core.database import write_transaction
from app.extensions import db


def finish(certificate_id: int):
    """The certificate, signed and with its PDF in the holder's language stored; does what is missing now.

    What to sign and draw is read first, as plain data; signing and drawing then run outside any
    transaction (a worker waiting for the CPU holds no snapshot that would keep SQLite's log from being
    checkpointed), and the result is stored in a short transaction that takes SQLite's write lock at
    BEGIN. Another process may finish the same certificate meanwhile: the credential stored first is
    kept, with the PDF drawn for it, so every copy handed out embeds it. A unit of work of its own, like
    a task or a CLI command: it commits.
    """
    from app.certificates import services
    from app.certificates.pdf import sheets
    from app.certificates.signing import credentials

    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or (certificate.is_signed and _has_document(certificate)):
        return certificate
    facts = None if certificate.is_signed else credentials.badge_facts(certificate, services.identity_of(certificate))
    sheet = None if _has_document(certificate) else sheets.sheet_for(certificate, certificate.language)
    credential, key_id = certificate.credential, certificate.key_id
    db.session.commit()  # ends the read: nothing is held while signing and drawing
    if facts is not None:
        credential, key_id = credentials.sign(facts)
    data = services.render_sheet(replace(sheet, attachment=credential.encode())) if sheet is not None else None
    with write_transaction():
        certificate = db.session.get(Certificate, certificate_id, populate_existing=True)
        if not certificate.is_signed:
            certificate.credential, certificate.key_id = credential, key_id
        elif certificate.credential != credential:
            data = None  # finished meanwhile elsewhere, with its own PDF
        db.session.expire(certificate, ["documents"])
        if data is not None:
            services.store_pdf(certificate, certificate.language, data)
        db.session.commit()
    return certificate


def unfinished_ids() -> list[int]:
    """Certificates issued but not yet signed, oldest first."""
    return list(db.session.scalars(select(Certificate.id).where(Certificate.credential == "").order_by(Certificate.id)))


def _has_document(certificate) -> bool:
    return any(document.language == certificate.language for document in certificate.documents)
