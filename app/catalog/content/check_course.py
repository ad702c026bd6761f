"""Checks for course.yaml: identity, audience, rules, certificate and change log."""

from app.catalog.content.checker import FileChecker
from app.catalog.content.rules import (
    CERTIFICATE_TYPES,
    COMPLETION_ACTIVITIES,
    COMPLETION_LESSONS,
    ORGANISATION_KINDS,
    OUTCOMES_MAX,
    OUTCOMES_MIN,
    PROGRAMMES,
    REVIEW_AFTER_LAST_ATTEMPT,
    REVIEW_POLICIES,
    ROLES,
    SLUG,
)
from app.catalog.content.yaml_lines import LineDict

REQUIRED = (
    "slug",
    "programme",
    "title",
    "summary",
    "outcomes",
    "audience",
    "estimated_hours",
    "completion",
    "assessment",
    "certificate",
    "changelog",
)
OPTIONAL = ("prerequisites",)


def check_course(course: LineDict, folder_name: str, ck: FileChecker) -> None:
    """Check course.yaml; cross-package rules (prerequisites exist, no cycles) live in check_tree."""
    ck.keys(course, REQUIRED, OPTIONAL)
    _check_slug(course, folder_name, ck)
    ck.choice(course, "programme", PROGRAMMES)
    ck.text(course, "title")
    ck.text(course, "summary")
    _check_outcomes(course, ck)
    _check_audience(course, ck)
    if ck.number(course, "estimated_hours") and course["estimated_hours"] <= 0:
        ck.problem(course.lines["estimated_hours"], "'estimated_hours' must be more than 0")
    _check_completion(course, ck)
    _check_rules(course, ck)
    _check_certificate(course, ck)
    _check_prerequisites(course, ck)
    _check_changelog(course, ck)


def _check_slug(course: LineDict, folder_name: str, ck: FileChecker) -> None:
    if not ck.string(course, "slug"):
        return
    slug = course["slug"]
    if not SLUG.match(slug):
        ck.problem(course.lines["slug"], f"slug {slug!r} must use only lower-case letters, digits and hyphens")
    elif slug != folder_name:
        ck.problem(course.lines["slug"], f"slug {slug!r} must equal the folder name {folder_name!r}")


def _check_outcomes(course: LineDict, ck: FileChecker) -> None:
    outcomes = ck.sequence(course, "outcomes")
    if outcomes is None:
        return
    if not OUTCOMES_MIN <= len(outcomes) <= OUTCOMES_MAX:
        ck.problem(
            course.lines["outcomes"],
            f"'outcomes' must list {OUTCOMES_MIN} to {OUTCOMES_MAX} items; got {len(outcomes)}",
        )
    for index, outcome in enumerate(outcomes):
        ck.text_value(outcome, outcomes.lines[index], f"outcome {index + 1}")


def _check_audience(course: LineDict, ck: FileChecker) -> None:
    audience = course.get("audience")
    if audience is None or not ck.is_mapping(audience, course.lines["audience"], "'audience'"):
        return
    ck.keys(audience, ("public", "roles", "organisation_kinds"))
    ck.boolean(audience, "public")
    for key, allowed in (("roles", ROLES), ("organisation_kinds", ORGANISATION_KINDS)):
        values = ck.sequence(audience, key, min_items=0) or []
        for index, value in enumerate(values):
            if value not in allowed:
                ck.problem(values.lines[index], f"{key} entry {value!r} must be one of {', '.join(allowed)}")


def _check_completion(course: LineDict, ck: FileChecker) -> None:
    completion = course.get("completion")
    if completion is None or not ck.is_mapping(completion, course.lines["completion"], "'completion'"):
        return
    ck.keys(completion, ("lessons", "activities", "final_assessment"))
    ck.choice(completion, "lessons", COMPLETION_LESSONS)
    ck.choice(completion, "activities", COMPLETION_ACTIVITIES)
    ck.boolean(completion, "final_assessment")


def _check_rules(course: LineDict, ck: FileChecker) -> None:
    rules = course.get("assessment")
    if rules is None or not ck.is_mapping(rules, course.lines["assessment"], "'assessment'"):
        return
    ck.keys(rules, ("pass_mark", "attempts_allowed", "wait_hours_between_attempts"), ("review",))
    ck.integer(rules, "pass_mark", minimum=1, maximum=100)
    attempts_ok = ck.integer(rules, "attempts_allowed", minimum=0)
    ck.integer(rules, "wait_hours_between_attempts", minimum=0)
    review_ok = ck.choice(rules, "review", REVIEW_POLICIES)
    if review_ok and attempts_ok and rules["review"] == REVIEW_AFTER_LAST_ATTEMPT and rules["attempts_allowed"] == 0:
        # With unlimited attempts the last one never comes: the answers would show only after a pass.
        ck.problem(
            rules.lines["review"],
            "'review: after_last_attempt' needs a limit in 'attempts_allowed' (0 means unlimited); "
            "use after_pass, or set the number of attempts",
        )


def _check_certificate(course: LineDict, ck: FileChecker) -> None:
    certificate = course.get("certificate")
    if certificate is None or not ck.is_mapping(certificate, course.lines["certificate"], "'certificate'"):
        return
    ck.keys(certificate, ("type",), ("validity_months",))
    ck.choice(certificate, "type", CERTIFICATE_TYPES)
    if certificate.get("validity_months") is not None:
        ck.integer(certificate, "validity_months", minimum=1)


def _check_prerequisites(course: LineDict, ck: FileChecker) -> None:
    prerequisites = ck.sequence(course, "prerequisites", min_items=0) or []
    for index, slug in enumerate(prerequisites):
        line = prerequisites.lines[index]
        if not isinstance(slug, str) or not SLUG.match(slug):
            ck.problem(line, f"prerequisite {slug!r} must be the slug of another course")
        elif slug == course.get("slug"):
            ck.problem(line, "a course cannot be its own prerequisite")


def _check_changelog(course: LineDict, ck: FileChecker) -> None:
    changelog = ck.sequence(course, "changelog")
    for index, entry in enumerate(changelog or []):
        if not ck.is_mapping(entry, changelog.lines[index], f"changelog entry {index + 1}"):
            continue
        ck.keys(entry, ("date", "text_only", "note"))
        ck.date(entry, "date")
        ck.boolean(entry, "text_only")
        ck.text(entry, "note")
