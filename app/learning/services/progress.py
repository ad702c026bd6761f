"""Lessons done and course completion."""

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from app.core.models import utcnow
from app.extensions import db
from app.learning import queries
from app.learning.models import Enrolment, LessonCompletion
from app.learning.signals import course_completed


def complete_lesson(enrolment, lesson_key: str):
    """Mark a lesson read; doing it twice (a double click, two tabs) records it once."""
    enrolment.last_activity_at = utcnow()
    done = db.session.execute(
        select(LessonCompletion.id).where(
            LessonCompletion.enrolment_id == enrolment.id, LessonCompletion.lesson_key == lesson_key
        )
    ).first()
    if done is None:
        try:
            with db.session.begin_nested():
                db.session.add(LessonCompletion(enrolment_id=enrolment.id, lesson_key=lesson_key))
        except IntegrityError:
            pass  # the other request recorded it first
    db.session.flush()
    return check_completion(enrolment)


def check_completion(enrolment) -> bool:
    """Complete the enrolment once every lesson, every required activity and the final assessment are done.

    Announces course_completed exactly once, inside the same transaction: the status changes by a
    conditional UPDATE, so of two transactions completing the same enrolment at once only the one
    whose UPDATE changed the row announces it.
    """
    if enrolment.is_completed:
        return True
    progress = queries.progress(enrolment)
    if not progress.is_complete:
        return False
    now = utcnow()
    db.session.flush()  # as Session.execute would: the statement runs on the session's connection
    completed = db.session.connection().execute(_COMPLETE, {"enrolment": enrolment.id, "now": now})
    if completed.rowcount != 1:
        # Another transaction completed it first, and announced it.
        db.session.refresh(enrolment, ["status", "completed_at"])
        return True
    # The UPDATE bypassed the ORM (a flush of the enrolment costs several times the statement): bring
    # the loaded object in line without another query.
    set_committed_value(enrolment, "status", "completed")
    set_committed_value(enrolment, "completed_at", now)
    course_completed.send(enrolment)
    return True


_enrolments = Enrolment.__table__
_COMPLETE = (
    update(_enrolments)
    .where(_enrolments.c.id == bindparam("enrolment"), _enrolments.c.status != "completed")
    .values(status="completed", completed_at=bindparam("now", type_=_enrolments.c.completed_at.type))
)
