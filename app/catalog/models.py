"""Courses and their immutable versions: outline, rendered lessons, activities, question bank, media."""

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalog.content.rules import DEFAULT_REVIEW
from app.core.models import UTCDateTime, utcnow
from app.extensions import db

PROGRAMMES = ("induction", "trainer", "governor", "citizen", "business")


class Course(db.Model):
    __tablename__ = "courses"
    __table_args__ = (CheckConstraint(f"programme IN {PROGRAMMES!r}", name="programme_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    programme: Mapped[str] = mapped_column(String(16), nullable=False)
    is_published: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[Any] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    # Kept in step with the newest version by sync; use_alter breaks the courses <-> versions cycle.
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_versions.id", use_alter=True, name="fk_courses_current_version_id_course_versions")
    )

    versions = relationship(
        "CourseVersion",
        back_populates="course",
        foreign_keys="CourseVersion.course_id",
        order_by="CourseVersion.number",
    )
    current_version = relationship("CourseVersion", foreign_keys=[current_version_id], post_update=True)

    def __repr__(self):
        return f"<Course {self.slug}>"


class VersionMeta:
    """Reading a version's metadata (``self.meta``), for the model and for the copy of it kept in memory
    (catalog.queries.Structure)."""

    def text(self, key: str, language: str) -> str:
        return localised(self.meta.get(key) or {}, language)

    @property
    def modules(self) -> list[dict]:
        return self.meta["modules"]

    @property
    def rules(self) -> dict:
        return self.meta["assessment"]

    @property
    def review(self) -> str:
        """When learners may see the right answers of the final assessment (courses/README.md); a version
        synced before the rule existed has the default."""
        return self.rules.get("review") or DEFAULT_REVIEW

    @property
    def has_final_assessment(self) -> bool:
        return bool(self.meta["completion"].get("final_assessment")) and self.meta.get("final") is not None


class CourseVersion(VersionMeta, db.Model):
    """One content hash of a package; never changed once learners may have used it."""

    __tablename__ = "course_versions"
    __table_args__ = (
        UniqueConstraint("course_id", "number", name="uq_course_versions_course_number"),
        UniqueConstraint("course_id", "content_hash", name="uq_course_versions_course_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    text_only: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[Any] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    # Course metadata and outline (titles, audience, rules, modules with their lesson and activity refs).
    meta: Mapped[dict] = mapped_column(JSON, nullable=False)

    course = relationship("Course", back_populates="versions", foreign_keys=[course_id])
    lessons = relationship("Lesson", back_populates="version", order_by="Lesson.position", cascade="all, delete-orphan")
    activities = relationship(
        "Activity", back_populates="version", order_by="Activity.position", cascade="all, delete-orphan"
    )

    def __repr__(self):
        return f"<CourseVersion {self.course_id} v{self.number}>"


class Lesson(db.Model):
    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("version_id", "key", name="uq_lessons_version_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id", ondelete="CASCADE"), nullable=False)
    # "<module slug>/<lesson slug>": stable across versions, so progress survives a new version.
    key: Mapped[str] = mapped_column(String(160), nullable=False)
    module_slug: Mapped[str] = mapped_column(String(80), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[dict] = mapped_column(JSON, nullable=False)
    objectives: Mapped[dict] = mapped_column(JSON, nullable=False)
    html_es: Mapped[str] = mapped_column(Text, nullable=False)
    html_en: Mapped[str] = mapped_column(Text, nullable=False)

    version = relationship("CourseVersion", back_populates="lessons")

    def __repr__(self):
        return f"<Lesson {self.key} of version {self.version_id}>"

    def html(self, language: str) -> str:
        return self.html_en if language == "en" and self.html_en else self.html_es


class Activity(db.Model):
    __tablename__ = "activities"
    __table_args__ = (
        UniqueConstraint("version_id", "activity_id", name="uq_activities_version_activity"),
        CheckConstraint(
            "kind IN ('knowledge_check', 'dilemma', 'reflection', 'pledge', 'action_plan')", name="kind_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id", ondelete="CASCADE"), nullable=False)
    activity_id: Mapped[str] = mapped_column(String(80), nullable=False)
    module_slug: Mapped[str] = mapped_column(String(80), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    is_required: Mapped[bool] = mapped_column(Boolean, nullable=False)
    data: Mapped[dict] = mapped_column(JSON, nullable=False)

    version = relationship("CourseVersion", back_populates="activities")

    def __repr__(self):
        return f"<Activity {self.activity_id} ({self.kind})>"


class BankQuestion(db.Model):
    """A final-assessment question; the correct answers never leave the server before submission."""

    __tablename__ = "bank_questions"
    __table_args__ = (UniqueConstraint("version_id", "question_id", name="uq_bank_questions_version_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id", ondelete="CASCADE"), nullable=False)
    question_id: Mapped[str] = mapped_column(String(80), nullable=False)
    module_slug: Mapped[str] = mapped_column(String(80), nullable=False)
    data: Mapped[dict] = mapped_column(JSON, nullable=False)

    def __repr__(self):
        return f"<BankQuestion {self.question_id}>"


class CourseMedia(db.Model):
    """Images and files shipped in a package, served by the app so views never read the filesystem."""

    __tablename__ = "course_media"
    __table_args__ = (UniqueConstraint("version_id", "path", name="uq_course_media_version_path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id", ondelete="CASCADE"), nullable=False)
    path: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)

    def __repr__(self):
        return f"<CourseMedia {self.path}>"


def localised(texts: dict, language: str) -> str:
    """The text in *language*, else Spanish (the primary version), else whatever exists."""
    return texts.get(language) or texts.get("es") or next(iter(texts.values()), "")
