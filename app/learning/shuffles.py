"""Shuffled orders a learner cannot compute: each comes from a secret key drawn with `secrets` and stored.

An attempt at the final assessment has its own key, and an enrolment one for its knowledge checks.
The seed of each shuffled list is an HMAC-SHA256 of the question under that key, so the same key
gives the same order on every reload (and lets the server read the opaque tokens back), while
nothing the page shows, such as enrolment, attempt or question ids, predicts it.
"""

import hashlib
import hmac
import random
import secrets

KEY_BYTES = 32
KEY_LENGTH = 2 * KEY_BYTES  # stored as hex

# What is shuffled within a question: each gets its own seed, so shuffling one more list of a
# question later (single and multiple-choice options, say) never ties its order to another's.
ORDERING_ITEMS = "ordering-items"
MATCHING_ANSWERS = "matching-answers"
OPTIONS = "options"  # of single and multiple-choice questions


def new_key() -> str:
    """A fresh key for an attempt or an enrolment; never shown to the learner."""
    return secrets.token_hex(KEY_BYTES)


class Shuffle:
    """The orders of one attempt, or of the knowledge checks of one enrolment, fixed by its stored key.

    *scope* names where questions are unique: an activity's question ids may repeat in another
    activity, so knowledge checks pass the activity id; the final assessment's bank ids are unique
    in their version and need none.
    """

    def __init__(self, key: str, scope: str = ""):
        self._key = bytes.fromhex(key)
        self._scope = scope

    def __repr__(self):
        return f"<Shuffle {self._scope or 'attempt'}>"  # never the key

    def seed(self, question_id: str, part: str) -> int:
        """The seed of one list (*part*) of one question: 256 bits no page reveals."""
        message = "\x1f".join((self._scope, question_id, part)).encode()
        return int.from_bytes(hmac.new(self._key, message, hashlib.sha256).digest(), "big")

    def order(self, items: list, question_id: str, part: str) -> list:
        """*items* in this key's order for that question and part; the same every time it is asked."""
        shuffled = list(items)
        random.Random(self.seed(question_id, part)).shuffle(shuffled)
        return shuffled


def for_attempt(attempt) -> Shuffle:
    """The orders of an attempt at the final assessment (the model or its facts)."""
    return Shuffle(attempt.shuffle_key)


def for_knowledge_check(enrolment, activity_id: str) -> Shuffle:
    """The orders of one knowledge check, the same for the enrolment until it is answered and after."""
    return Shuffle(enrolment.shuffle_key, scope=activity_id)
