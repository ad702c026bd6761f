"""Read helpers for the staff screens: members, account search, the filtered audit log and the outbox."""

from datetime import datetime, time

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.core.audit import AuditEvent
from app.core.mail import OutboxMessage
from app.extensions import db
from app.organisations.models import Membership

PAGE_SIZE = 50


def list_members(organisation):
    """Active memberships of *organisation*, and requests waiting for approval, with their users, by name.

    Invitations are not here: until accepted they show only what the inviter typed
    (organisations.queries.list_invitations).
    """
    query = (
        select(Membership)
        .join(Membership.user)
        .options(selectinload(Membership.user))
        .where(Membership.organisation_id == organisation.id, Membership.status.in_(("active", "pending")))
        .order_by(User.display_name, Membership.role)
    )
    return db.session.execute(query).scalars().all()


def search_users(text: str | None, page: int):
    query = select(User).options(selectinload(User.memberships).selectinload(Membership.organisation))
    if text:
        pattern = f"%{text.lower()}%"
        query = query.where(or_(User.email.like(pattern), func.lower(User.display_name).like(pattern)))
    return db.paginate(query.order_by(User.display_name, User.id), page=page, per_page=PAGE_SIZE, error_out=False)


def audit_events(*, action=None, actor=None, organisation_id=None, outcome=None, date_from=None, date_to=None, page=1):
    """Newest first; every filter is optional and combined with AND."""
    query = select(AuditEvent).options(selectinload(AuditEvent.organisation))
    if action:
        query = query.where(AuditEvent.action.like(f"{action}%"))
    if actor:
        query = query.where(func.lower(AuditEvent.actor_label).like(f"%{actor.lower()}%"))
    if organisation_id:
        query = query.where(AuditEvent.organisation_id == organisation_id)
    if outcome:
        query = query.where(AuditEvent.outcome == outcome)
    if date_from:
        query = query.where(AuditEvent.created_at >= _start_of(date_from))
    if date_to:
        query = query.where(AuditEvent.created_at <= _end_of(date_to))
    return db.paginate(query.order_by(AuditEvent.id.desc()), page=page, per_page=PAGE_SIZE, error_out=False)


def list_outbox_messages(page=1):
    """Every message the application has sent, newest first."""
    query = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)


def list_audit_actions() -> list[str]:
    return list(db.session.execute(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).scalars())


def _start_of(day):
    from zoneinfo import ZoneInfo

    return datetime.combine(day, time.min, tzinfo=ZoneInfo("America/Lima"))


def _end_of(day):
    from zoneinfo import ZoneInfo

    return datetime.combine(day, time.max, tzinfo=ZoneInfo("America/Lima"))
