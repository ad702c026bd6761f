"""Outgoing mail: SMTP when configured, otherwise the outbox table plus .eml files under instance/."""

import logging
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.models import UTCDateTime, utcnow
from app.extensions import db

log = logging.getLogger("academy.mail")
_PENDING_KEY = "academy_pending_mail"


class OutboxMessage(db.Model):
    """Every message the app sends, kept so nothing is silently dropped."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[Any] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    message_id: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    recipient: Mapped[str] = mapped_column(String(320), nullable=False, index=True)
    subject: Mapped[str] = mapped_column(String(255), nullable=False)
    body_text: Mapped[str] = mapped_column(Text, nullable=False)
    transport: Mapped[str] = mapped_column(String(16), nullable=False)

    def __repr__(self):
        return f"<OutboxMessage {self.id} to={self.recipient!r}>"


def send_mail(recipient: str, subject: str, body_text: str) -> OutboxMessage:
    """Record the message now; deliver it only once the surrounding transaction commits."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = recipient
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="academia-integridad")
    message.set_content(body_text)
    transport = "smtp" if current_app.config.get("MAIL_SERVER") else "outbox"
    row = OutboxMessage(
        message_id=message["Message-ID"], recipient=recipient, subject=subject, body_text=body_text, transport=transport
    )
    db.session.add(row)
    db.session.flush()
    pending = db.session.info.setdefault(_PENDING_KEY, [])
    pending.append((message, dict(current_app.config)))
    return row


@event.listens_for(Session, "after_commit")
def _deliver_after_commit(session):
    if session.in_nested_transaction():
        # Releasing a SAVEPOINT fires after_commit too: mail waits for the outermost commit.
        return
    for message, config in session.info.pop(_PENDING_KEY, []):
        try:
            _deliver(message, config)
        except (OSError, smtplib.SMTPException):
            # The row stays in the outbox table, so an operator can still read and resend it.
            log.exception("could not deliver mail %s", message["Message-ID"])


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session):
    session.info.pop(_PENDING_KEY, None)


def _deliver(message: EmailMessage, config: dict):
    if config.get("MAIL_SERVER"):
        with smtplib.SMTP(config["MAIL_SERVER"], config.get("MAIL_PORT", 25), timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
            smtp.send_message(message)
        return
    folder = Path(config["MAIL_OUTBOX_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    name = message["Message-ID"].strip("<>").replace("@", "_").replace("/", "_")
    (folder / f"{utcnow():%Y%m%dT%H%M%S}-{name}.eml").write_bytes(bytes(message))
