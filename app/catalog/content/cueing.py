"""Warnings about cues: patterns in a valid package that let a learner guess the answer without knowing it.

They are warnings, not problems: a package with cues still loads, and `flask courses validate --strict`
is how a review refuses them. Every check reads a package that already passed validation, so the shapes
of its YAML are trusted here.
"""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from app.catalog.content.problems import Problem
from app.catalog.content.reader import RawPackage
from app.catalog.content.rules import ACTIVITIES_FILE, ASSESSMENT_FILE, LANGUAGES
from app.catalog.content.yaml_lines import LineDict

# An author who varies the key puts 25-33% of the keys in each position of three- or four-option questions;
# above 40% in one position, a learner who always picks that position scores clearly better than chance.
POSITION_SHARE = 0.40
# The right answer is often the one the author took most care to qualify; when it is the longest in more
# than half the questions, "pick the longest" beats chance; a learner reads one language, so each counts alone.
LONGEST_SHARE = 0.50
# A recommended choice that is also the most elaborate most of the time teaches "pick the longest" rather
# than judgement; dilemmas have two or three choices, so the bar is higher than for questions.
DILEMMA_LONGEST_SHARE = 0.60
# Shares of a handful of items are noise (two questions always put half their keys in one position), so the
# share checks wait until a bank, the knowledge checks or the dilemmas of a course have this many items.
MIN_ITEMS = 5

# A dilemma's text that tells the learner which choice the course wants, in either language: "This is the
# option this course recommends", "what this lesson recommends", "la opción que este curso recomienda",
# "lo que recomienda esta lección", "the recommended choice"…
_SELF_LABELS = (
    re.compile(r"\b(this|the)\s+(course|lesson|module)\b[^.!?]*\brecommend", re.IGNORECASE),
    re.compile(r"\brecommend\w*\s+(in|by)?\s*(this|the)\s+(course|lesson|module)\b", re.IGNORECASE),
    re.compile(r"\brecommended\s+(option|choice|answer)\b", re.IGNORECASE),
    re.compile(r"\b(este|el|esta|la)\s+(curso|lección|módulo)\b[^.!?¡¿]*\brecomi?end", re.IGNORECASE),
    re.compile(r"\brecomi?end\w*\s+(en\s+)?(este|el|esta|la)\s+(curso|lección|módulo)\b", re.IGNORECASE),
    re.compile(r"\b(opción|alternativa|respuesta|elección)\s+recomendada\b", re.IGNORECASE),
)


@dataclass(frozen=True)
class _Item:
    """A question or dilemma with where it is written, for warnings that point at it."""

    path: str
    data: LineDict


def cueing_warnings(package: RawPackage) -> list[Problem]:
    """Every cueing warning of a package that passed validation, sorted by file and line."""
    warnings: list[Problem] = []
    checks, dilemmas = _activities(package)
    bank = [_Item(_rel(package, ASSESSMENT_FILE), question) for question in (package.assessment or {}).get("bank", [])]
    for scope, questions in (("final-assessment bank", bank), ("course's knowledge checks", checks)):
        singles = [item for item in questions if item.data["type"] == "single"]
        warnings += _position(singles, scope)
        warnings += _longest(singles, scope, _correct, LONGEST_SHARE, "the correct option", "single-choice questions")
        warnings += _nearly_all_correct(item for item in questions if item.data["type"] == "multiple")
    recommended = [item for item in dilemmas if any(choice.get("recommended") for choice in item.data["choices"])]
    warnings += _longest(
        recommended, "course", _recommended, DILEMMA_LONGEST_SHARE, "the recommended choice", "dilemmas"
    )
    warnings += _self_labelled(dilemmas)
    return sorted(warnings)


def _activities(package: RawPackage) -> tuple[list[_Item], list[_Item]]:
    """The knowledge-check questions and the dilemmas of every module, in course order."""
    questions, dilemmas = [], []
    for module in package.modules:
        path = _rel(package, f"{module.folder.relative_to(package.folder).as_posix()}/{ACTIVITIES_FILE}")
        for activity in module.activities:
            if activity["kind"] == "knowledge_check":
                questions += [_Item(path, question) for question in activity["questions"]]
            elif activity["kind"] == "dilemma":
                dilemmas.append(_Item(path, activity))
    return questions, dilemmas


def _position(singles: list[_Item], scope: str) -> list[Problem]:
    if len(singles) < MIN_ITEMS:
        return []
    keys = {id(item): _key_position(item.data) for item in singles}
    position, count = Counter(keys.values()).most_common(1)[0]
    if count <= POSITION_SHARE * len(singles):
        return []
    first = next(item for item in singles if keys[id(item)] == position)
    return [
        _at(
            first,
            f"in the {scope}, the correct option is option {position + 1} in {count} of {len(singles)} "
            f"single-choice questions (more than {POSITION_SHARE:.0%}): learners can guess by position; "
            "vary where the key is written (this is the first such question)",
        )
    ]


def _longest(items: list[_Item], scope: str, answer, share: float, what: str, counted: str) -> list[Problem]:
    """Warn when *answer* (a function giving the key and the options of an item) is the longest too often.

    Each language is counted on its own, as a learner reads only one; either one above *share* warns.
    """
    if len(items) < MIN_ITEMS:
        return []
    tripped = []
    for language in LANGUAGES:
        longest = [item for item in items if _is_longest(*answer(item.data), language)]
        if len(longest) > share * len(items):
            tripped.append((language, longest))
    if not tripped:
        return []
    counts = " and ".join(f"{len(longest)} of {len(items)} {counted} in {language!r}" for language, longest in tripped)
    first = min((longest[0] for _, longest in tripped), key=lambda item: (item.path, item.data.line))
    return [
        _at(
            first,
            f"in the {scope}, {what} is the longest in {counts} (more than {share:.0%}): learners can guess "
            "by length; make the others as full or the right one plainer (this is the first such item)",
        )
    ]


def _nearly_all_correct(multiples: Iterable[_Item]) -> list[Problem]:
    warnings = []
    for item in multiples:
        options = item.data["options"]
        if sum(option["correct"] is False for option in options) == 1:
            warnings.append(
                _at(
                    item,
                    f"multiple question {item.data['id']!r}: every option but one is correct, so ticking them all "
                    "is nearly right; add plausible wrong options or ask for the one wrong option instead",
                )
            )
    return warnings


def _self_labelled(dilemmas: list[_Item]) -> list[Problem]:
    warnings = []
    for item in dilemmas:
        for line, text in _dilemma_texts(item.data):
            if any(pattern.search(text) for pattern in _SELF_LABELS):
                warnings.append(
                    Problem(
                        item.path,
                        line,
                        f"dilemma {item.data['id']!r} says which choice the course recommends; let the "
                        "consequences argue for it instead of labelling it",
                    )
                )
    return warnings


def _dilemma_texts(dilemma: LineDict) -> Iterable[tuple[int, str]]:
    """Each language of the situation and of every choice's text and consequence, with its line."""
    texts = [dilemma["situation"]]
    for choice in dilemma["choices"]:
        texts += [choice["text"], choice["consequence"]]
    for text in texts:
        for language in LANGUAGES:
            yield text.lines[language], text[language]


def _key_position(question: LineDict) -> int:
    return next(index for index, option in enumerate(question["options"]) if option["correct"])


def _correct(question: LineDict) -> tuple[LineDict, list[LineDict]]:
    options = question["options"]
    return next(option for option in options if option["correct"]), options


def _recommended(dilemma: LineDict) -> tuple[LineDict, list[LineDict]]:
    choices = dilemma["choices"]
    return next(choice for choice in choices if choice.get("recommended")), choices


def _is_longest(answer: LineDict, options: list[LineDict], language: str) -> bool:
    # Strictly longer than every other option: a tie gives the learner nothing to go on.
    length = len(answer["text"][language].strip())
    return all(length > len(option["text"][language].strip()) for option in options if option is not answer)


def _at(item: _Item, message: str) -> Problem:
    return Problem(item.path, item.data.line, message)


def _rel(package: RawPackage, relative: str) -> str:
    return f"{package.folder.name}/{relative}"
