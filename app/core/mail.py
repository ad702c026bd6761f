"""Outgoing mail: SMTP when configured, otherwise the outbox table plus .eml files under instance/."""

import email.policy
import functools
import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import Index, String, Text, select, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core import audit
from app.core.database import call_after_commit
from app.core.links import find_urls
from app.core.models import UTCDateTime, utcnow
from app.extensions import db
from app.tasks import crontab, periodic_task, task

log = logging.getLogger("academy.mail")
# A message still undelivered after this long has lost its queue entry, or its server was down.
REDELIVERY_AFTER = timedelta(minutes=5)
# A message the server has refused for this long is left in the table for an operator to look at.
GIVE_UP_AFTER = timedelta(days=2)
# What goes to a mail server is 7-bit clean (quoted-printable where needed): a server that does not
# announce 8BITMIME may mangle anything else.
_SMTP_POLICY = email.policy.default.clone(cte_type="7bit")
# RFC 5322's longest line. Within it the .eml copy keeps the text as written (8-bit UTF-8), so a link
# stays on one line and accents read as they are; past it, the copy falls back to quoted-printable.
_LONGEST_LINE = 998


class OutboxMessage(db.Model):
    """Every message the app sends, kept so nothing is silently dropped; delivered_at says it has left."""

    __tablename__ = "outbox_messages"
    # The periodic redelivery looks for undelivered messages only: only those are indexed.
    __table_args__ = (
        Index(
            "ix_outbox_messages_undelivered",
            "created_at",
            sqlite_where=text("delivered_at IS NULL"),
            postgresql_where=text("delivered_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[Any] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    message_id: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    recipient: Mapped[str] = mapped_column(String(320), nullable=False, index=True)
    subject: Mapped[str] = mapped_column(String(255), nullable=False)
    body_text: Mapped[str] = mapped_column(Text, nullable=False)
    transport: Mapped[str] = mapped_column(String(16), nullable=False)
    delivered_at: Mapped[Any | None] = mapped_column(UTCDateTime())

    def __repr__(self):
        return f"<OutboxMessage {self.id} to={self.recipient!r}>"


def send_mail(recipient: str, subject: str, body_text: str) -> OutboxMessage:
    """Record the message now; the task worker delivers it once the surrounding transaction commits.

    Nothing waits for the mail server in the request: how long an answer takes must not tell whether
    a message was sent (an address with an account gets a reset link, an unknown one nothing).
    """
    transport = "smtp" if sends_by_smtp() else "outbox"
    row = OutboxMessage(
        message_id=make_msgid(domain="academia-integridad"),
        recipient=recipient,
        subject=subject,
        body_text=body_text,
        transport=transport,
    )
    db.session.add(row)
    db.session.flush()
    call_after_commit(functools.partial(deliver_mail, row.id))
    return row


@task(retries=3, retry_delay=60)
def deliver_mail(outbox_id: int) -> None:
    """Hand one recorded message to the mail server (or write its .eml copy), once."""
    row = db.session.get(OutboxMessage, outbox_id)
    if row is None or row.delivered_at is not None:
        return
    console_note = None
    if sends_by_smtp():
        _send_by_smtp(_as_email(row, policy=_SMTP_POLICY), current_app.config)
    else:
        copy = _write_copy(row, Path(current_app.config["MAIL_OUTBOX_DIR"]))
        console_note = _console_note(row, copy)
    row.delivered_at = utcnow()
    db.session.commit()
    if console_note is not None:
        log.info("%s", console_note)


def sends_by_smtp() -> bool:
    """Whether mail leaves through an SMTP server; without one it stays in the outbox table and instance/mail."""
    return bool(current_app.config.get("MAIL_SERVER"))


def record_reading(message: OutboxMessage, *, reader) -> None:
    """Note in the audit log that *reader* opened *message*: its links act for its recipient (confirming an
    address, choosing a new password, answering an invitation), so whoever reads them can too."""
    audit.record("mail.read", actor=reader, target=message, details={"recipient": message.recipient})
    db.session.flush()


@periodic_task(crontab(minute="*/5"))
def enqueue_undelivered_mail() -> int:
    """Queue again what has waited more than a few minutes: a queue entry can be lost, the row cannot.
    Delivering is marked in the row, so a message queued twice still leaves once."""
    now = utcnow()
    waiting = db.session.scalars(
        select(OutboxMessage.id).where(
            OutboxMessage.delivered_at.is_(None),
            OutboxMessage.created_at < now - REDELIVERY_AFTER,
            OutboxMessage.created_at > now - GIVE_UP_AFTER,
        )
    ).all()
    for outbox_id in waiting:
        deliver_mail(outbox_id)
    if waiting:
        log.info("queued %s undelivered messages again", len(waiting))
    return len(waiting)


def _as_email(row: OutboxMessage, *, policy=email.policy.default, cte=None) -> EmailMessage:
    message = EmailMessage(policy=policy)
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Message-ID"] = row.message_id
    message.set_content(row.body_text, cte=cte)
    return message


def _send_by_smtp(message: EmailMessage, config):
    with smtplib.SMTP(config["MAIL_SERVER"], config.get("MAIL_PORT", 25), timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        smtp.send_message(message)


def _write_copy(row: OutboxMessage, folder: Path) -> Path:
    longest = max((len(line.encode("utf-8")) for line in row.body_text.splitlines()), default=0)
    message = _as_email(row, cte="8bit" if longest <= _LONGEST_LINE else None)
    folder.mkdir(parents=True, exist_ok=True)
    name = row.message_id.strip("<>").replace("@", "_").replace("/", "_")
    path = folder / f"{utcnow():%Y%m%dT%H%M%S}-{name}.eml"
    path.write_bytes(bytes(message))
    return path


def _console_note(row: OutboxMessage, copy: Path) -> str:
    """Without a mail server, the worker's console (`make run`) shows each message's links, one a line,
    ready to copy: the only way to follow a confirmation or reset link in development. Never logged
    when mail goes through a server: there the links are the recipients' secrets."""
    links = "".join(f"\n    {url}" for url in find_urls(row.body_text))
    return f'Mail to {row.recipient}, "{row.subject}", kept in {_readable(copy)}{links}'


def _readable(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
