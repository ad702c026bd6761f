"""A new certificate's PDF is drawn right after the issuing transaction commits, off the request."""

import time

import pytest
from sqlalchemy import select

from app.certificates import drawing, services
from app.certificates.models import Certificate, CertificateDocument
from app.extensions import db
from app.learning.models import Enrolment
from tests.certificates.live import clean_up, committing_app, completed_enrolment

pytestmark = pytest.mark.real_transactions


@pytest.fixture
def background_app(app, tmp_path):
    application, made = committing_app(app, tmp_path, CERTIFICATE_PDF_AT_ISSUE="after-commit"), []
    yield application, made
    clean_up(application, made)


def _documents(application, certificate_id):
    with application.app_context():
        try:
            return db.session.scalars(
                select(CertificateDocument.language).where(CertificateDocument.certificate_id == certificate_id)
            ).all()
        finally:
            db.session.remove()


def test_the_pdf_is_drawn_after_the_issuing_transaction_commits(background_app):
    application, made = background_app
    enrolment_id = completed_enrolment(application, made, "dibujo@example.pe")
    with application.test_request_context():
        certificate = services.issue_for_enrolment(db.session.get(Enrolment, enrolment_id))
        certificate_id = certificate.id
        # Signed at once, inside the transaction; the PDF waits for the commit.
        assert certificate.credential and not certificate.documents
        db.session.commit()
        db.session.remove()
    deadline = time.monotonic() + 20
    while not _documents(application, certificate_id) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _documents(application, certificate_id) == ["es"]


def test_nothing_is_drawn_for_a_transaction_that_rolls_back(background_app, monkeypatch):
    application, made = background_app
    enrolment_id = completed_enrolment(application, made, "deshecho@example.pe")
    submitted = []
    monkeypatch.setattr(drawing._executor, "submit", lambda *args: submitted.append(args))
    with application.test_request_context():
        services.issue_for_enrolment(db.session.get(Enrolment, enrolment_id))
        db.session.rollback()
        db.session.commit()
        db.session.remove()
    assert submitted == []


def test_until_it_is_drawn_the_first_download_draws_it(background_app, monkeypatch, login_as):
    application, made = background_app
    enrolment_id = completed_enrolment(application, made, "primera@example.pe")
    monkeypatch.setattr(drawing._executor, "submit", lambda *args: None)
    with application.test_request_context():
        certificate = services.issue_for_enrolment(db.session.get(Enrolment, enrolment_id))
        db.session.commit()
        user = certificate.user
        serial = certificate.serial
        db.session.remove()
    client = login_as(application.test_client(), user)
    response = client.get(f"/certificates/{serial}/certificate-es.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")


def test_several_certificates_issued_in_one_transaction_are_all_drawn_after_it_commits(background_app, monkeypatch):
    application, made = background_app
    enrolment_ids = [completed_enrolment(application, made, f"varios{n}@example.pe") for n in range(3)]
    queued = []
    monkeypatch.setattr(drawing._executor, "submit", lambda function, app, *args: queued.append(args))
    with application.test_request_context():
        for enrolment_id in enrolment_ids:
            # Each issue releases a SAVEPOINT, which SQLAlchemy also reports as a commit.
            services.issue_for_enrolment(db.session.get(Enrolment, enrolment_id))
        assert queued == []
        db.session.commit()
        issued = db.session.scalars(select(Certificate.id).where(Certificate.enrolment_id.in_(enrolment_ids))).all()
        db.session.remove()
    assert sorted(certificate_id for certificate_id, _ in queued) == sorted(issued)
