"""State changes for the catalog: syncing course packages into versions."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.catalog import content
from app.catalog.media import content_type_for, media_url
from app.catalog.models import Activity, BankQuestion, Course, CourseMedia, CourseVersion, Lesson
from app.catalog.signals import version_published
from app.extensions import db

_STORED_ELSEWHERE = {"modules", "final_assessment", "media", "content_hash", "text_only"}


class SyncRefused(Exception):
    """The packages have problems; nothing was loaded."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s) in the course packages")
        self.problems = problems


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def sync_tree(root: Path) -> SyncReport:
    """Validate every package under *root* first; load them only if all are valid."""
    with _no_cycle_collection():
        try:
            packages = content.load_tree(root)
        except content.PackageInvalid as exc:
            raise SyncRefused(exc.problems) from exc
        report = SyncReport()
        for package in packages:
            _, outcome = sync_package(package)
            getattr(report, outcome).append(package.slug)
    return report


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Every lesson's parsed Markdown stays alive from validation until its version is written: some
    hundred thousand objects that the cycle collector walked again and again (a quarter of a sync),
    though none of them is garbage. Reference counting still frees everything else as it goes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def sync_package(package) -> tuple[CourseVersion, str]:
    """Make *package* the current version of its course; the same content hash changes nothing.

    Returns the version and one of "created", "updated" or "unchanged".
    """
    course = db.session.execute(select(Course).where(Course.slug == package.slug)).scalar_one_or_none()
    outcome = "updated"
    if course is None:
        course = Course(slug=package.slug, programme=package.programme)
        db.session.add(course)
        db.session.flush()
        outcome = "created"
    existing = db.session.execute(
        select(CourseVersion).where(
            CourseVersion.course_id == course.id, CourseVersion.content_hash == package.content_hash
        )
    ).scalar_one_or_none()
    if existing is not None:
        if course.current_version_id != existing.id:
            course.current_version = existing
            db.session.flush()
        return existing, "unchanged"
    previous = course.current_version
    version = _new_version(course, package)
    course.programme = package.programme
    course.current_version = version
    db.session.flush()
    version_published.send(course, previous=previous, version=version)
    return version, outcome


def _new_version(course, package) -> CourseVersion:
    number = (
        db.session.execute(select(func.max(CourseVersion.number)).where(CourseVersion.course_id == course.id)).scalar()
        or 0
    ) + 1
    version = CourseVersion(
        course=course,
        number=number,
        content_hash=package.content_hash,
        text_only=package.text_only,
        meta=_meta(package),
    )
    db.session.add(version)
    position = 0
    labels = {language: _block_labels(language) for language in ("es", "en")}
    for module in package.modules:
        for lesson in module.lessons:
            position += 1
            version.lessons.append(_lesson(package, number, module, lesson, position, labels))
        for index, activity in enumerate(module.activities, start=1):
            version.activities.append(
                Activity(
                    activity_id=activity.id,
                    module_slug=module.slug,
                    position=module.position * 1000 + index,
                    kind=activity.kind,
                    is_required=activity.required,
                    data=activity.data,
                )
            )
    db.session.flush()
    if package.final_assessment is not None:
        db.session.add_all(
            BankQuestion(version_id=version.id, question_id=q["id"], module_slug=q["module"], data=q)
            for q in package.final_assessment.bank
        )
    db.session.add_all(
        CourseMedia(version_id=version.id, path=path, content_type=content_type_for(path), data=data)
        for path, data in package.media.items()
    )
    db.session.flush()
    return version


def _block_labels(language: str) -> dict[str, str]:
    """The words the renderer adds around lesson content, in the lesson's own language."""
    with force_locale(language):
        return {
            "video": _("Watch the video"),
            "transcript": _("Transcript"),
            "download": _("Download"),
            "table": _("Table (scrolls sideways on a small screen)"),
        }


def _lesson(package, number, module, lesson, position, labels) -> Lesson:
    def url(path):
        return media_url(package.slug, number, path)

    html = {
        language: content.render_tokens(lesson.tokens[language], media_url=url, labels=labels[language])
        for language in labels
    }
    return Lesson(
        key=f"{module.slug}/{lesson.slug}",
        module_slug=module.slug,
        position=position,
        minutes=lesson.minutes,
        title=lesson.title,
        objectives=lesson.objectives,
        html_es=html["es"],
        html_en=html["en"],
    )


def _meta(package) -> dict:
    data = package.to_dict()
    modules = []
    for module in package.modules:
        items = []
        for item in module.items:
            ref = f"{module.slug}/{item.ref}" if item.kind == "lesson" else item.ref
            items.append({"kind": item.kind, "ref": ref})
        modules.append(
            {
                "slug": module.slug,
                "position": module.position,
                "title": module.title,
                "summary": module.summary,
                "items": items,
            }
        )
    final = package.final_assessment
    # Everything but what has its own tables (lessons, activities, the bank, media).
    kept = {key: value for key, value in data.items() if key not in _STORED_ELSEWHERE}
    return kept | {
        "modules": modules,
        "final": {"draw": final.draw, "per_module_minimum": final.per_module_minimum} if final else None,
        "lesson_minutes": sum(lesson.minutes for module in package.modules for lesson in module.lessons),
    }
