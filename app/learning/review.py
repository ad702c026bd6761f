"""What a learner may see of a submitted attempt: always which answers were wrong and what to revisit; the
right answers and their feedback only once the course's review rule allows it.

With many attempts, showing the key after each failed one would let a learner collect the whole bank
without reading the course; the rule (`review` in course.yaml) says when the key may be shown.
"""

from dataclasses import dataclass

from app.catalog import queries as catalog_queries
from app.catalog.content.rules import REVIEW_AFTER_LAST_ATTEMPT, REVIEW_AFTER_PASS, REVIEW_ALWAYS
from app.catalog.models import localised
from app.learning import queries, scoring, shuffles
from app.learning.services.assessment import modules_to_review


@dataclass(frozen=True)
class QuestionReview:
    """One question of a submitted attempt; right_answer, options and feedback stay empty while the key is withheld.

    options lists a single or multiple-choice question's options in the order the attempt showed them,
    so the learner finds the review laid out as the page they answered, each chosen option with its own
    feedback; feedback holds the question's general feedback and explanation.
    """

    prompt: str
    is_correct: bool
    module_slug: str
    right_answer: str | bool | None = None
    options: tuple[scoring.ReviewedOption, ...] = ()
    feedback: tuple[str, ...] = ()


@dataclass(frozen=True)
class AttemptReview:
    rule: str  # review_rule's answer: when the right answers are shown
    shows_answers: bool
    questions: list[QuestionReview]
    modules: list[str]  # slugs of the modules to revisit, in course order


def review_rule(enrolment) -> str:
    """The course's review rule as it applies to *enrolment*: after_last_attempt with unlimited attempts
    never runs out of attempts, so it is after_pass."""
    version = queries.version_of(enrolment)
    if version.review == REVIEW_AFTER_LAST_ATTEMPT and not _attempts_allowed(version):
        return REVIEW_AFTER_PASS
    return version.review


def may_see_answers(enrolment, attempts) -> bool:
    """Whether the learner may see the right answers of their attempts now.

    after_pass: once an attempt passed. after_last_attempt: once no attempt is left, because one passed
    or every allowed attempt is used. always: from the first attempt on.
    """
    rule = review_rule(enrolment)
    if rule == REVIEW_ALWAYS or any(attempt.passed for attempt in attempts):
        return True
    if rule != REVIEW_AFTER_LAST_ATTEMPT:
        return False
    submitted = sum(attempt.status == "submitted" for attempt in attempts)
    return submitted >= _attempts_allowed(queries.version_of(enrolment))


def review_attempt(enrolment, attempt, language: str) -> AttemptReview:
    """The result page's account of a submitted *attempt*, with the key only if may_see_answers."""
    shows_answers = may_see_answers(enrolment, queries.list_attempts(enrolment))
    bank = catalog_queries.get_structure(attempt.version_id, attempt.version_hash).bank
    shuffle = shuffles.for_attempt(attempt)
    questions = []
    for question_id in attempt.question_ids:
        entry = bank[question_id]
        answer = attempt.answers.get(question_id)
        key = {}
        if shows_answers:
            key = {
                "right_answer": scoring.correct_answer_text(entry.data, language, shuffle=shuffle),
                "options": tuple(scoring.reviewed_options(entry.data, answer, language, shuffle=shuffle)),
                "feedback": tuple(scoring.general_feedback(entry.data, language)),
            }
        questions.append(
            QuestionReview(
                prompt=localised(entry.data["prompt"], language),
                is_correct=bool(attempt.results.get(question_id)),
                module_slug=entry.module_slug,
                **key,
            )
        )
    return AttemptReview(review_rule(enrolment), shows_answers, questions, modules_to_review(attempt))


def _attempts_allowed(version) -> int:
    return int(version.rules.get("attempts_allowed") or 0)
