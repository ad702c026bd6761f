"""Read helpers for organisations and memberships."""

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from app.core.models import utcnow
from app.extensions import db
from app.organisations.models import Membership, Organisation
from app.organisations.roles import NATIONAL


def get_sip() -> Organisation:
    """The Secretariat: the one national body, loaded by the reference data."""
    return db.session.execute(select(Organisation).where(Organisation.code == "SIP")).scalar_one()


def get_by_code(code: str) -> Organisation | None:
    """The organisation with this stable code ("GORE-08", "SIP"…), as HR scripts name it."""
    return db.session.execute(select(Organisation).where(Organisation.code == code)).scalar_one_or_none()


def get_organisation(organisation_id: int) -> Organisation | None:
    return db.session.get(Organisation, organisation_id)


def get_by_ruc(ruc: str) -> Organisation | None:
    return db.session.execute(select(Organisation).where(Organisation.ruc == ruc)).scalar_one_or_none()


def list_organisations(*, kind: str | None = None, parent_id: int | None = None, search: str | None = None):
    """Organisations ordered national first, then by name; *search* matches name, code or RUC."""
    query = select(Organisation).options(selectinload(Organisation.parent))
    if kind:
        query = query.where(Organisation.kind == kind)
    if parent_id:
        query = query.where(Organisation.parent_id == parent_id)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(
            or_(
                func.lower(Organisation.name).like(pattern),
                func.lower(Organisation.code).like(pattern),
                Organisation.ruc.like(pattern),
            )
        )
    query = query.order_by((Organisation.kind != NATIONAL), Organisation.code)
    return db.session.execute(query).scalars().all()


def get_membership(organisation: Organisation, membership_id: int) -> Membership | None:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.organisation_id != organisation.id:
        return None
    return membership


def find_membership(user, organisation, role) -> Membership | None:
    return db.session.execute(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.organisation_id == organisation.id,
            Membership.role == role,
        )
    ).scalar_one_or_none()


def get_any_membership(membership_id: int) -> Membership | None:
    """A membership by id alone, for its own person's pages; permissions decide whether they may see it."""
    return db.session.get(Membership, membership_id)


def list_open_invitations(user_id: int) -> list[Membership]:
    """Invitations the person can still accept, oldest first."""
    query = (
        select(Membership)
        .options(selectinload(Membership.organisation), selectinload(Membership.granted_by))
        .where(_open_invitation(), Membership.user_id == user_id)
        .order_by(Membership.id)
    )
    return db.session.execute(query).scalars().all()


def count_open_invitations(user_id: int) -> int:
    query = select(func.count(Membership.id)).where(_open_invitation(), Membership.user_id == user_id)
    return db.session.execute(query).scalar_one()


def list_invitations(organisation: Organisation) -> list[Membership]:
    """Invitations of *organisation* not yet answered, expired ones included, by the name the inviter typed."""
    query = (
        select(Membership)
        .where(Membership.organisation_id == organisation.id, Membership.status == "invited")
        .order_by(Membership.invited_name, Membership.id)
    )
    return db.session.execute(query).scalars().all()


def _open_invitation():
    return and_(Membership.status == "invited", Membership.invitation_expires_at > utcnow())
