"""Learners who answer by a habit instead of the course, against a synthetic bank written carelessly:
the right option of each single-choice question is the first written and the longest.

Each simulated attempt answers from what the page shows (scoring.public_view) and is read and marked
by the server's own functions, 200 attempts with fresh keys, as 200 attempts would get them.
"""

from werkzeug.datastructures import MultiDict

from app.learning import scoring, shuffles
from app.learning.shuffles import Shuffle

QUESTIONS = 12
OPTIONS = 4
PASS_MARK = 70  # percent: 9 of 12
ATTEMPTS = 200


def _question(n: int) -> dict:
    texts = [f"La respuesta completa y matizada número {n}", f"Corta {n}-b", f"Corta {n}-c", f"Corta {n}-d"]
    return {
        "id": f"q{n:02d}",
        "type": "single",
        "prompt": {"es": f"¿Pregunta {n}?", "en": f"Question {n}?"},
        "options": [
            {"id": "abcd"[i], "text": {"es": text, "en": text}, "correct": i == 0} for i, text in enumerate(texts)
        ],
    }


BANK = [_question(n) for n in range(QUESTIONS)]


class AuthoredOrder(Shuffle):
    """The page as it was before options were shuffled: every list in the order it was written."""

    def order(self, items, question_id, part):
        return list(items)


def _first(view) -> str:
    return view["options"][0]["id"]


def _longest(view) -> str:
    return max(view["options"], key=lambda option: len(option["text"]))["id"]


def _attempt(pick, shuffle) -> float:
    """The percentage scored by a learner who sends pick(view) for every question."""
    right = 0
    for question in BANK:
        view = scoring.public_view(question, "es", shuffle=shuffle)
        answer = scoring.read_answer(question, MultiDict({f"q-{question['id']}": pick(view)}), shuffle=shuffle)
        right += scoring.is_correct(question, answer)
    return 100 * right / QUESTIONS


def _attempts(pick, make_shuffle) -> list[float]:
    return [_attempt(pick, make_shuffle()) for _ in range(ATTEMPTS)]


def test_always_picking_the_first_option_shown_drops_from_full_marks_to_chance():
    before = _attempts(_first, lambda: AuthoredOrder(shuffles.new_key()))
    after = _attempts(_first, lambda: Shuffle(shuffles.new_key()))
    assert min(before) == 100

    # 2,400 answers, each right with probability 1/4 once shuffled: the mean is 25% with a standard
    # deviation under 0.9 points, so 35% is more than eleven deviations away and never reached by chance.
    mean = sum(after) / ATTEMPTS
    assert 15 < mean < 35, mean
    # An attempt passes by chance (9 or more of 12 right) with probability 0.0004, about 0.08 attempts
    # in 200; five or more of them happen less than once in 10^7 runs.
    passed = sum(score >= PASS_MARK for score in after)
    assert passed <= 4, passed


def test_always_picking_the_longest_option_is_not_stopped_by_shuffling():
    # Length is a cue in the wording, not in the order: shuffling leaves it whole. It is the package
    # validation's cueing warnings that catch such a bank, not the shuffle.
    before = _attempts(_longest, lambda: AuthoredOrder(shuffles.new_key()))
    after = _attempts(_longest, lambda: Shuffle(shuffles.new_key()))
    assert before == after == [100.0] * ATTEMPTS
