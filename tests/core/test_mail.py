import email
import socket

import pytest
from aiosmtpd.controller import Controller

from app.core.mail import OutboxMessage, send_mail
from app.extensions import db


def test_mail_without_smtp_goes_to_the_outbox_table_and_an_eml_file_after_commit(app, tmp_path):
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path)
    with app.test_request_context():
        send_mail("ana@example.pe", "Asunto con tildes: acción", "Hola Ana,\n\nCuerpo del mensaje.")
        assert list(tmp_path.glob("*.eml")) == []
        db.session.commit()
    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == "ana@example.pe"
    assert message["Subject"] == "Asunto con tildes: acción"
    assert "Cuerpo del mensaje." in message.get_content()
    row = db.session.execute(db.select(OutboxMessage)).scalar_one()
    assert row.transport == "outbox"


def test_mail_waits_for_the_outermost_commit_not_a_savepoint(app, tmp_path):
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path)
    with app.test_request_context():
        send_mail("ana@example.pe", "Después del commit", "Texto")
        # SQLAlchemy reports a released SAVEPOINT as a commit as well.
        with db.session.begin_nested():
            db.session.execute(db.select(OutboxMessage)).all()
        assert list(tmp_path.glob("*.eml")) == []
        db.session.commit()
    assert len(list(tmp_path.glob("*.eml"))) == 1


def test_mail_from_a_rolled_back_action_is_never_delivered(app, tmp_path):
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path)
    with app.test_request_context():
        send_mail("ana@example.pe", "No debe salir", "Texto")
        db.session.rollback()
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
    finally:
        app.config["MAIL_SERVER"] = ""
    # Delivery happens at the commit, and the server acknowledges the message only after its handler has
    # stored it: by the time commit() returns, the message is in the inbox or delivery has failed.
    assert len(inbox.messages) == 1
    envelope = inbox.messages[0]
    assert envelope.rcpt_tos == ["gobernador@example.pe"]
    received = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert received["Subject"] == "Bienvenida"
    assert "Su cuenta está lista." in received.get_content()
    assert list(tmp_path.glob("*.eml")) == []
    assert db.session.execute(db.select(OutboxMessage.transport)).scalar_one() == "smtp"
