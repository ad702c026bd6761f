import email
import logging
from datetime import timedelta

import pytest
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


LONG_LINK = "http://127.0.0.1:5000/verify-email/" + "Ab3_-" * 23  # 150 characters, as a token makes it
BODY_WITH_LINK = f"Estimada Ana Núñez:\n\nPara confirmar su dirección, abra este enlace:\n\n{LONG_LINK}\n\nGracias."


def _eml_copy(app, folder, subject: str, body: str) -> bytes:
    """The .eml file the worker writes for one message sent without SMTP."""
    app.config["MAIL_OUTBOX_DIR"] = str(folder)
    with app.test_request_context():
        send_mail("ana@example.pe", subject, body)
        db.session.commit()
    run_queued_tasks()
    return next(folder.glob("*.eml")).read_bytes()


def test_the_eml_copy_is_8bit_utf8_with_a_long_link_on_one_line_and_parses_back_to_the_text(app, tmp_path):
    assert len(LONG_LINK) == 150
    raw = _eml_copy(app, tmp_path, "Confirme su correo electrónico", BODY_WITH_LINK)
    assert b"Content-Transfer-Encoding: 8bit" in raw
    assert f"\n{LONG_LINK}\n".encode() in raw
    assert "Estimada Ana Núñez:".encode() in raw
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == "Confirme su correo electrónico"
    assert message.get_content() == BODY_WITH_LINK + "\n"


def test_a_line_longer_than_rfc_5322_allows_makes_the_eml_copy_quoted_printable(app, tmp_path):
    body = "Línea " + "x" * 1000
    raw = _eml_copy(app, tmp_path, "Larga", body)
    assert b"Content-Transfer-Encoding: quoted-printable" in raw
    assert max(len(line) for line in raw.splitlines()) <= 998
    assert email.message_from_bytes(raw, policy=email.policy.default).get_content() == body + "\n"


def test_without_smtp_the_worker_console_shows_each_link_of_the_message_on_a_line_of_its_own(app, tmp_path, caplog):
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path)
    body = "Elija su contraseña: http://localhost/password/reset/abc.\n\nLuego acepte: http://localhost/account/invitations/7"
    with app.test_request_context():
        send_mail("ana@example.pe", "Invitación", body)
        db.session.commit()
    with caplog.at_level(logging.INFO, logger="academy.mail"):
        run_queued_tasks()
    (record,) = [r for r in caplog.records if r.name == "academy.mail"]
    shown = record.getMessage()
    assert shown.startswith('Mail to ana@example.pe, "Invitación", kept in ')
    assert str(next(tmp_path.glob("*.eml")).name) in shown.splitlines()[0]
    assert shown.splitlines()[1:] == [
        "    http://localhost/password/reset/abc",
        "    http://localhost/account/invitations/7",
    ]


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


# Short lines would go as 8-bit text by default; a long one goes as quoted-printable anyway.
@pytest.mark.parametrize(
    "body", ["Estimada Ana Núñez:\n\nConfirme aquí: http://localhost/verify-email/x", BODY_WITH_LINK]
)
def test_through_smtp_the_message_is_7bit_clean_and_its_links_never_reach_the_console(app, smtp_server, caplog, body):
    inbox, port = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        with app.test_request_context():
            send_mail("ana@example.pe", "Confirme su correo electrónico", body)
            db.session.commit()
        with caplog.at_level(logging.DEBUG, logger="academy.mail"):
            assert run_queued_tasks() == 1
    finally:
        app.config["MAIL_SERVER"] = ""
    content = inbox.messages[0].content
    # A server without 8BITMIME passes on only 7-bit text.
    assert content.isascii()
    received = email.message_from_bytes(content, policy=email.policy.default).get_content()
    assert received.replace("\r\n", "\n") == body + "\n"
    assert "verify-email" not in caplog.text


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
