"""A new certificate is signed and its PDF drawn by the task worker after the issuing transaction commits;
a download that comes first does it on the spot, and whatever a lost task left is queued again."""

import io
import json
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from huey.storage import SqliteStorage
from pypdf import PdfReader
from sqlalchemy import select, text

from app.certificates import finishing, services
from app.certificates.models import Certificate, CertificateDocument
from app.certificates.signing import credentials
from app.certificates.tasks import enqueue_unfinished_certificates
from app.extensions import db
from app.learning.models import Enrolment
from app.tasks import huey, run_queued_tasks
from tests.certificates.live import clean_up, committing_app, completed_enrolment
from tests.settings import use_postgres

pytestmark = pytest.mark.real_transactions


@pytest.fixture
def background_app(app, tmp_path):
    application, made = committing_app(app, tmp_path), []
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


def _embedded_credential(pdf_bytes: bytes) -> str:
    return PdfReader(io.BytesIO(pdf_bytes)).attachments["credential.json"][0].decode()


def test_issuing_neither_signs_nor_draws_inside_the_transaction_and_queues_the_work_once_it_commits(background_app):
    application, made = background_app
    enrolment_id = completed_enrolment(application, made, "sinfirma@example.pe")
    with application.test_request_context():
        certificate = services.issue_for_enrolment(db.session.get(Enrolment, enrolment_id))
        # The row exists (exactly once, with its serial and place in the status list); the rest waits.
        assert certificate.serial and certificate.status_index >= 0
        assert not certificate.is_signed and not certificate.documents
        assert huey.pending_count() == 0
        db.session.commit()
        db.session.remove()
    assert huey.pending_count() == 1


def test_the_worker_signs_it_and_draws_a_pdf_that_carries_that_credential(background_app):
    application, made = background_app
    certificate_id, _, _ = _issue(application, completed_enrolment(application, made, "dibujo@example.pe"))
    assert _stored(application, certificate_id) == ("", [])
    with application.app_context():
        assert run_queued_tasks() == 1
    credential, languages = _stored(application, certificate_id)
    assert languages == ["es"]
    with application.app_context():
        document = db.session.scalars(
            select(CertificateDocument).where(CertificateDocument.certificate_id == certificate_id)
        ).one()
        assert _embedded_credential(document.pdf) == credential
        assert credentials.check(json.loads(credential)).valid
        db.session.remove()


def test_nothing_is_queued_for_a_transaction_that_rolls_back(background_app):
    application, made = background_app
    enrolment_id = completed_enrolment(application, made, "deshecho@example.pe")
    with application.test_request_context():
        services.issue_for_enrolment(db.session.get(Enrolment, enrolment_id))
        db.session.rollback()
        db.session.commit()
        db.session.remove()
    assert huey.pending_count() == 0


def test_several_certificates_issued_in_one_transaction_are_all_queued_after_it_commits(background_app):
    application, made = background_app
    enrolment_ids = [completed_enrolment(application, made, f"varios{n}@example.pe") for n in range(3)]
    with application.test_request_context():
        for enrolment_id in enrolment_ids:
            # Each issue releases a SAVEPOINT, which SQLAlchemy also reports as a commit.
            services.issue_for_enrolment(db.session.get(Enrolment, enrolment_id))
        assert huey.pending_count() == 0
        db.session.commit()
        issued = db.session.scalars(select(Certificate.id).where(Certificate.enrolment_id.in_(enrolment_ids))).all()
        db.session.remove()
    assert sorted(queued.args[0] for queued in huey.pending()) == sorted(issued)


def test_until_it_is_finished_the_first_pdf_download_signs_and_draws_it(background_app, login_as):
    application, made = background_app
    certificate_id, serial, client = _holder_of_unfinished(application, made, login_as, "primera@example.pe")
    response = client.get(f"/certificates/{serial}/certificate-es.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    credential, languages = _stored(application, certificate_id)
    assert languages == ["es"] and _embedded_credential(response.data) == credential


def test_until_it_is_finished_the_credential_download_signs_it(background_app, login_as):
    application, made = background_app
    certificate_id, serial, client = _holder_of_unfinished(application, made, login_as, "credencial@example.pe")
    response = client.get(f"/certificates/{serial}/credential.json")
    assert response.status_code == 200
    with application.app_context():
        assert credentials.check(response.get_json()).valid
    credential, languages = _stored(application, certificate_id)
    # Finished whole: the PDF stored with it carries the very credential handed out.
    assert json.loads(credential) == response.get_json() and languages == ["es"]


def test_the_other_language_of_an_unfinished_certificate_embeds_the_same_credential(background_app, login_as):
    application, made = background_app
    certificate_id, serial, client = _holder_of_unfinished(application, made, login_as, "otra@example.pe")
    english = client.get(f"/certificates/{serial}/certificate-en.pdf")
    spanish = client.get(f"/certificates/{serial}/certificate-es.pdf")
    credential, languages = _stored(application, certificate_id)
    assert sorted(languages) == ["en", "es"]
    assert _embedded_credential(english.data) == _embedded_credential(spanish.data) == credential


def test_a_certificate_finished_meanwhile_elsewhere_keeps_the_first_credential(background_app, monkeypatch):
    application, made = background_app
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


def test_a_certificate_whose_task_was_lost_is_queued_again_from_the_database(background_app):
    application, made = background_app
    certificate_id, _, _ = _issue(application, completed_enrolment(application, made, "perdido@example.pe"))
    huey.flush()  # the queue entry is gone (a Redis restart, a worker killed mid-task)
    with application.app_context():
        assert enqueue_unfinished_certificates.call_local() >= 1
        run_queued_tasks()
    credential, languages = _stored(application, certificate_id)
    assert credential and languages == ["es"]
    with application.app_context():
        assert certificate_id not in finishing.unfinished_ids()


def test_a_certificate_that_cannot_be_finished_does_not_hold_up_the_others(background_app, monkeypatch):
    application, made = background_app
    broken, _, _ = _issue(application, completed_enrolment(application, made, "roto@example.pe"))
    fine, _, _ = _issue(application, completed_enrolment(application, made, "bien@example.pe"))
    real_facts = credentials.badge_facts

    def refuse_the_first(certificate, identity):
        if certificate.id == broken:
            raise RuntimeError("the course version is unreadable")
        return real_facts(certificate, identity)

    monkeypatch.setattr(credentials, "badge_facts", refuse_the_first)
    with application.app_context():
        run_queued_tasks()
    assert _stored(application, broken) == ("", [])
    assert _stored(application, fine)[1] == ["es"]
    # Huey retries the failed task later (retries=2); the periodic task would queue it again after that.
    assert [queued.args[0] for queued in huey.scheduled()] == [broken]


def test_signing_and_drawing_happen_outside_any_transaction(background_app, monkeypatch):
    application, made = background_app
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


def test_a_worker_killed_mid_task_loses_nothing_and_a_restarted_one_finishes_it_exactly_once(background_app, tmp_path):
    """The real consumer (huey_consumer, as the Procfile starts it) on an SQLite queue: SIGKILL while it
    holds the task, then a new worker picks the certificate up from the database when it starts."""
    application, made = background_app
    queue_file = tmp_path / "tasks.db"
    huey.storage = SqliteStorage(huey.name, filename=str(queue_file))
    certificate_id, _, _ = _issue(application, completed_enrolment(application, made, "matado@example.pe"))
    assert huey.pending_count() == 1
    environment = {
        **os.environ,
        "DATABASE_URL": application.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "test-worker",
        "HUEY_STORAGE": "sqlite",
        "HUEY_SQLITE_PATH": str(queue_file),
        "FLASK_CERTIFICATE_KEY_DIR": application.config["CERTIFICATE_KEY_DIR"],
        "FLASK_MAIL_OUTBOX_DIR": str(tmp_path / "mail"),
        "BASE_URL": application.config["BASE_URL"],
    }
    with _certificate_locked(application, certificate_id):
        worker = _Worker(environment)
        try:
            # It says so when it starts the task, which then waits for the row this test holds locked.
            worker.wait_for_line("Executing app.certificates.tasks.finish_certificate")
        finally:
            worker.kill()
    assert _stored(application, certificate_id) == ("", [])
    worker = _Worker(environment)
    try:
        _wait_until(lambda: _stored(application, certificate_id)[1], what="the restarted worker to finish it")
    finally:
        worker.stop()
    credential, languages = _stored(application, certificate_id)
    assert languages == ["es"]
    with application.app_context():
        assert credentials.check(json.loads(credential)).valid
        assert db.session.scalar(
            select(db.func.count()).select_from(CertificateDocument).where(CertificateDocument.certificate_id == certificate_id)
        ) == 1
        db.session.remove()


class _Worker:
    """huey_consumer as the Procfile starts it, its log read line by line as it writes it."""

    def __init__(self, environment):
        consumer = os.path.join(os.path.dirname(sys.executable), "huey_consumer")
        self.process = subprocess.Popen(
            [consumer, "app.worker.huey", "--workers", "1", "--worker-type", "thread"],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        with self.process.stdout:
            for line in self.process.stdout:
                self.lines.put(line)
        self.lines.put(None)

    def wait_for_line(self, text: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            assert line is not None, f"the worker stopped before saying {text!r}"
            if text in line:
                return

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self._wait()

    def stop(self):
        self.process.terminate()
        self._wait()

    def _wait(self):
        self.process.wait(timeout=30)
        while self.lines.get(timeout=30) is not None:  # the reader has seen the end of the log and closed it
            pass


class _certificate_locked:
    """Hold the certificate's row (PostgreSQL) or the database's write lock (SQLite) until the block ends."""

    def __init__(self, application, certificate_id):
        self.application, self.certificate_id = application, certificate_id

    def __enter__(self):
        if use_postgres():
            with self.application.app_context():
                self.connection = db.engine.connect()
            self.connection.execute(
                text("SELECT id FROM certificates WHERE id = :id FOR UPDATE"), {"id": self.certificate_id}
            )
        else:
            path = self.application.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
            self.connection = sqlite3.connect(path, isolation_level=None)
            self.connection.execute("BEGIN IMMEDIATE")

    def __exit__(self, *exc):
        self.connection.rollback()
        self.connection.close()


def _wait_until(condition, *, what: str, timeout: float = 60.0):
    """Wait for another process to do something (it tells us only through the database or the queue)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
