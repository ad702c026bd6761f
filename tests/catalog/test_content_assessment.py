"""assessment.yaml checks: the bank's questions and what every draw must be able to honour."""

from app.catalog.content import validate_package
from tests.catalog import assert_problems, demo_package, edit, line_of, no_database  # noqa: F401

PATH = "demo-course/assessment.yaml"


def break_assessment(folder, old, new):
    edit(folder, "assessment.yaml", old, new)
    return validate_package(folder)


def test_bank_question_must_name_an_existing_module(package):
    problems = break_assessment(package, "module: 02-next-steps", "module: 03-later")
    assert_problems(
        problems, (PATH, line_of(package, "assessment.yaml", "03-later"), "module '03-later' is not a module folder")
    )


def test_draw_cannot_exceed_the_bank(package):
    problems = break_assessment(package, "draw: 2", "draw: 3")
    assert_problems(problems, (PATH, 1, "'draw' is 3 but the bank has only 2 questions"))


def test_draw_must_be_at_least_one(package):
    problems = break_assessment(package, "draw: 2", "draw: 0")
    assert_problems(problems, (PATH, 1, "'draw' must be at least 1"))


def test_per_module_minimum_times_modules_cannot_exceed_draw(package):
    problems = break_assessment(package, "draw: 2", "draw: 1")
    assert_problems(problems, (PATH, 2, "'per_module_minimum' 1 × 2 modules with questions is more than 'draw' (1)"))


def test_each_module_with_questions_needs_the_minimum(package):
    extra = "".join(
        f"  - id: q0{n}\n    module: 01-first-steps\n    type: true_false\n"
        f"    prompt: {{es: Pregunta {n}, en: Question {n}}}\n    answer: false\n"
        for n in (3, 4)
    )
    path = package / "assessment.yaml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    edit(package, "assessment.yaml", "draw: 2", "draw: 4")
    problems = break_assessment(package, "per_module_minimum: 1", "per_module_minimum: 2")
    assert_problems(problems, (PATH, 2, "module '02-next-steps' has 1 bank question(s); 'per_module_minimum' needs 2"))


def test_a_module_without_bank_questions_is_allowed(package):
    problems = break_assessment(package, "module: 02-next-steps", "module: 01-first-steps")
    assert problems == []


def test_bank_question_ids_are_unique(package):
    problems = break_assessment(package, "- id: q02", "- id: q01")
    text = (package / "assessment.yaml").read_text(encoding="utf-8")
    lines = [n for n, line in enumerate(text.split("\n"), 1) if "id: q01" in line]
    assert_problems(problems, (PATH, lines[1], "bank question id 'q01' is used more than once"))


def test_bank_question_unknown_key(package):
    problems = break_assessment(package, "module: 02-next-steps", "modul: 02-next-steps")
    line = line_of(package, "assessment.yaml", "modul:")
    assert_problems(
        problems,
        (PATH, line, "unknown key 'modul'"),
        (PATH, line_of(package, "assessment.yaml", "id: q02"), "missing required key 'module'"),
    )


def test_bank_question_follows_the_question_rules(package):
    problems = break_assessment(
        package, "{es: Incorrecta, en: Wrong}, correct: false", "{es: Incorrecta, en: Wrong}, correct: true"
    )
    assert_problems(
        problems, (PATH, line_of(package, "assessment.yaml", "options:"), "exactly one correct option; found 2")
    )


def test_explanation_must_be_bilingual(package):
    problems = break_assessment(package, "explanation: {es: Porque sí., en: Because.}", "explanation: {es: Porque sí.}")
    assert_problems(
        problems, (PATH, line_of(package, "assessment.yaml", "explanation"), "'explanation' is missing its 'en' text")
    )


def test_an_explanation_opening_with_a_verdict_is_refused(package):
    new = "explanation: {es: Correcto. Porque sí., en: Because.}"
    problems = break_assessment(package, "explanation: {es: Porque sí., en: Because.}", new)
    assert_problems(
        problems, (PATH, line_of(package, "assessment.yaml", "explanation"), "'explanation' 'es' starts with a verdict")
    )


def test_assessment_unknown_top_level_key(package):
    problems = break_assessment(package, "draw: 2\n", "draw: 2\nshuffle: true\n")
    assert_problems(problems, (PATH, 2, "unknown key 'shuffle'"))


def test_missing_assessment_when_the_course_requires_one(package):
    (package / "assessment.yaml").unlink()
    assert_problems(
        validate_package(package), (PATH, 0, "file is missing: course.yaml says completion.final_assessment is true")
    )


def test_assessment_is_optional_without_a_final_assessment(package):
    (package / "assessment.yaml").unlink()
    edit(package, "course.yaml", "final_assessment: true", "final_assessment: false")
    assert validate_package(package) == []


def test_bank_options_may_be_fixed_in_place(package):
    problems = break_assessment(
        package,
        "{es: Incorrecta, en: Wrong}, correct: false",
        "{es: Incorrecta, en: Wrong}, correct: false, fixed: true",
    )
    assert_problems(problems)
