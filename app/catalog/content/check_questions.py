"""Checks for questions, shared by knowledge checks and the final assessment's bank."""

import re

from app.catalog.content.checker import FileChecker
from app.catalog.content.rules import LANGUAGES, QUESTION_TYPES
from app.catalog.content.yaml_lines import LineDict, LineList

_TYPE_KEYS = {
    "single": ("options",),
    "multiple": ("options",),
    "true_false": ("answer",),
    "ordering": ("options",),
    "matching": ("pairs",),
}

# A fixed ordering item or matching answer would give its place in the right answer away.
_FIXED_ONLY_ON_OPTIONS = "'fixed' is allowed only on options of single and multiple questions"

# The page says whether the answer is right ("Correcto", "No exactamente") and then shows the feedback, so
# feedback that opens with a verdict reads "Correcto. Correcto." Feedback explains; the page judges.
_VERDICT = re.compile(r"^\W*(correct[oa]?|incorrect[oa]?|not correct|not quite|no exactamente)\b", re.IGNORECASE)


def check_question(question: LineDict, ck: FileChecker, *, required: tuple = (), optional: tuple = ()) -> None:
    """Check one question; *required*/*optional* add the keys its container allows (the bank's ``module``)."""
    known_type = ck.choice(question, "type", QUESTION_TYPES)
    if known_type:
        ck.keys(question, ("id", "type", "prompt", *_TYPE_KEYS[question["type"]], *required), ("feedback", *optional))
    else:
        # Without a valid type the allowed keys are unknown; reporting them all would bury the real mistake.
        for key in ("id", "type", "prompt", *required):
            if key not in question:
                ck.problem(question.line, f"missing required key {key!r}")
    ck.identifier(question)
    ck.text(question, "prompt")
    check_feedback(question, "feedback", ck)
    if known_type:
        _CHECKS[question["type"]](question, ck)


def check_feedback(mapping: LineDict, key: str, ck: FileChecker) -> None:
    """A feedback or explanation text, if there is one: both languages, neither opening with a verdict."""
    if key not in mapping or not ck.text(mapping, key):
        return
    for language in LANGUAGES:
        if _VERDICT.match(mapping[key][language]):
            ck.problem(
                mapping[key].lines[language],
                f"{key!r} {language!r} starts with a verdict, which the page already shows: start with the explanation",
            )


def check_unique_ids(items: LineList, ck: FileChecker, what: str) -> None:
    """Report every repeated ``id`` among the mappings in *items*, at the repeat's line."""
    seen = set()
    for item in items:
        if not isinstance(item, LineDict) or not isinstance(item.get("id"), str):
            continue
        if item["id"] in seen:
            ck.problem(item.lines["id"], f"{what} id {item['id']!r} is used more than once")
        seen.add(item["id"])


def mappings(items: LineList, ck: FileChecker, what: str) -> list[LineDict]:
    """The items that are mappings; the others are reported at their line."""
    return [item for index, item in enumerate(items) if ck.is_mapping(item, items.lines[index], f"{what} {index + 1}")]


def _check_single(question: LineDict, ck: FileChecker) -> None:
    options = _options(question, ck, correct=True)
    if options is None:
        return
    correct = sum(option.get("correct") is True for option in options)
    if correct != 1:
        ck.problem(question.lines["options"], f"a single question needs exactly one correct option; found {correct}")


def _check_multiple(question: LineDict, ck: FileChecker) -> None:
    options = _options(question, ck, correct=True)
    if options is None:
        return
    correct = sum(option.get("correct") is True for option in options)
    if correct < 2:
        ck.problem(
            question.lines["options"], f"a multiple question needs at least two correct options; found {correct}"
        )
    if correct == len(options):
        ck.problem(question.lines["options"], "a multiple question needs at least one wrong option")


def _check_true_false(question: LineDict, ck: FileChecker) -> None:
    ck.boolean(question, "answer")


def _check_ordering(question: LineDict, ck: FileChecker) -> None:
    _options(question, ck, correct=False)


def _check_matching(question: LineDict, ck: FileChecker) -> None:
    pairs = ck.sequence(question, "pairs", min_items=2)
    if pairs is None:
        return
    check_unique_ids(pairs, ck, "pair")
    for pair in mappings(pairs, ck, "pair"):
        if "fixed" in pair:
            ck.problem(pair.lines["fixed"], _FIXED_ONLY_ON_OPTIONS)
        ck.keys(pair, ("id", "left", "right"), ("fixed",))
        ck.identifier(pair)
        ck.text(pair, "left")
        ck.text(pair, "right")


def _options(question: LineDict, ck: FileChecker, *, correct: bool) -> list[LineDict] | None:
    """Check the options; single/multiple options (*correct*) say whether they are right and may have feedback."""
    options = ck.sequence(question, "options", min_items=2)
    if options is None:
        return None
    check_unique_ids(options, ck, "option")
    valid = mappings(options, ck, "option")
    for option in valid:
        if not correct and "fixed" in option:
            ck.problem(option.lines["fixed"], _FIXED_ONLY_ON_OPTIONS)
        ck.keys(
            option,
            ("id", "text", "correct") if correct else ("id", "text"),
            ("feedback", "fixed") if correct else ("fixed",),
        )
        ck.identifier(option)
        ck.text(option, "text")
        if correct:
            ck.boolean(option, "correct")
            ck.boolean(option, "fixed")
        if correct:
            check_feedback(option, "feedback", ck)
    return valid


_CHECKS = {
    "single": _check_single,
    "multiple": _check_multiple,
    "true_false": _check_true_false,
    "ordering": _check_ordering,
    "matching": _check_matching,
}
