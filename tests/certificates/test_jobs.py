"""Regeneration jobs: run by the task worker once recorded, refused twice at once, resumable after an interruption."""

import pytest
from sqlalchemy import select

from app.certificates import jobs, pdf, services
from app.certificates.models import RegenerationJob
from app.core.models import utcnow
from app.extensions import db
from app.tasks import huey, run_queued_tasks
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


def test_a_recorded_job_is_queued_for_the_worker_once_it_commits_and_runs_there(app, issue_certificate):
    issue_certificate()
    admin = factories.make_user()
    with app.test_request_context():
        job = jobs.start_regeneration("citizen", admin)
        assert huey.pending_count() == 0
    db.session.commit()
    assert [queued.args for queued in huey.pending()] == [(job.id,)]
    assert run_queued_tasks() == 1
    assert db.session.scalars(select(RegenerationJob)).one().status == "finished"
