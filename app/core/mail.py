"""Outgoing mail: SMTP when configured, otherwise the outbox table plus .eml files under instance/."""

import logging
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import call_after_commit
from app.core.models import UTCDateTime, utcnow
from app.extensions import db

log = logging.getLogger("academy.mail")


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
    config = dict(current_app.config)
    call_after_commit(lambda: _deliver_or_keep(message, config))
    return row


def _deliver_or_keep(message: EmailMessage, config: dict):
    try:
        _deliver(message, config)
    except (OSError, smtplib.SMTPException):
        # The row stays in the outbox table, so an operator can still read and resend it.
        log.exception("could not deliver mail %s", message["Message-ID"])


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
