"""Turning a validated package into CoursePackage and its parts."""

import datetime
from pathlib import Path
from typing import Any

from app.catalog.content.check_module import ModuleFolder
from app.catalog.content.check_tree import read_tree
from app.catalog.content.files import content_hash
from app.catalog.content.models import ActivitySpec, CoursePackage, FinalAssessmentSpec, ItemRef, LessonSpec, ModuleSpec
from app.catalog.content.problems import PackageInvalid
from app.catalog.content.reader import RawPackage, read_package
from app.catalog.content.rules import LANGUAGES


def load_package(folder: Path) -> CoursePackage:
    """Validate the package in *folder* and return it; raise PackageInvalid listing every problem.

    Building assumes a valid package, so nothing here re-checks what the validator already did.
    """
    raw, problems = read_package(folder)
    if problems:
        raise PackageInvalid(problems)
    return _build(raw)


def load_tree(root: Path) -> list[CoursePackage]:
    """Every package under *root*, each read and checked once; PackageInvalid if any has a problem."""
    raws, problems = read_tree(root)
    if problems:
        raise PackageInvalid(problems)
    return [_build(raw) for _, raw in sorted(raws.items())]


def plain(value: Any) -> Any:
    """Line-aware YAML containers as plain dicts and lists, dates as "YYYY-MM-DD": JSON-ready."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _build(raw: RawPackage) -> CoursePackage:
    course = plain(raw.course)
    changelog = course["changelog"]
    newest = max(changelog, key=lambda entry: entry["date"])
    certificate = course["certificate"]
    return CoursePackage(
        slug=course["slug"],
        programme=course["programme"],
        title=course["title"],
        summary=course["summary"],
        outcomes=course["outcomes"],
        audience=course["audience"],
        estimated_hours=float(course["estimated_hours"]),
        completion=course["completion"],
        assessment=course["assessment"],
        certificate={"type": certificate["type"], "validity_months": certificate.get("validity_months")},
        prerequisites=course.get("prerequisites") or [],
        changelog=changelog,
        text_only=newest["text_only"],
        modules=[_module(module) for module in raw.modules],
        final_assessment=_final_assessment(raw.assessment),
        media={relative: path.read_bytes() for relative, path in sorted(raw.media.items())},
        content_hash=content_hash(raw.folder),
    )


def _module(module: ModuleFolder) -> ModuleSpec:
    spec = plain(module.spec)
    items = [ItemRef(kind, ref) for item in spec["items"] for kind, ref in item.items()]
    activities = {activity["id"]: activity for activity in plain(module.activities)}
    return ModuleSpec(
        slug=module.slug,
        position=module.position,
        title=spec["title"],
        summary=spec["summary"],
        items=items,
        lessons=[_lesson(module, item.ref) for item in items if item.kind == "lesson"],
        activities=[_activity(activities[item.ref]) for item in items if item.kind == "activity"],
    )


def _lesson(module: ModuleFolder, slug: str) -> LessonSpec:
    files = module.lessons[slug]
    fronts = {language: plain(files[language].front) for language in LANGUAGES}
    return LessonSpec(
        slug=slug,
        module=module.slug,
        title={language: fronts[language]["title"] for language in LANGUAGES},
        minutes=fronts["es"]["minutes"],
        objectives={language: fronts[language]["objectives"] for language in LANGUAGES},
        markdown={language: files[language].body for language in LANGUAGES},
        tokens={language: files[language].tokens for language in LANGUAGES},
    )


def _activity(activity: dict[str, Any]) -> ActivitySpec:
    data = {key: value for key, value in activity.items() if key not in ("id", "kind", "required")}
    return ActivitySpec(id=activity["id"], kind=activity["kind"], required=activity["required"], data=data)


def _final_assessment(assessment) -> FinalAssessmentSpec | None:
    if assessment is None:
        return None
    return FinalAssessmentSpec(
        draw=assessment["draw"], per_module_minimum=assessment["per_module_minimum"], bank=plain(assessment["bank"])
    )
