"""Background regeneration of a programme's PDFs after a template change, with progress in the database.

Run by the task worker (certificates.tasks), committed batch by batch like a CLI command, so an
interrupted job leaves finished PDFs finished and can simply be started again.
"""

import logging
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.certificates import queries, services, tasks
from app.certificates.models import Certificate, RegenerationJob
from app.core import audit
from app.core.database import call_after_commit
from app.core.models import utcnow
from app.extensions import db

log = logging.getLogger("academy.certificates")
BATCH = 25
# A job that has shown no progress for this long was interrupted (its process stopped).
STALE_AFTER = timedelta(minutes=30)


def start_regeneration(certificate_type: str, admin) -> RegenerationJob:
    """Record a job; once the caller commits, the worker runs it (certificates.tasks)."""
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
    job_id = job.id
    call_after_commit(lambda: tasks.regenerate_certificates(job_id))
    audit.record("certificate.regeneration_started", actor=admin, target=job, details={"type": certificate_type})
    return job


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

