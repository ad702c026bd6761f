"""Read helpers for certificates, shared by views, services and jobs."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import aliased, selectinload

from app.catalog.models import CourseVersion, localised
from app.certificates import serials
from app.certificates.models import STATUS_LIST_LENGTH, Certificate, RegenerationJob, status_at
from app.core.database import read_connection
from app.extensions import db
from app.organisations import roles
from app.organisations.models import Membership

# Asked instead of a malformed serial, so an unknown and a malformed serial cost the same query.
_NEVER_ISSUED = "0" * serials.LENGTH


def by_serial_text(text: str) -> Certificate | None:
    """The certificate for a typed serial (forgiving case and look-alike digits), or None."""
    serial = serials.normalise(text) or _NEVER_ISSUED
    return db.session.scalar(select(Certificate).where(Certificate.serial == serial))


@dataclass(frozen=True, slots=True)
class PublicFacts:
    """What a stranger checking a serial may learn, read without the credential, the identity salt or
    the holder's account: public verification never has them in hand."""

    serial: str
    type: str
    holder_name: str
    holder_ruc: str | None
    hours: float
    version_id: int
    valid_from: datetime
    valid_until: datetime | None
    revoked_at: datetime | None
    revocation_reason: str | None
    superseded_by_id: int | None
    superseded_by_serial: str | None
    trainer_name: str | None
    entity_name: str | None

    def status(self, now: datetime) -> str:
        return status_at(self, now)


@cache
def _public_facts_by_serial():
    """Built once: public verification is the most called page, and building a statement costs more
    than running it."""
    successor = aliased(Certificate)
    return (
        select(
            Certificate.serial,
            Certificate.type,
            Certificate.holder_name,
            Certificate.holder_ruc,
            Certificate.hours,
            Certificate.version_id,
            Certificate.valid_from,
            Certificate.valid_until,
            Certificate.revoked_at,
            Certificate.revocation_reason,
            Certificate.superseded_by_id,
            successor.serial.label("superseded_by_serial"),
            Certificate.trainer_name,
            Certificate.entity_name,
        )
        .outerjoin(successor, successor.id == Certificate.superseded_by_id)
        .where(Certificate.serial == bindparam("serial"))
    )


def public_facts(text: str) -> PublicFacts | None:
    """The public facts of the certificate a typed serial names (see by_serial_text), or None."""
    serial = serials.normalise(text) or _NEVER_ISSUED
    with read_connection() as connection:
        row = connection.execute(_public_facts_by_serial(), {"serial": serial}).first()
    return PublicFacts(*row) if row is not None else None


_version_titles: dict[int, dict] = {}


def version_title(version_id: int) -> dict:
    """A course version's title in every language. Versions never change once created, so each process
    reads a title once instead of loading the whole outline on every verification."""
    title = _version_titles.get(version_id)
    if title is None:
        meta = db.session.scalar(select(CourseVersion.meta).where(CourseVersion.id == version_id))
        title = _version_titles[version_id] = meta["title"]
    return title


def course_title(certificate, language: str) -> str:
    """The title of the course version the certificate was earned in, in *language*."""
    return localised(certificate.version.meta["title"], language)


def held_by(user) -> list[Certificate]:
    """A person's certificates and those of the companies they represent, newest first."""
    companies = select(Membership.organisation_id).where(
        Membership.user_id == user.id, Membership.role == roles.BUSINESS_REP, Membership.status == "active"
    )
    return list(
        db.session.scalars(
            select(Certificate)
            .where(or_(Certificate.user_id == user.id, Certificate.organisation_id.in_(companies)))
            .options(selectinload(Certificate.version), selectinload(Certificate.superseded_by))
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


def revoked_indices(list_number: int) -> list[int]:
    """Positions set in one status list: revoked and superseded certificates."""
    first = list_number * STATUS_LIST_LENGTH + 1
    ids = db.session.scalars(
        select(Certificate.id).where(
            Certificate.id >= first,
            Certificate.id < first + STATUS_LIST_LENGTH,
            or_(Certificate.revoked_at.is_not(None), Certificate.superseded_by_id.is_not(None)),
        )
    )
    return [certificate_id - first for certificate_id in ids]


def status_list_exists(list_number: int) -> bool:
    first = list_number * STATUS_LIST_LENGTH + 1
    return (
        db.session.scalar(
            select(Certificate.id).where(Certificate.id >= first, Certificate.id < first + STATUS_LIST_LENGTH).limit(1)
        )
        is not None
    )


def search(*, text: str = "", certificate_type: str | None = None, limit: int = 100) -> list[Certificate]:
    query = select(Certificate).order_by(Certificate.issued_at.desc(), Certificate.id.desc()).limit(limit)
    if certificate_type:
        query = query.where(Certificate.type == certificate_type)
    text = (text or "").strip()[:200]
    if text:
        serial = serials.normalise(text)
        if serial:
            query = query.where(Certificate.serial == serial)
        else:
            escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(Certificate.holder_name.ilike(f"%{escaped}%", escape="\\"))
    return list(db.session.scalars(query))


def ids_of_type(certificate_type: str) -> list[int]:
    return list(
        db.session.scalars(select(Certificate.id).where(Certificate.type == certificate_type).order_by(Certificate.id))
    )


def job(job_id: int) -> RegenerationJob | None:
    return db.session.get(RegenerationJob, job_id)


def recent_jobs(limit: int = 10) -> list[RegenerationJob]:
    return list(db.session.scalars(select(RegenerationJob).order_by(RegenerationJob.id.desc()).limit(limit)))
