import email
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from freezegun import freeze_time

from app.core.mail import OutboxMessage, enqueue_undelivered_mail, send_mail
from app.core.models import utcnow
from app.extensions import db
from app.tasks import run_queued_tasks


def test_mail_without_smtp_goes_to_the_outbox_table_and_an_eml_file_once_the_worker_delivers_it(app, tmp_path):
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path)
    with app.test_request_context():
        send_mail("ana@example.pe", "Asunto con tildes: acción", "Hola Ana,\n\nCuerpo del mensaje.")
        db.session.commit()
    # The request never waits for delivery: the worker does it.
    assert list(tmp_path.glob("*.eml")) == []
    assert run_queued_tasks() == 1
    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == "ana@example.pe"
    assert message["Subject"] == "Asunto con tildes: acción"
    assert "Cuerpo del mensaje." in message.get_content()
    row = db.session.execute(db.select(OutboxMessage)).scalar_one()
    assert row.transport == "outbox"
    assert row.delivered_at is not None


def test_mail_waits_for_the_outermost_commit_not_a_savepoint(app, tmp_path):
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path)
    with app.test_request_context():
        send_mail("ana@example.pe", "Después del commit", "Texto")
        # SQLAlchemy reports a released SAVEPOINT as a commit as well.
        with db.session.begin_nested():
            db.session.execute(db.select(OutboxMessage)).all()
        assert run_queued_tasks() == 0
        db.session.commit()
    assert run_queued_tasks() == 1
    assert len(list(tmp_path.glob("*.eml"))) == 1


def test_mail_from_a_rolled_back_action_is_never_delivered(app, tmp_path):
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path)
    with app.test_request_context():
        send_mail("ana@example.pe", "No debe salir", "Texto")
        db.session.rollback()
    assert run_queued_tasks() == 0
    assert list(tmp_path.glob("*.eml")) == []
    assert db.session.execute(db.select(OutboxMessage)).first() is None


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_mail_goes_through_a_real_smtp_server_when_configured(app, smtp_server, tmp_path):
    inbox, port = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_OUTBOX_DIR=str(tmp_path))
    try:
        with app.test_request_context():
            send_mail("gobernador@example.pe", "Bienvenida", "Estimado Gobernador:\n\nSu cuenta está lista.")
            db.session.commit()
        # The server acknowledges the message only after its handler has stored it: once the task has
        # run, the message is in the inbox or delivery has failed.
        assert run_queued_tasks() == 1
    finally:
        app.config["MAIL_SERVER"] = ""
    assert len(inbox.messages) == 1
    envelope = inbox.messages[0]
    assert envelope.rcpt_tos == ["gobernador@example.pe"]
    received = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert received["Subject"] == "Bienvenida"
    assert "Su cuenta está lista." in received.get_content()
    assert list(tmp_path.glob("*.eml")) == []
    assert db.session.execute(db.select(OutboxMessage.transport)).scalar_one() == "smtp"


def test_a_message_whose_delivery_failed_is_queued_again_and_leaves_once(app, smtp_server, tmp_path):
    inbox, port = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port + 1 if port < 65535 else 1, MAIL_OUTBOX_DIR=str(tmp_path))
    try:
        with app.test_request_context():
            send_mail("alcaldesa@example.pe", "Recordatorio", "Texto")
            db.session.commit()
        # Nothing listens on that port: every try fails and the message stays undelivered.
        assert run_queued_tasks() == 1
        row = db.session.execute(db.select(OutboxMessage)).scalar_one()
        assert row.delivered_at is None
        app.config["MAIL_PORT"] = port
        with freeze_time(utcnow() + timedelta(minutes=6)), app.app_context():
            assert enqueue_undelivered_mail.call_local() == 1
            assert enqueue_undelivered_mail.call_local() == 1
        assert run_queued_tasks() == 2
    finally:
        app.config["MAIL_SERVER"] = ""
    assert len(inbox.messages) == 1
    db.session.expire_all()
    assert db.session.execute(db.select(OutboxMessage)).scalar_one().delivered_at is not None
