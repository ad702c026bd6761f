"""Cueing warnings: answers a learner could guess from position, length or wording, with file and line."""

import pytest

from app.catalog.content import audit_package, audit_tree
from tests.catalog import M1, M2, assert_problems, demo_package, edit, line_of, no_database, write  # noqa: F401

ACTIVITIES = f"{M1}/activities.yaml"
PRACTICE = f"{M2}/activities.yaml"
BANK = "assessment.yaml"


def single(qid: str, key: int, *, right: tuple[str, str] | None = None, indent: str = "  ", module: bool = True) -> str:
    """A three-option single question whose options are equally long unless *right* gives the key's texts."""
    lines = [f"- id: {qid}", *(["  module: 01-first-steps"] if module else [])]
    lines += ["  type: single", '  prompt: {es: "¿Cuál?", en: "Which?"}', "  options:"]
    for index, letter in enumerate("abc"):
        es, en = right if right and index == key else (f"Opción {letter}", f"Option {letter}")
        lines.append(f"    - {{id: {letter}, text: {{es: {es}, en: {en}}}, correct: {str(index == key).lower()}}}")
    return "".join(f"{indent}{line}\n" for line in lines)


def write_bank(package, *questions: str) -> None:
    write(package, BANK, "draw: 2\nper_module_minimum: 1\nbank:\n" + "".join(questions))


def write_practice(package, *questions: str) -> None:
    """Module 2's knowledge check, made of *questions* (written with indent="    ", module=False)."""
    activity = "- id: check-practice\n  kind: knowledge_check\n  required: true\n  questions:\n"
    write(package, PRACTICE, activity + "".join(questions))


def dilemma(did: str, *, recommended_longest: bool) -> str:
    plain, full = "Actúas.", "Actúas y lo informas."
    recommended, other = (full, plain) if recommended_longest else (plain, full)
    return (
        f"- id: {did}\n  kind: dilemma\n  required: true\n"
        "  situation: {es: Algo pasa., en: Something happens.}\n  choices:\n"
        f"    - {{id: a, text: {{es: {other}, en: {other}}}, consequence: {{es: Bien., en: Fine.}}}}\n"
        f"    - {{id: b, text: {{es: {recommended}, en: {recommended}}}, consequence: {{es: Bien., en: Fine.}}, "
        "recommended: true}\n"
    )


def write_dilemmas(package, *longest: bool) -> None:
    """Module 2 with one dilemma per item of *longest* (whether its recommended choice is the longest)."""
    ids = [f"dilemma-{number}" for number in range(1, len(longest) + 1)]
    items = "".join(f"  - activity: {did}\n" for did in ids)
    module = "title: {es: Siguientes pasos, en: Next steps}\nsummary: {es: Práctica., en: Practice.}\nitems:\n"
    write(package, f"{M2}/module.yaml", module + "  - lesson: 01-practice\n" + items)
    dilemmas = [dilemma(did, recommended_longest=flag) for did, flag in zip(ids, longest, strict=True)]
    write(package, PRACTICE, "".join(dilemmas))


def warnings_of(package):
    findings = audit_package(package)
    assert findings.problems == [], [str(problem) for problem in findings.problems]
    return findings.warnings


def test_the_clean_demo_package_has_no_warnings(package):
    assert warnings_of(package) == []


def test_key_in_the_same_position_of_the_bank_warns_at_the_first_such_question(package):
    write_bank(package, *(single(f"q{number}", 0) for number in range(1, 6)))
    assert_problems(
        warnings_of(package),
        (f"demo-course/{BANK}", line_of(package, BANK, "- id: q1"), "correct option is option 1 in 5 of 5"),
    )


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param([0, 1, 2, 0, 1], id="40 per cent is not more than 40"),
        pytest.param([0, 0, 0, 0], id="four questions are too few to judge"),
    ],
)
def test_bank_keys_spread_over_positions_or_too_few_do_not_warn(package, keys):
    write_bank(package, *(single(f"q{number}", key) for number, key in enumerate(keys)))
    assert warnings_of(package) == []


def test_knowledge_check_keys_in_one_position_warn_across_the_modules_of_the_course(package):
    # Module 1's welcome-1 keeps its key first; the five here put theirs second: 5 of the course's 6.
    write_practice(package, *(single(f"p{number}", 1, indent="    ", module=False) for number in range(1, 6)))
    assert_problems(
        warnings_of(package),
        (
            f"demo-course/{PRACTICE}",
            line_of(package, PRACTICE, "- id: p1"),
            "in the course's knowledge checks, the correct option is option 2 in 5 of 6",
        ),
    )


@pytest.mark.parametrize(
    ("right", "languages"),
    [
        (("Opción correcta y larga", "Option e"), ["'es'"]),
        (("Opción e", "Option right and long"), ["'en'"]),
        (("Opción correcta y larga", "Option right and long"), ["'es'", "'en'"]),
    ],
)
def test_correct_option_longest_in_most_bank_questions_warns_in_either_language(package, right, languages):
    # The keys move around (no position cue); the key is the longest in 3 of 5 questions.
    keys = [0, 1, 2, 0, 1]
    write_bank(package, *(single(f"q{n}", key, right=right if n < 3 else None) for n, key in enumerate(keys)))
    (warning,) = warnings_of(package)
    assert (warning.path, warning.line) == (f"demo-course/{BANK}", line_of(package, BANK, "- id: q0"))
    assert "the correct option is the longest in 3 of 5 single-choice questions" in warning.message
    assert [language for language in ("'es'", "'en'") if language in warning.message] == languages


def test_correct_option_longest_in_half_the_questions_does_not_warn(package):
    right = ("Opción correcta y larga", "Option right and long")
    keys = [0, 1, 2, 0, 1, 2]
    write_bank(package, *(single(f"q{n}", key, right=right if n < 3 else None) for n, key in enumerate(keys)))
    assert warnings_of(package) == []


def test_multiple_question_with_all_options_correct_but_one_warns_at_the_question(package):
    edit(package, ACTIVITIES, "{es: Cuatro, en: Four}, correct: false", "{es: Cuatro, en: Four}, correct: true")
    assert_problems(
        warnings_of(package),
        (
            f"demo-course/{ACTIVITIES}",
            line_of(package, ACTIVITIES, "- id: welcome-2"),
            "multiple question 'welcome-2': every option but one is correct",
        ),
    )


def test_recommended_choice_longest_in_most_dilemmas_warns(package):
    # With module 1's dilemma-gift (its recommended choice is the longer in Spanish): 6 of 6 in es, 5 of 6 in en.
    write_dilemmas(package, True, True, True, True, True)
    assert_problems(
        warnings_of(package),
        (
            f"demo-course/{ACTIVITIES}",
            line_of(package, ACTIVITIES, "- id: dilemma-gift"),
            "the recommended choice is the longest in 6 of 6 dilemmas in 'es' and 5 of 6 dilemmas in 'en'",
        ),
    )


def test_recommended_choice_longest_in_60_per_cent_of_dilemmas_does_not_warn(package):
    write_dilemmas(package, True, True, False, False, False)  # with dilemma-gift: 3 of 6 in es, 2 of 6 in en
    assert warnings_of(package) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("{es: Bien., en: Good.}", "{es: Es la opción que este curso recomienda., en: Good.}"),
        ("{es: Bien., en: Good.}", "{es: Bien., en: This is the option this course recommends.}"),
        ("{es: Bien., en: Good.}", "{es: Es justo lo que recomienda esta lección., en: Good.}"),
        ("{es: Bien., en: Good.}", "{es: Bien., en: Exactly what THIS LESSON RECOMMENDS.}"),
        ("{es: Lo rechazas., en: You refuse it.}", "{es: Lo rechazas (opción recomendada)., en: You refuse it.}"),
        ("{es: Lo rechazas., en: You refuse it.}", "{es: Lo rechazas., en: You refuse it (the recommended choice).}"),
    ],
)
def test_dilemma_that_labels_its_recommended_choice_warns_at_that_text(package, old, new):
    edit(package, ACTIVITIES, old, new)
    assert_problems(
        warnings_of(package),
        (
            f"demo-course/{ACTIVITIES}",
            line_of(package, ACTIVITIES, new),
            "dilemma 'dilemma-gift' says which choice the course recommends",
        ),
    )


@pytest.mark.parametrize(
    "text",
    ["The OECD recommends saying no.", "Su equipo le recomienda aceptarlo.", "El curso no trata este caso."],
)
def test_dilemma_mentioning_a_recommendation_without_labelling_itself_does_not_warn(package, text):
    edit(package, ACTIVITIES, "{es: Mal., en: Bad.}", f"{{es: Mal., en: {text}}}")
    assert warnings_of(package) == []


def test_tree_warns_only_once_a_package_has_no_problem(package):
    edit(package, ACTIVITIES, "{es: Cuatro, en: Four}, correct: false", "{es: Cuatro, en: Four}, correct: true")
    assert len(audit_tree(package.parent).warnings) == 1
    edit(package, "course.yaml", "programme: induction", "programme: cooking")
    findings = audit_tree(package.parent)
    assert findings.problems and findings.warnings == []
