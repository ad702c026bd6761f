"""How each question of a final-assessment bank performs: how often it is drawn, how often it is answered
right, and whether answering it right goes with doing well on the rest of the attempt.

Pure functions over rows of submitted attempts, read once and in a stream: for every question only running
sums are kept, so tens of thousands of attempts cost memory in proportion to the bank, not to the attempts.

Discrimination is the point-biserial correlation between answering the question right (1) or not (0) and
the attempt's *rest score*: the share of the attempt's other questions answered right. This is the
"corrected" item-rest correlation. The attempt's own score contains the item, so correlating with it
flatters every item, and most of all on short assessments (with 10 questions drawn, the item is a tenth of
the score it is compared with). The rest score is taken from the stored results rather than the stored
score, which is rounded to one decimal.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

# Below this many submitted attempts that drew a question, its figures are noise: it is marked, not judged.
MIN_DRAWN = 20

TOO_FEW = "too_few"
EVERYONE_RIGHT = "everyone_right"
NO_ONE_RIGHT = "no_one_right"


@dataclass(frozen=True)
class AttemptRow:
    """What the statistics need of one submitted attempt."""

    question_ids: list
    results: dict  # {question id: answered right}


@dataclass(frozen=True)
class ItemStatistics:
    question_id: str
    drawn: int
    correct: int
    discrimination: float | None  # None where it is undefined: no spread in the item or in the rest scores
    flag: str | None  # TOO_FEW, EVERYONE_RIGHT, NO_ONE_RIGHT or None

    @property
    def share_correct(self) -> float | None:
        return self.correct / self.drawn if self.drawn else None


def compute(rows: Iterable[AttemptRow], question_ids: Iterable[str], *, min_drawn: int = MIN_DRAWN):
    """ItemStatistics for each of *question_ids* (the bank, in its order), from *rows*, read once."""
    wanted = list(question_ids)
    sums = {qid: _PairSums() for qid in wanted}
    for row in rows:
        drawn = row.question_ids
        results = row.results or {}
        right_total = sum(1 for qid in drawn if results.get(qid))
        others = len(drawn) - 1
        for qid in drawn:
            item_sums = sums.get(qid)
            if item_sums is None:
                continue  # not in this bank: still counted in the other questions' rest scores
            right = bool(results.get(qid))
            rest = (right_total - right) / others if others > 0 else None
            item_sums.add(right, rest)
    return [_statistics(qid, sums[qid], min_drawn) for qid in wanted]


class _PairSums:
    """Running sums for the Pearson correlation of x (0/1) with y, over the attempts that have a y."""

    __slots__ = ("correct", "drawn", "n", "x", "xy", "y", "yy")

    def __init__(self):
        self.drawn = self.correct = self.n = self.x = 0
        self.y = self.yy = self.xy = 0.0

    def add(self, right: bool, rest: float | None):
        self.drawn += 1
        self.correct += right
        if rest is None:
            return  # an attempt of one question has no rest to compare with
        self.n += 1
        self.x += right
        self.y += rest
        self.yy += rest * rest
        self.xy += rest * right

    def correlation(self) -> float | None:
        """Pearson's r, which for a 0/1 variable is the point-biserial correlation."""
        n = self.n
        # x is 0/1, so the sum of its squares is its sum.
        spread_x = n * self.x - self.x * self.x
        spread_y = n * self.yy - self.y * self.y
        if n < 2 or spread_x <= 0 or spread_y <= 1e-12 * max(1.0, n * self.yy):
            return None
        r = (n * self.xy - self.x * self.y) / math.sqrt(spread_x * spread_y)
        return max(-1.0, min(1.0, r))


def _statistics(question_id: str, sums: _PairSums, min_drawn: int) -> ItemStatistics:
    if sums.drawn < min_drawn:
        flag = TOO_FEW
    elif sums.correct == sums.drawn:
        flag = EVERYONE_RIGHT
    elif sums.correct == 0:
        flag = NO_ONE_RIGHT
    else:
        flag = None
    return ItemStatistics(question_id, sums.drawn, sums.correct, sums.correlation(), flag)
