"""Item statistics computed from attempts: a set small enough to check by hand, and a generated one."""

import math
import random

import pytest

from app.learning.item_statistics import (
    EVERYONE_RIGHT,
    NO_ONE_RIGHT,
    TOO_FEW,
    AttemptRow,
    compute,
)


def _attempt(**answers):
    return AttemptRow(list(answers), {qid: bool(right) for qid, right in answers.items()})


# Five attempts at a, b and c. The rest score of an item is the share of the attempt's two other questions
# answered right.
HAND_SET = [
    _attempt(a=1, b=1, c=1),
    _attempt(a=1, b=1, c=0),
    _attempt(a=1, b=0, c=0),
    _attempt(a=0, b=1, c=0),
    _attempt(a=0, b=0, c=0),
]


def _by_id(statistics):
    return {item.question_id: item for item in statistics}


def test_the_point_biserial_of_a_small_set_matches_the_one_worked_out_by_hand():
    found = _by_id(compute(HAND_SET, ["a", "b", "c", "d"], min_drawn=1))

    # a: right in attempts 1-3. Rest scores (b+c)/2: 1, 0.5, 0 | 0.5, 0.
    #   mean of the rest when right M1 = 1.5/3 = 0.5, when wrong M0 = 0.5/2 = 0.25
    #   all rests: mean 2/5 = 0.4, mean of squares 1.5/5 = 0.3, population variance 0.3 - 0.16 = 0.14
    #   p = 3/5, q = 2/5: r = (M1 - M0) / sqrt(0.14) * sqrt(p q) = 0.25 * sqrt(0.24 / 0.14) = 0.32733
    assert found["a"].drawn == 5
    assert found["a"].correct == 3
    assert found["a"].share_correct == pytest.approx(0.6)
    assert found["a"].discrimination == pytest.approx(0.25 * math.sqrt(0.24 / 0.14))
    assert found["a"].discrimination == pytest.approx(0.32733, abs=1e-5)
    assert found["a"].flag is None

    # c: right in attempt 1 only. Rest scores (a+b)/2: 1 | 1, 0.5, 0.5, 0.
    #   M1 = 1, M0 = 2/4 = 0.5; mean 3/5 = 0.6, mean of squares 2.5/5 = 0.5, variance 0.5 - 0.36 = 0.14
    #   p = 1/5, q = 4/5: r = 0.5 / sqrt(0.14) * sqrt(0.16) = 0.53452
    assert found["c"].discrimination == pytest.approx(0.5 / math.sqrt(0.14) * 0.4)
    assert found["c"].discrimination == pytest.approx(0.53452, abs=1e-5)

    # b: right in attempts 1, 2 and 4. Rest scores (a+c)/2: 1, 0.5, 0 | 0.5, 0: the same rest scores on
    #   each side as for a, so the same r = 0.32733.
    assert found["b"].discrimination == pytest.approx(0.32733, abs=1e-5)

    # d was in the bank but never drawn.
    assert (found["d"].drawn, found["d"].share_correct, found["d"].discrimination, found["d"].flag) == (
        0,
        None,
        None,
        TOO_FEW,
    )


def test_the_rest_score_leaves_the_item_out():
    """Correlating with the whole score would count the item on both sides: r would be higher."""
    whole = [sum(row.results.values()) / 3 for row in HAND_SET]
    x = [int(row.results["a"]) for row in HAND_SET]
    uncorrected = _pearson(x, whole)
    corrected = _by_id(compute(HAND_SET, ["a"], min_drawn=1))["a"].discrimination
    assert uncorrected > corrected + 0.2


def test_questions_everyone_or_no_one_gets_right_are_flagged_and_have_no_discrimination():
    rows = [_attempt(easy=1, hard=0, other=i % 2) for i in range(20)]
    found = _by_id(compute(rows, ["easy", "hard", "other"]))
    assert (found["easy"].flag, found["easy"].discrimination) == (EVERYONE_RIGHT, None)
    assert (found["hard"].flag, found["hard"].discrimination) == (NO_ONE_RIGHT, None)
    assert found["other"].flag is None


def test_a_question_drawn_too_few_times_is_marked_rather_than_flagged():
    rows = [_attempt(easy=1, other=i % 2) for i in range(19)]
    found = _by_id(compute(rows, ["easy", "other"]))
    assert found["easy"].flag == TOO_FEW  # everyone got it right, but 19 attempts are too few to say so
    assert found["easy"].drawn == 19


def test_answers_to_questions_outside_the_bank_and_one_question_attempts_do_not_break_the_figures():
    rows = [AttemptRow(["a"], {"a": True}), AttemptRow(["a", "gone"], {"a": False, "gone": True}), AttemptRow([], {})]
    found = _by_id(compute(rows, ["a"], min_drawn=1))
    assert (found["a"].drawn, found["a"].correct, found["a"].discrimination) == (2, 1, None)


def _generated_attempts(count=500, seed=18):
    """Learners of varied ability, each drawing 6 of the bank's questions.

    strong: right only for learners well above average; everyone: always right; nobody: never right;
    coin: right half the time whatever the learner knows; rare: in the bank but drawn about 12 times;
    f1-f6: right more often the abler the learner, so the rest score follows ability.
    """
    rng = random.Random(seed)
    fillers = [f"f{i}" for i in range(1, 7)]
    pool = ["strong", "everyone", "nobody", "coin", *fillers]
    rows = []
    for number in range(count):
        ability = rng.gauss(0, 1)
        drawn = rng.sample(pool, 6)
        if number % 40 == 0:
            drawn[-1] = "rare"
        results = {}
        for qid in drawn:
            if qid == "strong":
                right = ability > 0.5
            elif qid == "everyone":
                right = True
            elif qid == "nobody":
                right = False
            elif qid == "coin":
                right = rng.random() < 0.5
            else:
                right = rng.random() < 1 / (1 + math.exp(-2 * ability))
            results[qid] = right
        rows.append(AttemptRow(drawn, results))
    return rows


def test_on_generated_attempts_flags_and_discrimination_come_out_as_the_model_says():
    rows = _generated_attempts()
    found = _by_id(compute(iter(rows), ["strong", "everyone", "nobody", "coin", "rare", "f1"]))

    assert found["strong"].flag is None
    assert found["strong"].discrimination > 0.4
    assert 0.2 < found["strong"].share_correct < 0.45  # about 31 % of a normal population is above 0.5

    assert found["everyone"].flag == EVERYONE_RIGHT
    assert found["nobody"].flag == NO_ONE_RIGHT

    assert found["coin"].flag is None
    assert abs(found["coin"].discrimination) < 0.15
    assert found["strong"].discrimination > found["f1"].discrimination > found["coin"].discrimination

    assert found["rare"].flag == TOO_FEW
    assert 0 < found["rare"].drawn < 20
    assert sum(item.drawn for item in found.values()) <= 6 * len(rows)


def _pearson(x, y):
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    return cov / math.sqrt(sum((a - mx) ** 2 for a in x) * sum((b - my) ** 2 for b in y))
