"""The certificates' background work, run by the task worker (app.tasks)."""

import logging

from app.certificates import finishing, jobs
from app.tasks import crontab, huey, periodic_task, task

log = logging.getLogger("academy.certificates")


@task(retries=2, retry_delay=30)
def finish_certificate(certificate_id: int) -> None:
    """Sign a newly issued certificate and draw its PDF (finishing.finish does only what is missing)."""
    finishing.finish(certificate_id)


@task()
def regenerate_certificates(job_id: int) -> None:
    """Redraw a programme's stored PDFs, batch by batch (jobs.run)."""
    jobs.run(job_id)


@periodic_task(crontab(minute="*/5"))
def enqueue_unfinished_certificates() -> int:
    """Queue again every certificate still unsigned: a queue entry can be lost (a worker killed mid-task,
    Redis restarted), the certificate's row cannot. Finishing twice does the work once."""
    pending = finishing.unfinished_ids()
    for certificate_id in pending:
        finish_certificate(certificate_id)
    if pending:
        log.info("queued %s unfinished certificates again", len(pending))
    return len(pending)


@huey.on_startup()
def _resume_unfinished_work() -> None:
    """A worker that starts (again) picks up at once what a stopped one left, not at the next period."""
    enqueue_unfinished_certificates.call_local()
