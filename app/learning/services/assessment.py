"""The final assessment: drawing questions, enforcing attempts and waiting time, scoring on the server."""

import secrets
from collections import defaultdict
from dataclasses import dataclass

from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, undefer
from sqlalchemy.orm.attributes import set_committed_value

from app.catalog import queries as catalog_queries
from app.core.amounts import moment
from app.core.models import utcnow
from app.extensions import db
from app.learning import queries, scoring, shuffles
from app.learning.models import AssessmentAttempt, Enrolment
from app.learning.services.progress import check_completion

# The operating system's random source: it takes no seed, so nothing a learner sees predicts a draw.
_rng = secrets.SystemRandom()


class AssessmentRefused(Exception):
    """The learner may not start an attempt now; the message says why and, if it applies, when."""


class AttemptAlreadySubmitted(Exception):
    """A second submission of the same attempt (double click, two tabs, a replay): nothing was counted."""


def start_attempt(enrolment, *, now=None) -> AssessmentAttempt:
    """Open an attempt, or return the one already open; the rules are checked on the server.

    The new attempt draws its questions here and its shuffle key (AssessmentAttempt.shuffle_key) as it
    is stored: both from `secrets`, never from ids the learner can see.
    """
    now = now or utcnow()
    attempts = queries.list_attempts(enrolment)
    open_attempt = next((a for a in attempts if a.status == "open"), None)
    if open_attempt is not None:
        return open_attempt
    _check_may_start(enrolment, attempts, now)
    attempt = AssessmentAttempt(
        enrolment_id=enrolment.id,
        version_id=enrolment.version_id,
        number=len(attempts) + 1,
        question_ids=draw_questions(enrolment.version),
        started_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # The same learner started from two tabs at once: use the attempt the other request opened.
        return db.session.execute(
            select(AssessmentAttempt).where(
                AssessmentAttempt.enrolment_id == enrolment.id, AssessmentAttempt.status == "open"
            )
        ).scalar_one()
    return attempt


def draw_questions(version, rng=_rng) -> list[str]:
    """Draw the configured number of questions, at least per_module_minimum from every module in the bank."""
    settings = version.meta["final"]
    by_module = defaultdict(list)
    for question in catalog_queries.list_bank(version.id):
        by_module[question.module_slug].append(question.question_id)
    chosen = []
    for ids in by_module.values():
        chosen += rng.sample(ids, min(settings["per_module_minimum"], len(ids)))
    rest = [qid for ids in by_module.values() for qid in ids if qid not in chosen]
    chosen += rng.sample(rest, max(0, settings["draw"] - len(chosen)))
    rng.shuffle(chosen)
    return chosen


@dataclass(frozen=True)
class Marking:
    """What the server made of a submitted form: each drawn question's answer, whether it was right, the score."""

    answers: dict
    results: dict
    score: float
    passed: bool


def mark_attempt(attempt, form) -> Marking:
    """Score the answers in *form* on the server; reads only, so it may run before the write lock is taken.

    Only the questions drawn for this attempt are read; any score or extra answer the browser sends
    is ignored.
    """
    bank = catalog_queries.get_structure(attempt.version_id, attempt.version_hash).bank
    shuffle = shuffles.for_attempt(attempt)
    answers, results = {}, {}
    for question_id in attempt.question_ids:
        question = bank[question_id].data
        answers[question_id] = scoring.read_answer(question, form, shuffle=shuffle)
        results[question_id] = scoring.is_correct(question, answers[question_id])
    score = round(100 * sum(results.values()) / len(results), 1) if results else 0.0
    return Marking(answers, results, score, score >= queries.version_of(attempt.enrolment).rules["pass_mark"])


_CLOSED_FIELDS = ("status", "submitted_at", "answers", "results", "score", "passed")
# Built once, on the table: putting together an UPDATE of six columns, or passing it through the ORM's
# bulk UPDATE handling, costs more than running it.
_attempts = AssessmentAttempt.__table__
_CLOSE_ATTEMPT = (
    update(_attempts)
    .where(_attempts.c.id == bindparam("attempt"), _attempts.c.status == "open")
    .values({name: bindparam(f"new_{name}", type_=_attempts.c[name].type) for name in _CLOSED_FIELDS})
)


# What completing the course reads (its outline, the certificate's holder, course and version), loaded with
# the enrolment: each would otherwise be a query of its own, run while the write lock is held.
_LOADED_FOR_COMPLETION = (
    undefer(Enrolment.version_hash),
    joinedload(Enrolment.user),
    joinedload(Enrolment.course),
    joinedload(Enrolment.version),
)


def submit_attempt(attempt: AssessmentAttempt | queries.AttemptFacts, marking: Marking, *, now=None):
    """Close the attempt (the object, or its facts as the submitting page reads them) with its marking,
    exactly once.

    The status change is a conditional UPDATE, so of two simultaneous submissions only one counts: the
    other raises AttemptAlreadySubmitted and changes nothing. Nothing read before this call decides
    that, nor whether the course is now complete, so the caller may have marked the attempt in an
    earlier transaction.
    """
    values = {
        "status": "submitted",
        "submitted_at": now or utcnow(),
        "answers": marking.answers,
        "results": marking.results,
        "score": marking.score,
        "passed": marking.passed,
    }
    parameters = {f"new_{name}": value for name, value in values.items()}
    db.session.flush()  # as Session.execute would: the statement runs on the session's connection
    closed = db.session.connection().execute(_CLOSE_ATTEMPT, {"attempt": attempt.id, **parameters})
    if closed.rowcount != 1:
        raise AttemptAlreadySubmitted
    if isinstance(attempt, AssessmentAttempt):
        # The UPDATE bypassed the ORM; bring the loaded object in line without another query.
        for name, value in values.items():
            set_committed_value(attempt, name, value)
    if marking.passed:
        # The enrolment may have been read before this transaction: completion goes by what is stored now.
        check_completion(
            db.session.get(Enrolment, attempt.enrolment_id, populate_existing=True, options=_LOADED_FOR_COMPLETION)
        )
    return attempt


def modules_to_review(attempt) -> list[str]:
    """The modules of the questions answered wrongly, in course order."""
    bank = catalog_queries.get_structure(attempt.version_id, attempt.version_hash).bank
    wrong = {bank[qid].module_slug for qid, ok in (attempt.results or {}).items() if not ok}
    return [m["slug"] for m in queries.version_of(attempt.enrolment).modules if m["slug"] in wrong]


def _check_may_start(enrolment, attempts, now):
    rules = queries.version_of(enrolment).rules
    if queries.has_passed(enrolment):
        raise AssessmentRefused(_("You have already passed this assessment."))
    allowed = int(rules.get("attempts_allowed") or 0)
    submitted = [a for a in attempts if a.status == "submitted"]
    if allowed and len(submitted) >= allowed:
        raise AssessmentRefused(
            ngettext(
                "You have used your one attempt.",
                "You have used all %(number)s attempts.",
                allowed,
                number=format_number(allowed),
            )
        )
    if submitted:
        next_allowed = submitted[-1].submitted_at + queries.wait_between_attempts(enrolment)
        if now < next_allowed:
            raise AssessmentRefused(_("You can try again from %(when)s.", when=moment(next_allowed)))
    unfinished = [
        item for item in queries.progress(enrolment).required_items if not item.is_done and item.kind != "assessment"
    ]
    if unfinished:
        raise AssessmentRefused(_("Finish the lessons and required activities before the final assessment."))
