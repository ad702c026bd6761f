"""Enrolments and everything a learner does in one: lessons read, activities done, assessment attempts."""

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from app.accounts.models import User
from app.catalog.models import Course, CourseVersion
from app.core.models import UTCDateTime, utcnow
from app.extensions import db
from app.learning.shuffles import KEY_LENGTH, new_key

ENROLMENT_STATUSES = ("active", "completed", "withdrawn")


def _content_hash_of(version_id):
    return select(CourseVersion.content_hash).where(CourseVersion.id == version_id).scalar_subquery()


class Enrolment(db.Model):
    __tablename__ = "enrolments"
    __table_args__ = (
        # One enrolment per person, course and cycle: recertification opens the next cycle.
        UniqueConstraint("user_id", "course_id", "cycle", name="uq_enrolments_user_course_cycle"),
        CheckConstraint(f"status IN {ENROLMENT_STATUSES!r}", name="status_known"),
        Index("ix_enrolments_course_status", "course_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), nullable=False)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id", ondelete="RESTRICT"), nullable=False)
    cycle: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="active")
    enrolled_at: Mapped[Any] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    due_at: Mapped[Any | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[Any | None] = mapped_column(UTCDateTime())
    last_activity_at: Mapped[Any | None] = mapped_column(UTCDateTime())
    # Orders the knowledge checks' answers (app.learning.shuffles); drawn when the row is made, never shown.
    shuffle_key: Mapped[str] = mapped_column(String(KEY_LENGTH), nullable=False, default=new_key)

    # With version_id, it names what is kept in memory about the version (catalog.queries).
    version_hash: Mapped[str] = column_property(_content_hash_of(version_id), deferred=True)

    user = relationship(User)
    course = relationship(Course)
    version = relationship(CourseVersion)
    lessons_done = relationship("LessonCompletion", back_populates="enrolment", cascade="all, delete-orphan")
    activities_done = relationship("ActivityCompletion", back_populates="enrolment", cascade="all, delete-orphan")
    attempts = relationship(
        "AssessmentAttempt",
        back_populates="enrolment",
        order_by="AssessmentAttempt.number",
        cascade="all, delete-orphan",
    )

    def __repr__(self):
        return f"<Enrolment {self.id} user={self.user_id} course={self.course_id} {self.status}>"

    @property
    def is_completed(self) -> bool:
        return self.status == "completed"


class LessonCompletion(db.Model):
    __tablename__ = "lesson_completions"
    __table_args__ = (UniqueConstraint("enrolment_id", "lesson_key", name="uq_lesson_completions_enrolment_lesson"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), nullable=False)
    lesson_key: Mapped[str] = mapped_column(String(160), nullable=False)
    completed_at: Mapped[Any] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    enrolment = relationship("Enrolment", back_populates="lessons_done")

    def __repr__(self):
        return f"<LessonCompletion {self.enrolment_id} {self.lesson_key}>"


class ActivityCompletion(db.Model):
    """The learner's answer to an activity: knowledge-check answers, a dilemma choice, a private
    reflection, or a signed pledge (signature, time and the statement's version)."""

    __tablename__ = "activity_completions"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "activity_id", name="uq_activity_completions_enrolment_activity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), nullable=False)
    activity_id: Mapped[str] = mapped_column(String(80), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    response: Mapped[dict] = mapped_column(JSON, nullable=False)
    completed_at: Mapped[Any] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[Any] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    enrolment = relationship("Enrolment", back_populates="activities_done")

    def __repr__(self):
        return f"<ActivityCompletion {self.enrolment_id} {self.activity_id}>"


class AssessmentAttempt(db.Model):
    """One try at the final assessment: the questions drawn, the answers, and the server's score."""

    __tablename__ = "assessment_attempts"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "number", name="uq_assessment_attempts_enrolment_number"),
        CheckConstraint("status IN ('open', 'submitted')", name="status_known"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_in_range"),
        # Item statistics page through a version's submitted attempts by id (queries.submitted_attempt_rows).
        Index("ix_assessment_attempts_version_status_id", "version_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), nullable=False)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id", ondelete="RESTRICT"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    question_ids: Mapped[list] = mapped_column(JSON, nullable=False)
    answers: Mapped[dict | None] = mapped_column(JSON)
    results: Mapped[dict | None] = mapped_column(JSON)
    score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    started_at: Mapped[Any] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    submitted_at: Mapped[Any | None] = mapped_column(UTCDateTime())
    # Orders this attempt's answers (app.learning.shuffles); drawn when it is opened, never shown.
    shuffle_key: Mapped[str] = mapped_column(String(KEY_LENGTH), nullable=False, default=new_key)

    enrolment = relationship("Enrolment", back_populates="attempts")
    # With version_id, it names what is kept in memory about the version (catalog.queries).
    version_hash: Mapped[str] = column_property(_content_hash_of(version_id), deferred=True)

    def __repr__(self):
        return f"<AssessmentAttempt {self.enrolment_id} #{self.number} {self.status}>"
