"""A new certificate is signed and its PDF drawn after the issuing transaction commits, off the request;
a download that comes first does it on the spot, and the background runner picks up whatever is left."""

import io
import json
import time

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.certificates import finishing, services
from app.certificates.models import Certificate, CertificateDocument
from app.certificates.signing import credentials
from app.core import background
from app.extensions import db
from app.learning.models import Enrolment
from tests.certificates.live import clean_up, committing_app, completed_enrolment

pytestmark = pytest.mark.real_transactions


@pytest.fixture
def background_app(app, tmp_path):
    application, made = committing_app(app, tmp_path, CERTIFICATE_PDF_AT_ISSUE="after-commit"), []
    yield application, made
    clean_up(application, made)


@pytest.fixture
def runner_app(app, tmp_path):
    """Served as app/serving.py serves it: a runner process exists, so workers leave the work to it."""
    application, made = (
        committing_app(app, tmp_path, CERTIFICATE_PDF_AT_ISSUE="after-commit", BACKGROUND_RUNNER=True),
        [],
    )
    yield application, made
    clean_up(application, made)


def _stored(application, certificate_id):
    """(credential, languages of the stored PDFs) as committed."""
    with application.app_context():
        try:
            certificate = db.session.get(Certificate, certificate_id)
            languages = db.session.scalars(
                select(CertificateDocument.language).where(CertificateDocument.certificate_id == certificate_id)
            ).all()
            return certificate.credential, languages
        finally:
            db.session.remove()


def _issue(application, enrolment_id):
    """Issue for a completed enrolment and commit, as the completing request does; returns (id, serial, user)."""
    with application.test_request_context():
        certificate = services.issue_for_enrolment(db.session.get(Enrolment, enrolment_id))
        found = certificate.id, certificate.serial, certificate.user
        db.session.commit()
        db.session.remove()
    return found


def _holder_of_unfinished(application, made, login_as, email):
    """A certificate left unfinished (nothing runs in the background) and its holder's signed-in client."""
    certificate_id, serial, user = _issue(application, completed_enrolment(application, made, email))
    return certificate_id, serial, login_as(application.test_client(), user)


@pytest.fixture
def nothing_in_background(monkeypatch):
    monkeypatch.setattr(finishing._executor, "submit", lambda *args: None)


def _embedded_credential(pdf_bytes: bytes) -> str:
    return PdfReader(io.BytesIO(pdf_bytes)).attachments["credential.json"][0].decode()


def test_issuing_neither_signs_nor_draws_inside_the_transaction(background_app, monkeypatch):
    application, made = background_app
    enrolment_id = completed_enrolment(application, made, "sinfirma@example.pe")
    monkeypatch.setattr(finishing._executor, "submit", lambda *args: None)
    with application.test_request_context():
        certificate = services.issue_for_enrolment(db.session.get(Enrolment, enrolment_id))
        # The row exists (exactly once, with its serial and place in the status list); the rest waits.
        assert certificate.serial and certificate.status_index >= 0
        assert not certificate.is_signed and not certificate.documents
        db.session.commit()
        db.session.remove()


def test_after_the_commit_the_certificate_is_signed_and_its_pdf_carries_that_credential(background_app):
    application, made = background_app
    certificate_id, _, _ = _issue(application, completed_enrolment(application, made, "dibujo@example.pe"))
    deadline = time.monotonic() + 20
    while not _stored(application, certificate_id)[1] and time.monotonic() < deadline:
        time.sleep(0.05)
    credential, languages = _stored(application, certificate_id)
    assert languages == ["es"]
    with application.app_context():
        document = db.session.scalars(
            select(CertificateDocument).where(CertificateDocument.certificate_id == certificate_id)
        ).one()
        assert _embedded_credential(document.pdf) == credential
        assert credentials.check(json.loads(credential)).valid
        db.session.remove()


def test_nothing_is_queued_for_a_transaction_that_rolls_back(background_app, monkeypatch):
    application, made = background_app
    enrolment_id = completed_enrolment(application, made, "deshecho@example.pe")
    submitted = []
    monkeypatch.setattr(finishing._executor, "submit", lambda *args: submitted.append(args))
    with application.test_request_context():
        services.issue_for_enrolment(db.session.get(Enrolment, enrolment_id))
        db.session.rollback()
        db.session.commit()
        db.session.remove()
    assert submitted == []


def test_several_certificates_issued_in_one_transaction_are_all_queued_after_it_commits(background_app, monkeypatch):
    application, made = background_app
    enrolment_ids = [completed_enrolment(application, made, f"varios{n}@example.pe") for n in range(3)]
    queued = []
    monkeypatch.setattr(finishing._executor, "submit", lambda *args: queued.append(args[-1]))
    with application.test_request_context():
        for enrolment_id in enrolment_ids:
            # Each issue releases a SAVEPOINT, which SQLAlchemy also reports as a commit.
            services.issue_for_enrolment(db.session.get(Enrolment, enrolment_id))
        assert queued == []
        db.session.commit()
        issued = db.session.scalars(select(Certificate.id).where(Certificate.enrolment_id.in_(enrolment_ids))).all()
        db.session.remove()
    assert sorted(queued) == sorted(issued)


def test_until_it_is_finished_the_first_pdf_download_signs_and_draws_it(background_app, nothing_in_background, login_as):
    application, made = background_app
    certificate_id, serial, client = _holder_of_unfinished(application, made, login_as, "primera@example.pe")
    response = client.get(f"/certificates/{serial}/certificate-es.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    credential, languages = _stored(application, certificate_id)
    assert languages == ["es"] and _embedded_credential(response.data) == credential


def test_until_it_is_finished_the_credential_download_signs_it(background_app, nothing_in_background, login_as):
    application, made = background_app
    certificate_id, serial, client = _holder_of_unfinished(application, made, login_as, "credencial@example.pe")
    response = client.get(f"/certificates/{serial}/credential.json")
    assert response.status_code == 200
    with application.app_context():
        assert credentials.check(response.get_json()).valid
    credential, languages = _stored(application, certificate_id)
    # Finished whole: the PDF stored with it carries the very credential handed out.
    assert json.loads(credential) == response.get_json() and languages == ["es"]


def test_the_other_language_of_an_unfinished_certificate_embeds_the_same_credential(background_app, nothing_in_background, login_as):
    application, made = background_app
    certificate_id, serial, client = _holder_of_unfinished(application, made, login_as, "otra@example.pe")
    english = client.get(f"/certificates/{serial}/certificate-en.pdf")
    spanish = client.get(f"/certificates/{serial}/certificate-es.pdf")
    credential, languages = _stored(application, certificate_id)
    assert sorted(languages) == ["en", "es"]
    assert _embedded_credential(english.data) == _embedded_credential(spanish.data) == credential


def test_a_certificate_finished_meanwhile_elsewhere_keeps_the_first_credential(background_app, monkeypatch):
    application, made = background_app
    monkeypatch.setattr(finishing._executor, "submit", lambda *args: None)
    certificate_id, _, _ = _issue(application, completed_enrolment(application, made, "carrera@example.pe"))
    real_render, interfered = services.render_sheet, []

    def another_process_finishes_it_while_this_one_draws(sheet):
        data = real_render(sheet)
        if not interfered:
            interfered.append(True)
            with application.app_context():
                finishing.finish(certificate_id)
                db.session.remove()
        return data

    with application.app_context():
        monkeypatch.setattr(services, "render_sheet", another_process_finishes_it_while_this_one_draws)
        finishing.finish(certificate_id)
        db.session.remove()
    monkeypatch.setattr(services, "render_sheet", real_render)
    first_credential, languages = _stored(application, certificate_id)
    with application.app_context():
        document = db.session.scalars(
            select(CertificateDocument).where(CertificateDocument.certificate_id == certificate_id)
        ).one()
        assert _embedded_credential(document.pdf) == first_credential
        db.session.remove()
    assert languages == ["es"]


def test_with_a_runner_process_the_workers_leave_the_work_to_it(runner_app, monkeypatch):
    application, made = runner_app
    submitted = []
    monkeypatch.setattr(finishing._executor, "submit", lambda *args: submitted.append(args))
    certificate_id, _, _ = _issue(application, completed_enrolment(application, made, "corredor@example.pe"))
    assert submitted == []
    assert _stored(application, certificate_id) == ("", [])
    # The runner's pass finds it in the database.
    with application.app_context():
        assert background.run_once() >= 1
    credential, languages = _stored(application, certificate_id)
    assert credential and languages == ["es"]


def test_the_runner_goes_past_a_certificate_it_cannot_finish(runner_app, monkeypatch):
    application, made = runner_app
    broken, _, _ = _issue(application, completed_enrolment(application, made, "roto@example.pe"))
    fine, _, _ = _issue(application, completed_enrolment(application, made, "bien@example.pe"))
    real_facts = credentials.badge_facts

    def refuse_the_first(certificate, identity):
        if certificate.id == broken:
            raise RuntimeError("the course version is unreadable")
        return real_facts(certificate, identity)

    monkeypatch.setattr(credentials, "badge_facts", refuse_the_first)
    monkeypatch.setattr(finishing, "_failed", set())
    with application.app_context():
        background.run_once()
        # Not retried on every pass: the next pass has nothing to do.
        assert finishing.finish_pending() == 0
    assert _stored(application, broken) == ("", [])
    assert _stored(application, fine)[1] == ["es"]


def test_signing_and_drawing_happen_outside_any_transaction(background_app, monkeypatch):
    application, made = background_app
    monkeypatch.setattr(finishing._executor, "submit", lambda *args: None)
    certificate_id, _, _ = _issue(application, completed_enrolment(application, made, "fuera@example.pe"))
    real_sign, real_render, seen = credentials.sign, services.render_sheet, []

    def sign(facts):
        seen.append(("sign", db.session().in_transaction()))
        return real_sign(facts)

    def render(sheet):
        seen.append(("render", db.session().in_transaction()))
        return real_render(sheet)

    monkeypatch.setattr(credentials, "sign", sign)
    monkeypatch.setattr(services, "render_sheet", render)
    with application.app_context():
        finishing.finish(certificate_id)
        db.session.remove()
    assert seen == [("sign", False), ("render", False)]


def test_flask_background_run_as_its_own_process_finishes_what_the_workers_left(runner_app, app, tmp_path):
    """The runner app/serving.py starts: a separate process on the same database, found work and all."""
    import os
    import subprocess
    import sys

    application, made = runner_app
    certificate_id, _, _ = _issue(application, completed_enrolment(application, made, "proceso@example.pe"))
    assert _stored(application, certificate_id) == ("", [])
    environment = {
        **os.environ,
        "DATABASE_URL": application.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "test-runner",
        "FLASK_CERTIFICATE_KEY_DIR": application.config["CERTIFICATE_KEY_DIR"] or app.config["CERTIFICATE_KEY_DIR"],
        "FLASK_MAIL_OUTBOX_DIR": str(tmp_path / "mail"),
        "BASE_URL": application.config["BASE_URL"],
    }
    runner = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "background", "run", "--pause", "0.1"], env=environment
    )
    try:
        deadline = time.monotonic() + 60
        while not _stored(application, certificate_id)[1] and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        runner.terminate()
        # SIGTERM lets it finish the item in hand and stop on its own.
        assert runner.wait(timeout=30) == 0
    credential, languages = _stored(application, certificate_id)
    assert languages == ["es"]
    with application.app_context():
        assert credentials.check(json.loads(credential)).valid
