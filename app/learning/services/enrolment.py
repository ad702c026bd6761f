"""Enrolling in a course and moving enrolments between versions."""

from sqlalchemy import select, update

from app.core.models import utcnow
from app.extensions import db
from app.learning import permissions
from app.learning.models import Enrolment


class EnrolmentRefused(Exception):
    """The person may not enrol; the message says why, in their language."""


def enrol(user, course) -> Enrolment:
    """Enrol *user* in the course's current version; enrolling twice returns the first enrolment."""
    existing = db.session.execute(
        select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id, Enrolment.cycle == 1)
    ).scalar_one_or_none()
    if existing is not None:
        if existing.status == "withdrawn":
            existing.status = "active"
            db.session.flush()
        return existing
    refusal = permissions.enrolment_refusal(user, course)
    if refusal:
        raise EnrolmentRefused(refusal)
    enrolment = Enrolment(user=user, course=course, version=course.current_version, last_activity_at=utcnow())
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


def move_to_version(course, version) -> int:
    """Move every unfinished enrolment to *version*; progress is keyed by stable ids, so nothing is lost."""
    result = db.session.execute(
        update(Enrolment)
        .where(Enrolment.course_id == course.id, Enrolment.status == "active", Enrolment.version_id != version.id)
        .values(version_id=version.id)
    )
    return result.rowcount
