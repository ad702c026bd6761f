"""Signing a new certificate's credential and drawing its PDF, after the transaction that issues it.

Issuing records the certificate (serial, holder, dates, its place in the status list) inside the
transaction that completes the course: that row is what makes it exist, exactly once. Signing (about
10 ms of JSON-LD canonicalisation) and drawing (about 30 ms) need nothing the learner is waiting for,
so they run once that transaction has committed:
- on the background runner (app.core.background), a process of its own beside the web workers at the
  lowest CPU priority, when the app is served with app/serving.py (make run, make bench);
- on a Celery worker when CELERY_BROKER_URL is set;
- else on one background thread of the process that issued it.
Whichever comes first, a download that needs the credential or the PDF finishes the certificate on
the spot (finish), so a holder never waits on the background. CERTIFICATE_PDF_AT_ISSUE = "inline"
finishes it inside the issuing transaction instead (the test suite).
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from flask import current_app, has_app_context
from sqlalchemy import select

from app.core.background import background_work, run_in_app_context
from app.core.database import call_after_commit, end_read_transaction, write_transaction
from app.extensions import db

log = logging.getLogger("academy.certificates")
# One certificate at a time per process: the work is CPU-bound, and pages matter more.
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="certificate-finish")
BATCH = 20
# Certificates this process failed to finish: not retried on every pass (a restart retries them, and a
# download tries again on the spot).
_failed: set[int] = set()


def after_commit(certificate_id: int) -> None:
    """Have the certificate signed and drawn once the current transaction commits (not if it rolls back)."""
    call_after_commit(lambda: _dispatch(certificate_id))


def finish_inline(certificate) -> None:
    """Sign and draw inside the current transaction (CERTIFICATE_PDF_AT_ISSUE = "inline")."""
    from app.certificates import services
    from app.certificates.signing import credentials

    certificate.credential, certificate.key_id = credentials.signed(certificate, services.identity_of(certificate))
    services.store_pdf(certificate, certificate.language, services.draw_pdf(certificate, certificate.language))


def finish(certificate_id: int):
    """The certificate, signed and with its PDF in the holder's language stored; does what is missing now.

    What to sign and draw is read first, as plain data; signing and drawing then run outside any
    transaction (a runner waiting for the CPU holds no snapshot that would keep SQLite's log from being
    checkpointed), and the result is stored in a short transaction that takes SQLite's write lock at
    BEGIN. Another process may finish the same certificate meanwhile: the credential stored first is
    kept, with the PDF drawn for it, so every copy handed out embeds it.
    """
    from app.certificates import services
    from app.certificates.models import Certificate
    from app.certificates.pdf import sheets
    from app.certificates.signing import credentials

    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or (certificate.is_signed and _has_document(certificate)):
        return certificate
    facts = None if certificate.is_signed else credentials.badge_facts(certificate, services.identity_of(certificate))
    sheet = None if _has_document(certificate) else sheets.sheet_for(certificate, certificate.language)
    credential, key_id = certificate.credential, certificate.key_id
    end_read_transaction()
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


@background_work
def finish_pending(limit: int = BATCH) -> int:
    """One pass of the background runner: finish up to *limit* certificates still unsigned; how many."""
    from app.certificates.models import Certificate

    pending = db.session.scalars(
        select(Certificate.id).where(Certificate.credential == "").order_by(Certificate.id).limit(limit + len(_failed))
    ).all()
    db.session.rollback()
    done = 0
    for certificate_id in [number for number in pending if number not in _failed][:limit]:
        if _finish_logged(certificate_id):
            done += 1
    return done


def wait(timeout: float | None = 300) -> None:
    """Wait until this process's thread has finished everything queued so far: a short-lived process (a
    CLI command) calls it before exiting, since queued work does not survive the interpreter's exit."""
    _executor.submit(lambda: None).result(timeout=timeout)


def _has_document(certificate) -> bool:
    return any(document.language == certificate.language for document in certificate.documents)


def _finish_logged(certificate_id: int) -> bool:
    try:
        finish(certificate_id)
        return True
    except Exception:
        db.session.rollback()
        _failed.add(certificate_id)
        log.exception("finishing certificate %s failed; its first download will try again", certificate_id)
        return False


def _dispatch(certificate_id: int) -> None:
    if not has_app_context():
        log.warning("certificate %s committed outside the app: the runner or its first download will finish it", certificate_id)
        return
    app = current_app._get_current_object()
    if app.config.get("CELERY_BROKER_URL"):
        from app.core.tasks import finish_certificate

        finish_certificate.delay(certificate_id)
    elif app.config.get("BACKGROUND_RUNNER"):
        return  # the runner finds it in the database on its next pass
    else:
        _executor.submit(run_in_app_context, app, _finish_logged, certificate_id)
