"""Two registrations of the same address racing on PostgreSQL: one account, no error."""

import threading

import pytest
from sqlalchemy import delete, func, select

from app import create_app
from app.accounts import services
from app.accounts.models import User
from app.core.audit import AuditEvent
from app.core.mail import OutboxMessage
from app.extensions import db
from tests.settings import TEST_CONFIG, use_postgres

pytestmark = [
    pytest.mark.skipif(not use_postgres(), reason="needs PostgreSQL's concurrent transactions"),
    pytest.mark.real_transactions,
]


def test_two_racing_registrations_of_one_address_make_one_account(app, tmp_path):
    # A second application on the suite's database: its sessions use real connections and commits.
    app = create_app(
        {**TEST_CONFIG, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "MAIL_OUTBOX_DIR": str(tmp_path)}
    )
    email = "carrera@example.pe"
    barrier = threading.Barrier(2)
    results, errors = [], []

    def register():
        try:
            with app.test_request_context():
                barrier.wait(timeout=5)
                results.append(
                    services.register(
                        email=email, display_name="Carrera", password="una frase larga y segura", locale="es"
                    )
                )
                db.session.commit()
        except Exception as exc:
            errors.append(exc)
        finally:
            with app.app_context():
                db.session.remove()

    threads = [threading.Thread(target=register) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        with app.app_context():
            count = db.session.execute(select(func.count(User.id)).where(User.email == email)).scalar_one()
            assert errors == []
            assert count == 1
            assert sum(r is not None for r in results) == 1
    finally:
        with app.app_context():
            user_ids = select(User.id).where(User.email == email)
            db.session.execute(delete(AuditEvent).where(AuditEvent.actor_id.in_(user_ids)))
            db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == email))
            db.session.execute(delete(User).where(User.email == email))
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
