"""On SQLite an assessment submission reads without the write lock and waits for it only to write."""

import sqlite3
import threading

import pytest
from sqlalchemy import delete, event
from sqlalchemy.engine import Engine, make_url

from app import create_app
from app.accounts.models import User
from app.core.database import dispose_engines
from app.extensions import db
from app.learning import services
from app.learning.models import AssessmentAttempt, Enrolment
from tests import factories
from tests.csrf import csrf_token
from tests.settings import TEST_CONFIG, use_postgres

pytestmark = [
    pytest.mark.skipif(use_postgres(), reason="the write lock is SQLite's"),
    pytest.mark.real_transactions,
]


def test_a_submission_reads_and_marks_while_another_request_holds_the_write_lock(app, tmp_path, login_as):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    app = create_app({**TEST_CONFIG, "DATABASE_URL": url, "MAIL_OUTBOX_DIR": str(tmp_path)})
    with app.test_request_context():
        user = factories.make_user(email="cerrojo@example.pe")
        enrolment = factories.make_enrolment(user)
        factories.complete_everything_but_the_assessment(enrolment)
        attempt = services.start_attempt(enrolment)
        db.session.commit()
        ids = (enrolment.id, attempt.id, user.id)
        db.session.remove()
    client = login_as(app.test_client(), user)
    form = {"csrf_token": csrf_token(client)}
    statements, waiting_for_the_lock = [], threading.Event()

    def record(statement):
        statements.append(statement)
        if statement == "BEGIN IMMEDIATE":
            waiting_for_the_lock.set()

    def trace(dbapi_connection, connection_record):
        dbapi_connection.set_trace_callback(record)

    dispose_engines(app)  # the request's connections are new ones, traced from their first statement
    # Every engine: the reads go through the autocommit one (core.database.read_connection).
    event.listen(Engine, "connect", trace)
    holder = sqlite3.connect(make_url(url).database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    responses = []
    request = threading.Thread(
        target=lambda: responses.append(client.post(f"/learning/{ids[0]}/assessment/{attempt.number}", data=form))
    )
    try:
        request.start()
        # Set when the request asks for the lock this test holds; it then waits up to SQLite's busy timeout.
        assert waiting_for_the_lock.wait(timeout=10), "the submission never asked for the write lock"
        reads = statements[: statements.index("BEGIN IMMEDIATE")]
        assert any("FROM assessment_attempts" in s for s in reads), "the reads waited for the lock"
        assert not any(s.lstrip().startswith(("UPDATE", "INSERT", "DELETE")) for s in reads)
        holder.execute("ROLLBACK")
        request.join(timeout=10)
        assert responses[0].status_code == 302 and responses[0].location.endswith("/result")
        with app.app_context():
            assert db.session.get(AssessmentAttempt, ids[1]).status == "submitted"
    finally:
        event.remove(Engine, "connect", trace)
        holder.close()
        request.join(timeout=10)
        with app.app_context():
            db.session.execute(delete(Enrolment).where(Enrolment.id == ids[0]))
            db.session.execute(delete(User).where(User.id == ids[2]))
            db.session.commit()
            db.session.remove()
        dispose_engines(app)
