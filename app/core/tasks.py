"""Celery, for deployments that set CELERY_BROKER_URL; the embedded default runs jobs in threads instead.

Start a worker with: celery -A app.core.tasks worker --loglevel=info
"""

from celery import Celery, Task

celery = Celery("academy")
_flask_app = None


def _app():
    """The Flask app the worker runs tasks in, created once per worker process."""
    global _flask_app
    if _flask_app is None:
        from app import create_app

        _flask_app = create_app()
        configure(_flask_app)
    return _flask_app


def configure(app) -> None:
    celery.conf.update(
        broker_url=app.config.get("CELERY_BROKER_URL") or "memory://",
        task_ignore_result=True,
        # A job is acknowledged when done, so a worker killed mid-job hands it to the next one.
        task_acks_late=True,
        worker_prefetch_multiplier=1,
        task_always_eager=bool(app.config.get("CELERY_TASK_ALWAYS_EAGER")),
    )


class _InAppContext(Task):
    def __call__(self, *args, **kwargs):
        from flask import has_app_context

        if has_app_context():
            return self.run(*args, **kwargs)
        with _app().app_context():
            return self.run(*args, **kwargs)


@celery.task(base=_InAppContext, name="certificates.regenerate")
def regenerate_certificates(job_id: int) -> None:
    from app.certificates import jobs

    jobs.run(job_id)


@celery.task(base=_InAppContext, name="certificates.finish")
def finish_certificate(certificate_id: int) -> None:
    from app.certificates import finishing

    finishing.finish(certificate_id)
