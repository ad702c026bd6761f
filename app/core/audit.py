"""The audit log: who did what, on what, when, and from which address."""

from typing import Any

from flask import has_request_context
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import UTCDateTime, utcnow
from app.core.ratelimit import client_address
from app.extensions import db

OUTCOMES = ("success", "failure", "denied")


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (
        CheckConstraint(f"outcome IN {OUTCOMES!r}", name="outcome_known"),
        Index("ix_audit_events_created_at", "created_at"),
        Index("ix_audit_events_action", "action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[Any] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Kept as text so the log still says who acted after an account is deleted.
    actor_label: Mapped[str | None] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(64), nullable=False)
    outcome: Mapped[str] = mapped_column(String(16), nullable=False, default="success")
    target_type: Mapped[str | None] = mapped_column(String(64))
    target_id: Mapped[str | None] = mapped_column(String(64))
    target_label: Mapped[str | None] = mapped_column(String(320))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    ip: Mapped[str | None] = mapped_column(String(45))
    details: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)

    actor = relationship("User", foreign_keys=[actor_id])
    organisation = relationship("Organisation", foreign_keys=[organisation_id])

    def __repr__(self):
        return f"<AuditEvent {self.id} {self.action} {self.outcome}>"


def record(
    action, *, actor=None, target=None, organisation=None, outcome="success", details=None, actor_label=None, ip=None
):
    """Add an audit event to the current transaction, so it commits or rolls back with the action.

    *ip* is the client's address, for work a request handed to the task worker; a request's own is used otherwise.
    """
    event = AuditEvent(
        action=action,
        outcome=outcome,
        actor=actor,
        actor_label=actor_label or getattr(actor, "email", None),
        target_type=type(target).__name__ if target is not None else None,
        target_id=str(target.id) if getattr(target, "id", None) is not None else None,
        target_label=_label(target),
        organisation=organisation,
        ip=ip or (client_address() if has_request_context() else None),
        details=details or {},
    )
    db.session.add(event)
    return event


def _label(target):
    if target is None:
        return None
    for attribute in ("email", "name", "code"):
        value = getattr(target, attribute, None)
        if value:
            return str(value)[:320]
    return None
