"""Regeneration jobs: in a thread by default, on Celery when configured, resumable after an interruption."""

import pytest
from sqlalchemy import select

from app.certificates import jobs, pdf, services
from app.certificates.models import RegenerationJob
from app.core.models import utcnow
from app.extensions import db
from tests import factories


def test_a_second_job_for_the_same_type_is_refused_while_one_runs(app, issue_certificate):
    issue_certificate()
    admin = factories.make_user()
    with app.test_request_context():
        jobs.start_regeneration("citizen", admin)
        with pytest.raises(services.CertificateError):
            jobs.start_regeneration("citizen", admin)
        # Another type is independent.
        jobs.start_regeneration("induction", admin)


def test_a_job_that_stopped_long_ago_is_marked_interrupted_and_a_new_one_may_start(app, issue_certificate):
    issue_certificate()
    admin = factories.make_user()
    with app.test_request_context():
        stale = jobs.start_regeneration("citizen", admin)
        stale.status, stale.started_at = "running", utcnow() - jobs.STALE_AFTER * 2
        fresh = jobs.start_regeneration("citizen", admin)
    assert stale.status == "failed" and stale.error == "interrupted" and fresh.status == "queued"


def test_a_failing_job_records_why_and_keeps_what_it_finished(app, issue_certificate, monkeypatch):
    issue_certificate()
    admin = factories.make_user()
    with app.test_request_context():
        job = jobs.start_regeneration("citizen", admin)
    db.session.commit()
    monkeypatch.setattr(pdf, "TEMPLATE_VERSION", pdf.TEMPLATE_VERSION + 1)

    def broken(_sheet):
        raise OSError("disk full")

    monkeypatch.setattr(pdf, "render", broken)
    with app.app_context():
        jobs.run(job.id)
    assert job.status == "failed" and "disk full" in job.error


def test_with_celery_configured_the_job_goes_through_a_celery_task(app, issue_certificate, monkeypatch):
    from app.core import tasks

    issue_certificate()
    admin = factories.make_user()
    with app.test_request_context():
        job = jobs.start_regeneration("citizen", admin)
    db.session.commit()
    sent = []
    monkeypatch.setitem(app.config, "CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
    monkeypatch.setattr(tasks.regenerate_certificates, "delay", sent.append)
    with app.app_context():
        jobs.dispatch(job.id)
    assert sent == [job.id]
    # The task body is the same function the thread runs.
    with app.app_context():
        tasks.regenerate_certificates.run(job.id)
    assert db.session.scalars(select(RegenerationJob)).one().status == "finished"
