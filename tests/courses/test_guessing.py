"""No shipped final assessment can be passed by a strategy instead of by reading (issue 18).

Each course's assessment is taken 1,000 times by a learner who never reads: through the real draw
(draw_questions), the real per-attempt shuffle with a fresh secret key, the page's view of each
question (public_view) and the server's reading and marking of the form. The strategies are the ones
the probe used: always the first option shown, and always the longest (with every multiple-choice
option but the shortest, and the more common true/false answer of the bank).
"""

import statistics

import pytest
from werkzeug.datastructures import MultiDict

from app.catalog import content
from app.catalog import queries as catalog_queries
from app.catalog import services as catalog_services
from app.extensions import db
from app.learning import scoring, shuffles
from app.learning.services.assessment import draw_questions
from tests.courses.test_programmes import COURSES

# The issue asks for 200; with 1,000 the share that passes by luck (about 2% for the four-question
# Using the Academy, none elsewhere) stays under the 5% bound in practically every run, not only on average.
ATTEMPTS = 1000
MAX_PASS_RATE = 0.05
SHIPPED = sorted(path.name for path in COURSES.iterdir() if (path / "course.yaml").exists())


def _first_shown(question, view, common_truth):
    name, kind = f"q-{question['id']}", question["type"]
    if kind in ("single", "multiple"):
        return {name: [view["options"][0]["id"]]}
    if kind == "true_false":
        return {name: ["true"]}
    return _as_shown(question, view)


def _longest(question, view, common_truth):
    name, kind = f"q-{question['id']}", question["type"]
    if kind == "single":
        return {name: [max(view["options"], key=lambda option: len(option["text"]))["id"]]}
    if kind == "multiple":
        shortest = min(view["options"], key=lambda option: len(option["text"]))
        return {name: [option["id"] for option in view["options"] if option is not shortest]}
    if kind == "true_false":
        return {name: ["true" if common_truth else "false"]}
    return _as_shown(question, view)


def _as_shown(question, view):
    """Ordering items left in the order shown, matching answers paired in the order shown."""
    name = f"q-{question['id']}"
    if question["type"] == "ordering":
        return {f"{name}-{option['id']}": [str(place)] for place, option in enumerate(view["options"], 1)}
    return {f"{name}-{left['id']}": [right["id"]] for left, right in zip(view["lefts"], view["rights"], strict=True)}


STRATEGIES = {"first-option": _first_shown, "longest-option": _longest}


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
@pytest.mark.parametrize("slug", SHIPPED)
def test_a_learner_who_never_reads_fails_every_shipped_final_assessment(app, db_session, slug, strategy):
    with app.app_context():
        version, _ = catalog_services.sync_package(content.load_package(COURSES / slug))
        db.session.flush()
        bank = {question.question_id: question.data for question in catalog_queries.list_bank(version.id)}
        answers = [q["answer"] for q in bank.values() if q["type"] == "true_false"]
        common_truth = answers.count(True) >= answers.count(False)
        pass_mark = version.rules["pass_mark"]
        scores = []
        for _ in range(ATTEMPTS):
            shuffle = shuffles.Shuffle(shuffles.new_key())
            drawn = draw_questions(version)
            right = 0
            for question_id in drawn:
                question = bank[question_id]
                view = scoring.public_view(question, "es", shuffle=shuffle)
                form = MultiDict(
                    [(k, v) for k, values in STRATEGIES[strategy](question, view, common_truth).items() for v in values]
                )
                right += scoring.is_correct(question, scoring.read_answer(question, form, shuffle=shuffle))
            scores.append(100 * right / len(drawn))
    pass_rate = sum(score >= pass_mark for score in scores) / ATTEMPTS
    assert pass_rate < MAX_PASS_RATE, (
        f"{slug}, {strategy}: {pass_rate:.0%} of {ATTEMPTS} attempts pass "
        f"(median score {statistics.median(scores):.0f}%, pass mark {pass_mark}%)"
    )
