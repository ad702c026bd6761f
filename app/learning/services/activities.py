"""Knowledge checks, dilemmas, reflections, pledges and action plans: practice that counts for completion, not the grade."""

import hashlib

from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.catalog.content.rules import ACTION_PLAN_ANSWER_MAX_CHARS
from app.catalog.models import localised
from app.core.models import utcnow
from app.core.text import clean_line
from app.extensions import db
from app.learning import queries, scoring, shuffles
from app.learning.models import ActivityCompletion
from app.learning.services.progress import check_completion

REFLECTION_MAX_CHARS = 5000


class ActivityRefused(Exception):
    """The answer cannot be recorded; the message names what is missing."""


def record_activity(enrolment, activity, form, *, language: str) -> ActivityCompletion:
    """Record the learner's response; answering again replaces the previous response."""
    response = _RESPONSES[activity.kind](enrolment, activity, form, language)
    completion = queries.get_activity_completion(enrolment, activity.activity_id)
    if completion is None:
        completion = ActivityCompletion(
            enrolment_id=enrolment.id, activity_id=activity.activity_id, kind=activity.kind, response=response
        )
        try:
            with db.session.begin_nested():
                db.session.add(completion)
        except IntegrityError:
            completion = queries.get_activity_completion(enrolment, activity.activity_id)
    if activity.kind != "pledge" or not completion.response.get("signed_at"):
        completion.response = response
        completion.updated_at = utcnow()
    enrolment.last_activity_at = utcnow()
    db.session.flush()
    check_completion(enrolment)
    return completion


def _knowledge_check(enrolment, activity, form, language):
    answers, results = {}, {}
    shuffle = shuffles.for_knowledge_check(enrolment, activity.activity_id)
    for question in activity.data["questions"]:
        answer = scoring.read_answer(question, form, shuffle=shuffle)
        if answer is None:
            raise ActivityRefused(_("Answer every question before checking your answers."))
        answers[question["id"]] = answer
        results[question["id"]] = scoring.is_correct(question, answer)
    return {"answers": answers, "correct": results}


def _dilemma(enrolment, activity, form, language):
    choice = form.get("choice")
    if choice not in {c["id"] for c in activity.data["choices"]}:
        raise ActivityRefused(_("Choose one of the options."))
    return {"choice": choice}


def _reflection(enrolment, activity, form, language):
    text = (form.get("text") or "").strip()
    if not text:
        raise ActivityRefused(_("Write your reflection before saving it."))
    if len(text) > REFLECTION_MAX_CHARS:
        raise ActivityRefused(
            ngettext(
                "Use at most %(number)s character.",
                "Use at most %(number)s characters.",
                REFLECTION_MAX_CHARS,
                number=format_number(REFLECTION_MAX_CHARS),
            )
        )
    return {"text": text}


def _pledge(enrolment, activity, form, language):
    signature = clean_line(form.get("signature"))[:120]
    if form.get("agree") != "y":
        raise ActivityRefused(_("Tick the box to confirm that you make this commitment."))
    if not signature:
        raise ActivityRefused(_("Type your full name as your signature."))
    statement = localised(activity.data["statement"], language)
    return {
        "signature": signature,
        "signed_at": utcnow().isoformat(),
        "language": language,
        "statement_sha256": hashlib.sha256(statement.encode()).hexdigest(),
        "version": activity.version.number,
    }


def _action_plan(enrolment, activity, form, language):
    answers = {}
    for field in activity.data["fields"]:
        text = (form.get(f"field-{field['id']}") or "").strip()
        prompt = localised(field["prompt"], language)
        if not text:
            raise ActivityRefused(_("Answer “%(prompt)s” before saving your plan.", prompt=prompt))
        if len(text) > ACTION_PLAN_ANSWER_MAX_CHARS:
            raise ActivityRefused(
                ngettext(
                    "Shorten your answer to “%(prompt)s” to at most %(number)s character, so the plan fits on one page.",
                    "Shorten your answer to “%(prompt)s” to at most %(number)s characters, so the plan fits on one page.",
                    ACTION_PLAN_ANSWER_MAX_CHARS,
                    prompt=prompt,
                    number=format_number(ACTION_PLAN_ANSWER_MAX_CHARS),
                )
            )
        answers[field["id"]] = text
    return {"answers": answers, "language": language}


_RESPONSES = {
    "knowledge_check": _knowledge_check,
    "dilemma": _dilemma,
    "reflection": _reflection,
    "pledge": _pledge,
    "action_plan": _action_plan,
}
