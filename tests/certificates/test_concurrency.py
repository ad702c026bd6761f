"""Races on PostgreSQL: two completions issuing at once, two downloads drawing the same PDF at once."""

import threading

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.certificates import finishing, services
from app.certificates.models import Certificate, CertificateDocument
from app.extensions import db
from app.learning.models import Enrolment
from app.tasks import run_queued_tasks
from tests import factories
from tests.certificates.live import clean_up, committing_app, completed_enrolment
from tests.settings import use_postgres

pytestmark = [
    pytest.mark.skipif(not use_postgres(), reason="needs PostgreSQL's concurrent transactions"),
    pytest.mark.real_transactions,
]


@pytest.fixture
def live(app, tmp_path):
    application, made = committing_app(app, tmp_path), []
    yield application, made
    clean_up(application, made)


def _race(application, count, work, names=None):
    barrier = threading.Barrier(count)
    outcomes = []

    def run():
        with application.test_request_context():
            try:
                barrier.wait(timeout=10)
                outcomes.append(work())
                db.session.commit()
            except Exception as error:  # the assertion below shows what went wrong
                db.session.rollback()
                outcomes.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, name=(names or [None] * count)[i]) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _download(certificate_id, language):
    """What the download view does: finish the certificate if the worker has not yet, then its PDF."""
    certificate = db.session.get(Certificate, certificate_id)
    if not certificate.is_signed:
        certificate = finishing.finish(certificate_id)
    document = services.document(certificate, language)
    db.session.commit()
    return document


def test_two_completions_racing_issue_exactly_one_certificate(live):
    application, made = live
    enrolment_id = completed_enrolment(application, made, "carrera@example.pe")

    def issue():
        return services.issue_for_enrolment(db.session.get(Enrolment, enrolment_id)).id

    outcomes = _race(application, 2, issue)
    assert all(isinstance(outcome, int) for outcome in outcomes), outcomes
    assert len(set(outcomes)) == 1
    with application.app_context():
        assert run_queued_tasks() == 1  # one certificate, so one task for the worker
        db.session.remove()
    with application.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Certificate).where(Certificate.enrolment_id == enrolment_id)
            )
            == 1
        )
        certificate = db.session.scalars(select(Certificate).where(Certificate.enrolment_id == enrolment_id)).one()
        # No certificate without its PDF, nor a PDF without its certificate.
        assert [d.language for d in certificate.documents] == ["es"]
        db.session.remove()


def test_two_downloads_drawing_the_same_language_store_one_pdf(live):
    application, made = live
    enrolment_id = completed_enrolment(application, made, "descarga@example.pe")
    with application.test_request_context():
        certificate = services.issue_for_enrolment(db.session.get(Enrolment, enrolment_id))
        db.session.commit()
        certificate_id = certificate.id
        db.session.remove()

    def draw():
        return _download(certificate_id, "en").sha256

    outcomes = _race(application, 4, draw)
    assert all(isinstance(outcome, str) for outcome in outcomes), outcomes
    with application.app_context():
        count = db.session.scalar(
            select(func.count())
            .select_from(CertificateDocument)
            .where(CertificateDocument.certificate_id == certificate_id)
        )
        assert count == 2
        db.session.remove()


def test_a_name_correction_racing_a_download_leaves_both_certificates_whole(live):
    application, made = live
    with application.test_request_context():
        admin = factories.make_user(email="admin-carrera@example.pe")
        user = factories.make_user(email="corregir@example.pe", display_name="Jose Quispe")
        made.extend([user.id, admin.id])
        enrolment = factories.make_enrolment(user, slug="citizen-integrity")
        enrolment.status = "completed"
        certificate = services.issue_for_enrolment(enrolment)
        db.session.commit()
        certificate_id, admin_id = certificate.id, admin.id
        db.session.remove()

    def correct_or_download():
        certificate = db.session.get(Certificate, certificate_id)
        if threading.current_thread().name.endswith("0"):
            return services.correct_name(certificate, db.session.get(User, admin_id), "José Quispe").id
        return _download(certificate_id, "en").id

    outcomes = _race(application, 2, correct_or_download, names=("worker-0", "worker-1"))
    assert all(isinstance(outcome, int) for outcome in outcomes), outcomes
    with application.app_context():
        run_queued_tasks()  # the worker finishes the replacement
        db.session.remove()
    with application.app_context():
        old = db.session.get(Certificate, certificate_id)
        new = db.session.get(Certificate, old.superseded_by_id)
        assert new.holder_name == "José Quispe" and [d.language for d in new.documents] == ["es"]
        assert sorted(d.language for d in old.documents) == ["en", "es"]
        db.session.remove()
