"""Read helpers for courses and versions."""

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from app.catalog.models import Activity, BankQuestion, Course, CourseMedia, CourseVersion, Lesson, VersionMeta
from app.catalog.ordering import title_sort_key
from app.extensions import db


def get_published_course(slug: str) -> Course | None:
    return db.session.execute(
        select(Course)
        .options(selectinload(Course.current_version))
        .where(Course.slug == slug, Course.is_published.is_(True), Course.current_version_id.is_not(None))
    ).scalar_one_or_none()


def list_published_courses(*, language: str, programme: str | None = None) -> list[Course]:
    """Published courses in the order of their titles in *language* (see ordering.title_sort_key); a
    course without a title in *language* is placed by the title the page shows instead."""
    query = (
        select(Course)
        .options(selectinload(Course.current_version))
        .where(Course.is_published.is_(True), Course.current_version_id.is_not(None))
        .order_by(Course.slug)
    )
    if programme:
        query = query.where(Course.programme == programme)
    courses = db.session.execute(query).scalars()
    return sorted(courses, key=lambda course: title_sort_key(course.current_version.text("title", language), language))


@dataclass(frozen=True)
class LessonPage:
    """A lesson as its page shows it, detached from the database so it can be kept (see get_lesson)."""

    key: str
    module_slug: str
    minutes: int
    title: dict
    objectives: dict
    html_es: str
    html_en: str

    html = Lesson.html


_LESSON = select(Lesson).where(Lesson.version_id == bindparam("version"), Lesson.key == bindparam("key"))


@lru_cache(maxsize=128)
def get_lesson(version_id: int, content_hash: str, key: str) -> LessonPage | None:
    """A lesson of the version; a published version never changes, so recent lessons are kept in memory
    (the content hash is there so that an id reused by another database or test cannot match)."""
    found = db.session.execute(_LESSON, {"version": version_id, "key": key}).scalar_one_or_none()
    if found is None:
        return None
    return LessonPage(
        found.key, found.module_slug, found.minutes, found.title, found.objectives, found.html_es, found.html_en
    )


def list_lesson_outline(version_id: int) -> list[tuple]:
    """(key, module, position, minutes, title) of every lesson, without their HTML."""
    return list(
        db.session.execute(
            select(Lesson.key, Lesson.module_slug, Lesson.position, Lesson.minutes, Lesson.title)
            .where(Lesson.version_id == version_id)
            .order_by(Lesson.position)
        )
    )


def get_activity(version_id: int, activity_id: str) -> Activity | None:
    return db.session.execute(
        select(Activity).where(Activity.version_id == version_id, Activity.activity_id == activity_id)
    ).scalar_one_or_none()


def list_bank(version_id: int) -> list[BankQuestion]:
    return list(
        db.session.execute(
            select(BankQuestion).where(BankQuestion.version_id == version_id).order_by(BankQuestion.id)
        ).scalars()
    )


def get_bank_questions(version_id: int, question_ids: list[str]) -> dict[str, BankQuestion]:
    rows = db.session.execute(
        select(BankQuestion).where(BankQuestion.version_id == version_id, BankQuestion.question_id.in_(question_ids))
    ).scalars()
    return {row.question_id: row for row in rows}


def get_media(slug: str, number: int, path: str) -> tuple[Course, CourseMedia] | None:
    row = db.session.execute(
        select(Course, CourseMedia)
        .join(CourseVersion, CourseVersion.course_id == Course.id)
        .join(CourseMedia, CourseMedia.version_id == CourseVersion.id)
        .where(Course.slug == slug, CourseVersion.number == number, CourseMedia.path == path)
    ).first()
    return tuple(row) if row else None


@dataclass(frozen=True)
class LessonOutline:
    key: str
    module_slug: str
    minutes: int
    title: dict


@dataclass(frozen=True)
class ActivityOutline:
    activity_id: str
    kind: str
    is_required: bool


@dataclass(frozen=True)
class BankEntry:
    question_id: str
    module_slug: str
    data: dict


@dataclass(frozen=True)
class Structure(VersionMeta):
    """What the learner's pages of a course version need, lesson texts aside: its metadata, outline and
    question bank. A published version never changes, so this is kept in memory per (version id,
    content hash); treat it as read-only."""

    meta: dict
    lessons: dict
    activities: dict
    bank: dict


@lru_cache(maxsize=256)
def get_structure(version_id: int, content_hash: str) -> Structure:
    """The version's Structure, read from the database once per process."""
    meta = db.session.execute(select(CourseVersion.meta).where(CourseVersion.id == version_id)).scalar_one()
    lessons = {
        row.key: LessonOutline(row.key, row.module_slug, row.minutes, row.title)
        for row in list_lesson_outline(version_id)
    }
    rows = db.session.execute(
        select(Activity.activity_id, Activity.kind, Activity.is_required).where(Activity.version_id == version_id)
    )
    activities = {row.activity_id: ActivityOutline(row.activity_id, row.kind, row.is_required) for row in rows}
    bank = {q.question_id: BankEntry(q.question_id, q.module_slug, q.data) for q in list_bank(version_id)}
    return Structure(meta, lessons, activities, bank)


def list_published_slugs() -> set[str]:
    return set(
        db.session.execute(
            select(Course.slug).where(Course.is_published.is_(True), Course.current_version_id.is_not(None))
        ).scalars()
    )


def titles_by_slug(slugs, language: str) -> dict[str, str]:
    """Course titles in *language* for the given slugs (those not published keep their slug)."""
    if not slugs:
        return {}
    courses = db.session.execute(
        select(Course).options(selectinload(Course.current_version)).where(Course.slug.in_(list(slugs)))
    ).scalars()
    found = {c.slug: c.current_version.text("title", language) for c in courses if c.current_version}
    return {slug: found.get(slug, slug) for slug in slugs}
