"""The item statistics of a course version as the SIP reads them: each bank question with its module and
prompt in the reader's language, beside its figures (app.learning.item_statistics)."""

from dataclasses import dataclass

from sqlalchemy import select

from app.catalog import queries as catalog_queries
from app.catalog.models import Course, CourseVersion, localised
from app.core.text import clean_line
from app.extensions import db
from app.learning import item_statistics, queries
from app.learning.item_statistics import ItemStatistics

PROMPT_EXCERPT = 90  # characters: enough to recognise a question in a table row


@dataclass(frozen=True)
class VersionSummary:
    version: CourseVersion
    course_slug: str
    submitted: int  # submitted attempts at its final assessment


@dataclass(frozen=True)
class ItemRow:
    question_id: str
    module: str
    prompt: str
    statistics: ItemStatistics


def list_versions() -> list[VersionSummary]:
    """Every course version with a final assessment, by course and newest version first."""
    counts = queries.count_submitted_attempts_by_version()
    found = db.session.execute(
        select(CourseVersion, Course.slug)
        .join(Course, Course.id == CourseVersion.course_id)
        .order_by(Course.slug, CourseVersion.number.desc())
    ).all()
    return [
        VersionSummary(version, slug, counts.get(version.id, 0))
        for version, slug in found
        if version.has_final_assessment
    ]


def get_version(version_id: int) -> CourseVersion | None:
    version = db.session.get(CourseVersion, version_id)
    return version if version is not None and version.has_final_assessment else None


def item_rows(version: CourseVersion, language: str) -> list[ItemRow]:
    """One row per question of *version*'s bank, in the bank's order."""
    bank = catalog_queries.list_bank(version.id)
    figures = item_statistics.compute(queries.submitted_attempt_rows(version.id), [q.question_id for q in bank])
    modules = {module["slug"]: localised(module["title"], language) for module in version.modules}
    return [
        ItemRow(
            question.question_id,
            modules.get(question.module_slug, question.module_slug),
            excerpt(localised(question.data.get("prompt") or {}, language)),
            stats,
        )
        for question, stats in zip(bank, figures, strict=True)
    ]


def excerpt(text: str, limit: int = PROMPT_EXCERPT) -> str:
    line = clean_line(text)
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
