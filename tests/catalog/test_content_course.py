"""course.yaml checks: keys, types, enums, both languages, slug, hours, certificate and change log."""

import pytest

from app.catalog.content import validate_package
from tests.catalog import assert_problems, demo_package, edit, line_of, no_database  # noqa: F401

COURSE = "demo-course/course.yaml"
CHANGELOG = """changelog:
  - date: 2026-11-26
    text_only: false
    note:
      es: Primera versión.
      en: First version.
"""


def break_course(folder, old, new):
    edit(folder, "course.yaml", old, new)
    return validate_package(folder)


def test_the_demo_package_is_valid(package):
    assert validate_package(package) == []


def test_unknown_key_is_reported_with_the_missing_one_it_replaced(package):
    problems = break_course(package, "pass_mark: 70", "pas_mark: 70")
    line = line_of(package, "course.yaml", "pas_mark")
    assert_problems(
        problems, (COURSE, line, "unknown key 'pas_mark'"), (COURSE, line, "missing required key 'pass_mark'")
    )


def test_unknown_top_level_key(package):
    problems = break_course(package, "estimated_hours: 1.5\n", "estimated_hours: 1.5\nlevel: easy\n")
    assert_problems(problems, (COURSE, line_of(package, "course.yaml", "level:"), "unknown key 'level'"))


def test_missing_required_key_points_at_the_mapping(package):
    problems = break_course(package, "estimated_hours: 1.5\n", "")
    assert_problems(problems, (COURSE, 1, "missing required key 'estimated_hours'"))


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        (
            "estimated_hours: 1.5",
            'estimated_hours: "three"',
            "'estimated_hours' must be a number, not the text 'three'",
        ),
        ("pass_mark: 70", 'pass_mark: "70"', "'pass_mark' must be a whole number"),
        ("pass_mark: 70", "pass_mark: 70.5", "'pass_mark' must be a whole number"),
        ("attempts_allowed: 3", "attempts_allowed: true", "'attempts_allowed' must be a whole number, not true/false"),
        ("public: false", 'public: "no"', "'public' must be true or false, not the text 'no'"),
        ("final_assessment: true", "final_assessment: 1", "'final_assessment' must be true or false"),
        ("slug: demo-course", "slug: 12", "'slug' must be text"),
        ("prerequisites: []", "prerequisites: other-course", "'prerequisites' must be a list"),
    ],
)
def test_wrong_types_are_reported_at_their_line(package, old, new, fragment):
    problems = break_course(package, old, new)
    assert_problems(problems, (COURSE, line_of(package, "course.yaml", new), fragment))


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("programme: induction", "programme: university", "'programme' must be one of induction, trainer"),
        ("type: induction", "type: diploma", "'type' must be one of induction"),
        ("lessons: all", "lessons: some", "'lessons' must be one of all"),
        ("activities: required", "activities: most", "'activities' must be one of required"),
        ("roles: [learner, integrity_officer]", "roles: [learner, janitor]", "roles entry 'janitor' must be one of"),
        (
            "organisation_kinds: [regional_government, entity]",
            "organisation_kinds: [regional_government, ngo]",
            "organisation_kinds entry 'ngo' must be one of",
        ),
    ],
)
def test_enum_values_are_checked(package, old, new, fragment):
    problems = break_course(package, old, new)
    assert_problems(problems, (COURSE, line_of(package, "course.yaml", new), fragment))


def test_every_documented_role_and_organisation_kind_is_accepted(package):
    roles = "[learner, integrity_officer, trainer, governor, advisor, sip_admin, business_rep]"
    edit(package, "course.yaml", "roles: [learner, integrity_officer]", f"roles: {roles}")
    problems = break_course(
        package, "[regional_government, entity]", "[national, regional_government, entity, company]"
    )
    assert problems == []


@pytest.mark.parametrize("rule", ["after_pass", "after_last_attempt", "always"])
def test_every_documented_review_rule_is_accepted(package, rule):
    assert (
        break_course(
            package, "wait_hours_between_attempts: 24\n", f"wait_hours_between_attempts: 24\n  review: {rule}\n"
        )
        == []
    )


def test_an_unknown_review_rule_names_the_ones_allowed(package):
    problems = break_course(
        package, "wait_hours_between_attempts: 24\n", "wait_hours_between_attempts: 24\n  review: never\n"
    )
    assert_problems(
        problems,
        (
            COURSE,
            line_of(package, "course.yaml", "review: never"),
            "'review' must be one of after_pass, after_last_attempt, always; got 'never'",
        ),
    )


def test_review_after_the_last_attempt_needs_a_limited_number_of_attempts(package):
    edit(package, "course.yaml", "attempts_allowed: 3", "attempts_allowed: 0")
    problems = break_course(
        package, "wait_hours_between_attempts: 24\n", "wait_hours_between_attempts: 24\n  review: after_last_attempt\n"
    )
    assert_problems(
        problems,
        (
            COURSE,
            line_of(package, "course.yaml", "review: after_last_attempt"),
            "'review: after_last_attempt' needs a limit in 'attempts_allowed' (0 means unlimited)",
        ),
    )


def test_localised_text_missing_english(package):
    problems = break_course(package, "  en: Demo course\n", "")
    assert_problems(
        problems, (COURSE, line_of(package, "course.yaml", "es: Curso de prueba"), "'title' is missing its 'en' text")
    )


def test_localised_text_empty_english(package):
    problems = break_course(package, "en: Demo course", 'en: ""')
    assert_problems(problems, (COURSE, line_of(package, "course.yaml", 'en: ""'), "'title' has an empty 'en' text"))


def test_localised_text_given_as_plain_text(package):
    problems = break_course(package, "title:\n  es: Curso de prueba\n  en: Demo course\n", "title: Demo course\n")
    assert_problems(problems, (COURSE, 3, "'title' must have an 'es' and an 'en' text"))


def test_localised_text_in_an_unknown_language(package):
    problems = break_course(package, "  en: Demo course\n", "  en: Demo course\n  fr: Cours\n")
    assert_problems(
        problems, (COURSE, line_of(package, "course.yaml", "fr: Cours"), "unknown language 'fr' in 'title'")
    )


def test_outcome_missing_spanish(package):
    problems = break_course(package, "  - es: Segundo logro.\n    en: Second outcome.", "  - en: Second outcome.")
    assert_problems(
        problems, (COURSE, line_of(package, "course.yaml", "en: Second outcome."), "outcome 2 is missing its 'es' text")
    )


def test_outcomes_must_number_three_to_six(package):
    problems = break_course(package, "  - es: Tercer logro.\n    en: Third outcome.\n", "")
    assert_problems(problems, (COURSE, line_of(package, "course.yaml", "outcomes:"), "must list 3 to 6 items; got 2"))


def test_slug_must_equal_the_folder_name(package):
    problems = break_course(package, "slug: demo-course", "slug: other-course")
    assert_problems(problems, (COURSE, 1, "slug 'other-course' must equal the folder name 'demo-course'"))


def test_slug_must_be_lower_case_with_hyphens(package):
    problems = break_course(package, "slug: demo-course", "slug: Demo_Course")
    assert_problems(problems, (COURSE, 1, "must use only lower-case letters, digits and hyphens"))


@pytest.mark.parametrize("hours", ["0", "-1"])
def test_estimated_hours_must_be_positive(package, hours):
    problems = break_course(package, "estimated_hours: 1.5", f"estimated_hours: {hours}")
    assert_problems(problems, (COURSE, line_of(package, "course.yaml", "estimated_hours"), "must be more than 0"))


@pytest.mark.parametrize("mark", ["0", "101"])
def test_pass_mark_must_be_between_1_and_100(package, mark):
    problems = break_course(package, "pass_mark: 70", f"pass_mark: {mark}")
    assert_problems(problems, (COURSE, line_of(package, "course.yaml", "pass_mark"), "between 1 and 100"))


@pytest.mark.parametrize("months", ["0", "-6", "1.5", '"24"'])
def test_validity_months_must_be_a_positive_whole_number(package, months):
    problems = break_course(package, "validity_months: 24", f"validity_months: {months}")
    assert_problems(problems, (COURSE, line_of(package, "course.yaml", "validity_months"), "'validity_months'"))


@pytest.mark.parametrize("replacement", ["validity_months: null", "validity_months:", ""])
def test_validity_months_may_be_null_or_absent(package, replacement):
    assert break_course(package, "  validity_months: 24\n", f"  {replacement}\n" if replacement else "") == []


def test_changelog_must_not_be_empty(package):
    problems = break_course(package, CHANGELOG, "changelog: []\n")
    assert_problems(
        problems, (COURSE, line_of(package, "course.yaml", "changelog"), "'changelog' must have at least 1 item")
    )


@pytest.mark.parametrize("date", ["26/11/2026", '"2026-11-5"', "2026-13-45", "2026-11-26 10:00:00"])
def test_changelog_dates_must_be_iso(package, date):
    problems = break_course(package, "date: 2026-11-26", f"date: {date}")
    assert_problems(
        problems, (COURSE, line_of(package, "course.yaml", "date:"), "'date' must be a date written YYYY-MM-DD")
    )


def test_changelog_date_may_be_quoted(package):
    assert break_course(package, "date: 2026-11-26", 'date: "2026-11-26"') == []


def test_changelog_entry_needs_text_only(package):
    problems = break_course(package, "    text_only: false\n", "")
    assert_problems(problems, (COURSE, line_of(package, "course.yaml", "date:"), "missing required key 'text_only'"))


def test_prerequisite_must_look_like_a_slug(package):
    problems = break_course(package, "prerequisites: []", "prerequisites: [Other Course]")
    assert_problems(problems, (COURSE, line_of(package, "course.yaml", "prerequisites"), "prerequisite 'Other Course'"))


def test_course_cannot_be_its_own_prerequisite(package):
    problems = break_course(package, "prerequisites: []", "prerequisites: [demo-course]")
    assert_problems(
        problems, (COURSE, line_of(package, "course.yaml", "prerequisites"), "cannot be its own prerequisite")
    )


def test_duplicate_key_is_reported(package):
    problems = break_course(package, "estimated_hours: 1.5\n", "estimated_hours: 1.5\nestimated_hours: 2\n")
    assert_problems(
        problems, (COURSE, line_of(package, "course.yaml", "estimated_hours: 2"), "duplicate key 'estimated_hours'")
    )


def test_yaml_syntax_error_is_one_problem_at_the_line_pyyaml_gives(package):
    problems = break_course(package, "  pass_mark: 70\n", "  pass_mark: [70\n")
    [problem] = problems
    assert (problem.path, problem.line) == (COURSE, line_of(package, "course.yaml", "attempts_allowed"))
    # libyaml says "did not find expected ',' or ']'", the pure-Python parser "expected ',' or ']', but got ':'".
    assert problem.message.startswith("YAML syntax error: ") and "',' or ']'" in problem.message


def test_course_yaml_that_is_not_a_mapping(package):
    (package / "course.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    assert_problems(
        validate_package(package), (COURSE, 1, "the file must hold a mapping of keys and values, not a list")
    )


def test_missing_course_yaml_is_reported_at_line_0(package):
    (package / "course.yaml").unlink()
    assert_problems(validate_package(package), (COURSE, 0, "file is missing"))


def test_file_that_is_not_utf8_points_at_the_bad_line(package):
    data = (
        (package / "course.yaml")
        .read_bytes()
        .replace("Primera versión".encode(), "Primera versi\xf3n".encode("latin-1"))
    )
    (package / "course.yaml").write_bytes(data)
    assert_problems(validate_package(package), (COURSE, line_of_bytes(data, b"Primera versi"), "not valid UTF-8"))


def line_of_bytes(data: bytes, needle: bytes) -> int:
    return data[: data.index(needle)].count(b"\n") + 1
