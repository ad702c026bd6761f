"""Background regeneration of a programme's PDFs after a template change, with progress in the database.

Runs in a thread of the app process on the embedded default, or on a Celery worker when
CELERY_BROKER_URL is set. Either way the work is the same function, committed batch by batch, so an
interrupted job leaves finished PDFs finished and can simply be started again.
"""

import logging
import threading
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.certificates import queries, services
from app.certificates.models import Certificate, RegenerationJob
from app.core import audit
from app.core.background import run_in_app_context
from app.core.models import utcnow
from app.extensions import db

log = logging.getLogger("academy.certificates")
BATCH = 25
# A job that has shown no progress for this long was interrupted (its process stopped).
STALE_AFTER = timedelta(minutes=30)


def start_regeneration(certificate_type: str, admin) -> RegenerationJob:
    """Queue a job (the caller commits, then calls dispatch)."""
    running = db.session.scalar(
        select(RegenerationJob).where(
            RegenerationJob.type == certificate_type, RegenerationJob.status.in_(("queued", "running"))
        )
    )
    if running is not None:
        if utcnow() - (running.started_at or running.created_at) < STALE_AFTER:
            raise services.CertificateError(_("A regeneration of these certificates is already under way."))
        running.status = "failed"
        running.error = "interrupted"
        running.finished_at = utcnow()
    job = RegenerationJob(
        type=certificate_type, total=len(queries.ids_of_type(certificate_type)), requested_by_id=admin.id
    )
    db.session.add(job)
    db.session.flush()
    audit.record("certificate.regeneration_started", actor=admin, target=job, details={"type": certificate_type})
    return job


def dispatch(job_id: int) -> None:
    """Hand a committed job to Celery when configured, else to a thread of this process."""
    app = current_app._get_current_object()
    if app.config.get("CELERY_BROKER_URL"):
        from app.core.tasks import regenerate_certificates

        regenerate_certificates.delay(job_id)
        return
    thread = threading.Thread(target=run_in_app_context, args=(app, run, job_id), name=f"regenerate-{job_id}", daemon=True)
    thread.start()


def run(job_id: int) -> None:
    """Do the work of one job; commits after every batch so progress shows and survives interruption."""
    job = db.session.get(RegenerationJob, job_id)
    if job is None or job.status not in ("queued", "running"):
        return
    job.status, job.started_at, job.done = "running", utcnow(), 0
    ids = queries.ids_of_type(job.type)
    job.total = len(ids)
    db.session.commit()
    try:
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            certificates = db.session.scalars(
                select(Certificate)
                .where(Certificate.id.in_(batch))
                .options(selectinload(Certificate.documents), selectinload(Certificate.version))
            )
            for certificate in certificates:
                services.regenerate(certificate)
            job.done = min(job.total, start + len(batch))
            db.session.commit()
        job.status, job.finished_at = "finished", utcnow()
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        log.exception("certificate regeneration job %s failed", job_id)
        job = db.session.get(RegenerationJob, job_id)
        job.status, job.finished_at, job.error = "failed", utcnow(), str(error)[:500]
        db.session.commit()

