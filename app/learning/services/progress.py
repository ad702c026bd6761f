"""Lessons done and course completion."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core.models import utcnow
from app.extensions import db
from app.learning import queries
from app.learning.models import LessonCompletion
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

    Announces course_completed exactly once, inside the same transaction.
    """
    if enrolment.is_completed:
        return True
    progress = queries.progress(enrolment)
    if not progress.is_complete:
        return False
    enrolment.status = "completed"
    enrolment.completed_at = utcnow()
    db.session.flush()
    course_completed.send(enrolment)
    return True
