"""Checks for assessment.yaml: the draw rules and the question bank."""

from collections import Counter

from app.catalog.content.check_questions import check_feedback, check_question, check_unique_ids, mappings
from app.catalog.content.checker import FileChecker
from app.catalog.content.yaml_lines import LineDict


def check_assessment(assessment: LineDict, module_slugs: set[str], ck: FileChecker) -> None:
    """Check the bank and that every draw can honour ``draw`` and ``per_module_minimum``.

    Only modules that have bank questions count towards the per-module rule: a module may be
    practised in its own activities and left out of the final assessment.
    """
    ck.keys(assessment, ("draw", "per_module_minimum", "bank"))
    draw_ok = ck.integer(assessment, "draw", minimum=1)
    minimum_ok = ck.integer(assessment, "per_module_minimum", minimum=0)
    bank = ck.sequence(assessment, "bank")
    if bank is None:
        return
    check_unique_ids(bank, ck, "bank question")
    questions = mappings(bank, ck, "bank question")
    for question in questions:
        check_question(question, ck, required=("module",), optional=("explanation",))
        check_feedback(question, "explanation", ck)
        if ck.string(question, "module") and question["module"] not in module_slugs:
            ck.problem(question.lines["module"], f"module {question['module']!r} is not a module folder of this course")
    if draw_ok and assessment["draw"] > len(bank):
        ck.problem(
            assessment.lines["draw"], f"'draw' is {assessment['draw']} but the bank has only {len(bank)} questions"
        )
    if draw_ok and minimum_ok:
        counts = Counter(
            q["module"] for q in questions if isinstance(q.get("module"), str) and q["module"] in module_slugs
        )
        _check_spread(assessment, counts, ck)


def _check_spread(assessment: LineDict, counts: Counter, ck: FileChecker) -> None:
    minimum, line = assessment["per_module_minimum"], assessment.lines["per_module_minimum"]
    if minimum * len(counts) > assessment["draw"]:
        ck.problem(
            line,
            f"'per_module_minimum' {minimum} × {len(counts)} modules with questions is more than "
            f"'draw' ({assessment['draw']})",
        )
    for module, count in sorted(counts.items()):
        if count < minimum:
            ck.problem(line, f"module {module!r} has {count} bank question(s); 'per_module_minimum' needs {minimum}")
