"""Drawing a new certificate's PDF right after the issuing transaction commits, off the request.

Issuing signs the credential inside the transaction that completes the course (a few milliseconds);
drawing the PDF costs several times that and needs nothing the learner is waiting for, so it runs
once the transaction has committed: on a Celery worker when CELERY_BROKER_URL is set, else on one
background thread per process. Until it is done (or if the process stops first), the first download
draws it instead (services.document), so a certificate is never without its PDF for long.
CERTIFICATE_PDF_AT_ISSUE = "inline" draws inside the issuing transaction instead (the test suite).
"""

import logging
from concurrent.futures import ThreadPoolExecutor

from flask import current_app, has_app_context

from app.core.database import call_after_commit, end_read_transaction, write_transaction
from app.extensions import db

log = logging.getLogger("academy.certificates")
# One drawing at a time per process: it is CPU-bound, and pages matter more.
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="certificate-pdf")


def after_commit(certificate_id: int, language: str) -> None:
    """Draw the PDF once the current transaction commits (nothing happens if it rolls back)."""
    call_after_commit(lambda: _dispatch(certificate_id, language))


def finish(timeout: float | None = 300) -> None:
    """Wait until this process has drawn everything queued so far: a short-lived process (a CLI command)
    calls it before exiting, since queued drawings do not survive the interpreter's exit."""
    _executor.submit(lambda: None).result(timeout=timeout)


def draw(certificate_id: int, language: str) -> None:
    """Draw and store one PDF now (an existing one is kept). Needs an app context.

    The drawing happens outside any transaction, and the write in a short one that takes SQLite's
    write lock at BEGIN: a busy database makes it wait, never fail half-way.
    """
    from app.certificates import services
    from app.certificates.models import Certificate

    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or any(document.language == language for document in certificate.documents):
        db.session.rollback()
        return
    data = services.draw_pdf(certificate, language)
    end_read_transaction()
    with write_transaction():
        certificate = db.session.get(Certificate, certificate_id, populate_existing=True)
        db.session.expire(certificate, ["documents"])
        services.store_pdf(certificate, language, data)
        db.session.commit()


def _draw_in_app(app, certificate_id: int, language: str) -> None:
    with app.app_context():
        try:
            draw(certificate_id, language)
        except Exception:
            log.exception("drawing the PDF of certificate %s failed; the first download will draw it", certificate_id)
        finally:
            db.session.remove()


def _dispatch(certificate_id: int, language: str) -> None:
    if not has_app_context():
        log.warning("certificate %s committed outside the app: its first download will draw it", certificate_id)
        return
    app = current_app._get_current_object()
    if app.config.get("CELERY_BROKER_URL"):
        from app.core.tasks import draw_certificate

        draw_certificate.delay(certificate_id, language)
    else:
        _executor.submit(_draw_in_app, app, certificate_id, language)
