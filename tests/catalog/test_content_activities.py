"""activities.yaml checks: kinds, question rules, dilemmas and unique ids."""

import pytest

from app.catalog.content import validate_package
from tests.catalog import M1, M2, assert_problems, demo_package, edit, line_of, no_database  # noqa: F401

ACTIVITIES = f"{M1}/activities.yaml"
PATH = f"demo-course/{ACTIVITIES}"


def break_activities(folder, old, new):
    edit(folder, ACTIVITIES, old, new)
    return validate_package(folder)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("  required: false\n", "  required: false\n  hint: none\n", "hint"),  # activity
        ("      answer: false\n", "      answer: false\n      points: 2\n", "points"),  # question
        ("          correct: false\n", "          correct: false\n          weight: 1\n", "weight"),  # option
        ("right: {es: Lima, en: Lima}}", "right: {es: Lima, en: Lima}, score: 1}", "score"),  # pair
        (
            "      consequence: {es: Mal., en: Bad.}\n",
            "      consequence: {es: Mal., en: Bad.}\n      tip: x\n",
            "tip",
        ),  # choice
    ],
)
def test_unknown_keys_anywhere_in_activities(package, old, new, key):
    problems = break_activities(package, old, new)
    assert_problems(problems, (PATH, line_of(package, ACTIVITIES, f"{key}:"), f"unknown key '{key}'"))


def test_key_of_another_question_type_is_unknown(package):
    problems = break_activities(package, "      type: single\n", "      type: single\n      answer: true\n")
    assert_problems(problems, (PATH, line_of(package, ACTIVITIES, "answer: true"), "unknown key 'answer'"))


def test_activity_kind_must_be_known(package):
    problems = break_activities(package, "kind: reflection", "kind: essay")
    assert_problems(
        problems, (PATH, line_of(package, ACTIVITIES, "kind: essay"), "'kind' must be one of knowledge_check")
    )


def test_question_type_must_be_known(package):
    problems = break_activities(package, "type: ordering", "type: ranking")
    assert_problems(problems, (PATH, line_of(package, ACTIVITIES, "ranking"), "'type' must be one of single, multiple"))


def test_required_must_be_a_boolean(package):
    problems = break_activities(package, "required: false", 'required: "false"')
    assert_problems(
        problems, (PATH, line_of(package, ACTIVITIES, 'required: "false"'), "'required' must be true or false")
    )


def test_activity_missing_required_key(package):
    problems = break_activities(package, "  statement: {es: Me comprometo., en: I commit.}\n", "")
    assert_problems(problems, (PATH, line_of(package, ACTIVITIES, "id: pledge"), "missing required key 'statement'"))


def test_ids_must_be_slugs(package):
    edit(package, ACTIVITIES, "- id: reflect-day", "- id: Reflect Day")
    edit(package, f"{M1}/module.yaml", "activity: reflect-day", "activity: Reflect Day")
    problems = validate_package(package)
    assert_problems(problems, (PATH, line_of(package, ACTIVITIES, "Reflect Day"), "must use only lower-case letters"))


def test_activity_ids_unique_in_a_file(package):
    edit(package, ACTIVITIES, "- id: reflect-day", "- id: pledge")
    edit(package, f"{M1}/module.yaml", "  - activity: reflect-day\n", "")
    problems = validate_package(package)
    assert_problems(problems, (PATH, _nth_line(package, "- id: pledge", 1), "activity id 'pledge' is already used"))


def test_activity_ids_unique_across_modules(package):
    edit(package, f"{M2}/activities.yaml", "- id: check-practice", "- id: pledge")
    edit(package, f"{M2}/module.yaml", "activity: check-practice", "activity: pledge")
    problems = validate_package(package)
    assert_problems(
        problems,
        (f"demo-course/{M2}/activities.yaml", 1, "activity id 'pledge' is already used in module '01-first-steps'"),
    )


def test_question_ids_unique_within_an_activity(package):
    problems = break_activities(package, "- id: welcome-3", "- id: welcome-2")
    assert_problems(
        problems, (PATH, _nth_line(package, "id: welcome-2", 1), "question id 'welcome-2' is used more than once")
    )


def test_option_ids_unique_within_a_question(package):
    problems = break_activities(package, "{id: c, text: {es: Tres", "{id: b, text: {es: Tres")
    assert_problems(problems, (PATH, line_of(package, ACTIVITIES, "es: Tres"), "option id 'b' is used more than once"))


def test_single_needs_exactly_one_correct_option(package):
    problems = break_activities(package, "          correct: false\n", "          correct: true\n")
    assert_problems(problems, (PATH, _options_line(package, 1), "exactly one correct option; found 2"))


def test_single_with_no_correct_option(package):
    problems = break_activities(package, "          correct: true\n", "          correct: false\n")
    assert_problems(problems, (PATH, _options_line(package, 1), "exactly one correct option; found 0"))


def test_multiple_needs_two_correct_options(package):
    problems = break_activities(package, "{es: Dos, en: Two}, correct: true", "{es: Dos, en: Two}, correct: false")
    assert_problems(problems, (PATH, _options_line(package, 2), "at least two correct options; found 1"))


def test_multiple_needs_a_wrong_option(package):
    edit(package, ACTIVITIES, "{es: Cuatro, en: Four}, correct: false", "{es: Cuatro, en: Four}, correct: true")
    problems = break_activities(
        package, "{es: Tres, en: Three}, correct: false", "{es: Tres, en: Three}, correct: true"
    )
    assert_problems(problems, (PATH, _options_line(package, 2), "at least one wrong option"))


def test_option_needs_text(package):
    problems = break_activities(
        package, "- {id: a, text: {es: Uno, en: One}, correct: true}", "- {id: a, correct: true}"
    )
    assert_problems(
        problems, (PATH, line_of(package, ACTIVITIES, "- {id: a, correct: true}"), "missing required key 'text'")
    )


def test_true_false_answer_must_be_boolean(package):
    problems = break_activities(package, "      answer: false", '      answer: "false"')
    assert_problems(problems, (PATH, line_of(package, ACTIVITIES, 'answer: "false"'), "'answer' must be true or false"))


def test_true_false_needs_an_answer(package):
    problems = break_activities(package, "      answer: false\n", "")
    assert_problems(problems, (PATH, line_of(package, ACTIVITIES, "id: welcome-3"), "missing required key 'answer'"))


def test_ordering_needs_two_options(package):
    problems = break_activities(package, "        - {id: b, text: {es: Segundo, en: Second}}\n", "")
    assert_problems(problems, (PATH, _options_line(package, 3), "'options' must have at least 2 item(s)"))


def test_matching_needs_two_pairs(package):
    problems = break_activities(
        package, "        - {id: b, left: {es: Chile, en: Chile}, right: {es: Santiago, en: Santiago}}\n", ""
    )
    assert_problems(problems, (PATH, line_of(package, ACTIVITIES, "pairs:"), "'pairs' must have at least 2 item(s)"))


def test_feedback_must_be_bilingual(package):
    problems = break_activities(package, "feedback: {es: Es falso., en: It is false.}", "feedback: {es: Es falso.}")
    assert_problems(
        problems,
        (PATH, line_of(package, ACTIVITIES, "feedback: {es: Es falso.}"), "'feedback' is missing its 'en' text"),
    )


def test_option_feedback_must_be_bilingual(package):
    problems = break_activities(package, "feedback: {es: Bien., en: Right.}", 'feedback: {es: Bien., en: ""}')
    assert_problems(problems, (PATH, line_of(package, ACTIVITIES, 'en: ""'), "'feedback' has an empty 'en' text"))


VERDICT_PROBLEM = "starts with a verdict, which the page already shows: start with the explanation"


@pytest.mark.parametrize(
    ("old", "new", "language"),
    [
        ("feedback: {es: Bien., en: Right.}", "feedback: {es: Correcto. Bien., en: Right.}", "es"),
        ("feedback: {es: Bien., en: Right.}", "feedback: {es: Bien., en: 'Correct: right.'}", "en"),
        (
            "feedback: {es: Es falso., en: It is false.}",
            "feedback: {es: No exactamente. Es falso., en: It is false.}",
            "es",
        ),
        ("feedback: {es: Es falso., en: It is false.}", "feedback: {es: Es falso., en: Not quite. It is false.}", "en"),
    ],
)
def test_feedback_that_opens_with_the_pages_own_verdict_is_refused(package, old, new, language):
    # The page says "Correcto" or "No exactamente" itself; feedback opening so would read "Correcto. Correcto."
    problems = break_activities(package, old, new)
    assert_problems(problems, (PATH, line_of(package, ACTIVITIES, new), f"'feedback' '{language}' {VERDICT_PROBLEM}"))


def test_feedback_may_use_the_word_correct_inside_the_explanation(package):
    problems = break_activities(
        package, "feedback: {es: Bien., en: Right.}", "feedback: {es: Correctamente citada., en: Correctly quoted.}"
    )
    assert problems == []


def test_dilemma_needs_two_choices(package):
    choice = "    - id: a\n      text: {es: Lo aceptas., en: You accept it.}\n      consequence: {es: Mal., en: Bad.}\n"
    problems = break_activities(package, choice, "")
    assert_problems(
        problems, (PATH, line_of(package, ACTIVITIES, "choices:"), "'choices' must have at least 2 item(s)")
    )


def test_dilemma_choice_needs_a_consequence(package):
    problems = break_activities(package, "      consequence: {es: Mal., en: Bad.}\n", "")
    choice_line = _nth_line(package, "choices:", 0) + 1
    assert_problems(problems, (PATH, choice_line, "missing required key 'consequence'"))


def test_dilemma_at_most_one_recommended_choice(package):
    consequence = "      consequence: {es: Mal., en: Bad.}\n"
    problems = break_activities(package, consequence, consequence + "      recommended: true\n")
    second = _nth_line(package, "recommended: true", 1)
    assert_problems(problems, (PATH, second, "at most one choice with recommended: true"))


def test_knowledge_check_needs_questions(package):
    empty = "- id: check-empty\n  kind: knowledge_check\n  required: true\n  questions: []\n"
    (package / ACTIVITIES).write_text((package / ACTIVITIES).read_text(encoding="utf-8") + empty, encoding="utf-8")
    edit(package, f"{M1}/module.yaml", "  - activity: pledge\n", "  - activity: pledge\n  - activity: check-empty\n")
    problems = validate_package(package)
    assert_problems(
        problems, (PATH, line_of(package, ACTIVITIES, "questions: []"), "'questions' must have at least 1 item(s)")
    )


def _options_line(folder, question_number):
    lines = (folder / ACTIVITIES).read_text(encoding="utf-8").split("\n")
    start = next(n for n, line in enumerate(lines, 1) if f"id: welcome-{question_number}" in line)
    return next(n for n, line in enumerate(lines, 1) if n > start and "options:" in line)


def _nth_line(folder, needle, index):
    lines = (folder / ACTIVITIES).read_text(encoding="utf-8").split("\n")
    return [n for n, line in enumerate(lines, 1) if needle in line][index]


def test_fixed_true_or_false_is_accepted_on_options_of_single_and_multiple_questions(package):
    edit(package, ACTIVITIES, "          correct: false\n", "          correct: false\n          fixed: true\n")
    problems = break_activities(
        package,
        "{id: c, text: {es: Tres, en: Three}, correct: false}",
        "{id: c, text: {es: Tres, en: Three}, correct: false, fixed: false}",
    )
    assert_problems(problems)


def test_fixed_must_be_a_boolean(package):
    problems = break_activities(
        package, "          correct: false\n", "          correct: false\n          fixed: yes-ish\n"
    )
    assert_problems(problems, (PATH, line_of(package, ACTIVITIES, "fixed:"), "'fixed' must be true or false"))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("{id: b, text: {es: Segundo, en: Second}}", "{id: b, text: {es: Segundo, en: Second}, fixed: true}"),
        ("right: {es: Lima, en: Lima}}", "right: {es: Lima, en: Lima}, fixed: true}"),
    ],
    ids=["ordering item", "matching pair"],
)
def test_fixed_is_refused_outside_single_and_multiple_options(package, old, new):
    problems = break_activities(package, old, new)
    message = "'fixed' is allowed only on options of single and multiple questions"
    assert_problems(problems, (PATH, line_of(package, ACTIVITIES, "fixed: true"), message))


def _with_action_plan(folder, fields: str):
    edit(folder, f"{M1}/module.yaml", "  - activity: pledge\n", "  - activity: pledge\n  - activity: my-plan\n")
    plan = f"\n- id: my-plan\n  kind: action_plan\n  required: true\n  intro: {{es: Su plan., en: Your plan.}}\n  fields:\n{fields}"
    with open(folder / ACTIVITIES, "a", encoding="utf-8") as activities:
        activities.write(plan)
    return validate_package(folder)


def _fields(*ids: str) -> str:
    return "".join(f"    - id: {i}\n      prompt: {{es: ¿{i}?, en: {i}?}}\n" for i in ids)


def test_an_action_plan_with_prompts_and_hints_is_valid(package):
    fields = _fields("risk", "action") + "      hint: {es: Un paso concreto., en: One concrete step.}\n"
    assert _with_action_plan(package, fields) == []


@pytest.mark.parametrize(("ids", "fragment"), [(("only",), "at least 2"), (tuple("abcdefg"), "at most 6 fields")])
def test_an_action_plan_has_between_two_and_six_fields_so_it_prints_on_one_page(package, ids, fragment):
    problems = _with_action_plan(package, _fields(*ids))
    assert [p.path for p in problems] == [PATH] and fragment in problems[0].message


def test_action_plan_fields_need_unique_ids_and_a_prompt_in_both_languages(package):
    fields = _fields("risk", "risk") + "    - id: support\n      prompt: {es: ¿Quién?}\n"
    problems = _with_action_plan(package, fields)
    messages = " | ".join(p.message for p in problems)
    assert "field id 'risk' is used more than once" in messages and "'en'" in messages
