import json

import pytest
from werkzeug.datastructures import MultiDict

from app.learning import scoring

SINGLE = {
    "id": "q1",
    "type": "single",
    "prompt": {"es": "¿Cuál?", "en": "Which?"},
    "options": [
        {"id": "a", "text": {"es": "A", "en": "A"}, "correct": False, "feedback": {"es": "No", "en": "No"}},
        {"id": "b", "text": {"es": "B", "en": "B"}, "correct": True, "feedback": {"es": "Sí", "en": "Yes"}},
    ],
}
MULTIPLE = {
    "id": "q2",
    "type": "multiple",
    "prompt": {"es": "¿Cuáles?", "en": "Which ones?"},
    "options": [
        {"id": "a", "text": {"es": "A", "en": "A"}, "correct": True},
        {"id": "b", "text": {"es": "B", "en": "B"}, "correct": True},
        {"id": "c", "text": {"es": "C", "en": "C"}, "correct": False},
    ],
}
TRUE_FALSE = {
    "id": "q3",
    "type": "true_false",
    "prompt": {"es": "¿Cierto?", "en": "True?"},
    "answer": False,
    "explanation": {"es": "Porque no.", "en": "Because not."},
}
ORDERING = {
    "id": "q4",
    "type": "ordering",
    "prompt": {"es": "Ordena", "en": "Order"},
    "options": [
        {"id": "a", "text": {"es": "Primero", "en": "First"}},
        {"id": "b", "text": {"es": "Segundo", "en": "Second"}},
        {"id": "c", "text": {"es": "Tercero", "en": "Third"}},
    ],
}
MATCHING = {
    "id": "q5",
    "type": "matching",
    "prompt": {"es": "Une", "en": "Match"},
    "pairs": [
        {"id": "a", "left": {"es": "CGR", "en": "CGR"}, "right": {"es": "Control", "en": "Audit"}},
        {"id": "b", "left": {"es": "SIP", "en": "SIP"}, "right": {"es": "Integridad", "en": "Integrity"}},
        {"id": "c", "left": {"es": "OCI", "en": "OCI"}, "right": {"es": "Interno", "en": "Internal"}},
    ],
}
SEED = 1234


def _tokens(view, key):
    return {item["text"]: item["id"] for item in view[key]}


@pytest.mark.parametrize("question", [SINGLE, MULTIPLE, TRUE_FALSE, ORDERING, MATCHING])
def test_public_view_never_carries_correctness_or_feedback(question):
    view = json.dumps(scoring.public_view(question, "es", seed=SEED))
    for secret in ('"correct"', '"answer"', "feedback", "explanation", "Sí", "Porque no"):
        assert secret not in view


def test_ordering_and_matching_use_opaque_tokens_instead_of_package_ids():
    ordering = scoring.public_view(ORDERING, "en", seed=SEED)
    assert {o["id"] for o in ordering["options"]} == {"t0", "t1", "t2"}
    matching = scoring.public_view(MATCHING, "en", seed=SEED)
    assert {r["id"] for r in matching["rights"]} == {"t0", "t1", "t2"}
    assert [left["id"] for left in matching["lefts"]] == ["a", "b", "c"]


def test_shuffles_are_stable_for_a_seed():
    assert scoring.public_view(ORDERING, "es", seed=SEED) == scoring.public_view(ORDERING, "es", seed=SEED)


def test_single_and_multiple_are_scored_all_or_nothing():
    assert scoring.is_correct(SINGLE, scoring.read_answer(SINGLE, MultiDict({"q-q1": "b"}), seed=SEED))
    assert not scoring.is_correct(SINGLE, scoring.read_answer(SINGLE, MultiDict({"q-q1": "a"}), seed=SEED))
    assert scoring.read_answer(SINGLE, MultiDict({"q-q1": "zzz"}), seed=SEED) is None
    both = MultiDict([("q-q2", "a"), ("q-q2", "b")])
    assert scoring.is_correct(MULTIPLE, scoring.read_answer(MULTIPLE, both, seed=SEED))
    too_many = MultiDict([("q-q2", "a"), ("q-q2", "b"), ("q-q2", "c")])
    assert not scoring.is_correct(MULTIPLE, scoring.read_answer(MULTIPLE, too_many, seed=SEED))


def test_true_false_reads_only_true_or_false():
    assert scoring.is_correct(TRUE_FALSE, scoring.read_answer(TRUE_FALSE, MultiDict({"q-q3": "false"}), seed=SEED))
    assert scoring.read_answer(TRUE_FALSE, MultiDict({"q-q3": "maybe"}), seed=SEED) is None


def test_ordering_is_read_through_the_tokens():
    view = scoring.public_view(ORDERING, "en", seed=SEED)
    tokens = _tokens(view, "options")
    right = MultiDict({f"q-q4-{tokens['First']}": "1", f"q-q4-{tokens['Second']}": "2", f"q-q4-{tokens['Third']}": "3"})
    assert scoring.is_correct(ORDERING, scoring.read_answer(ORDERING, right, seed=SEED))
    wrong = MultiDict({f"q-q4-{tokens['First']}": "2", f"q-q4-{tokens['Second']}": "1", f"q-q4-{tokens['Third']}": "3"})
    assert not scoring.is_correct(ORDERING, scoring.read_answer(ORDERING, wrong, seed=SEED))
    repeated = MultiDict({f"q-q4-{t}": "1" for t in tokens.values()})
    assert scoring.read_answer(ORDERING, repeated, seed=SEED) is None


def test_matching_is_read_through_the_tokens():
    tokens = _tokens(scoring.public_view(MATCHING, "en", seed=SEED), "rights")
    right = MultiDict({"q-q5-a": tokens["Audit"], "q-q5-b": tokens["Integrity"], "q-q5-c": tokens["Internal"]})
    assert scoring.is_correct(MATCHING, scoring.read_answer(MATCHING, right, seed=SEED))
    wrong = MultiDict({"q-q5-a": tokens["Integrity"], "q-q5-b": tokens["Audit"], "q-q5-c": tokens["Internal"]})
    assert not scoring.is_correct(MATCHING, scoring.read_answer(MATCHING, wrong, seed=SEED))
    assert scoring.read_answer(MATCHING, MultiDict({"q-q5-a": "a"}), seed=SEED) is None


def test_feedback_follows_the_chosen_option_then_the_explanation():
    assert scoring.feedback(SINGLE, "a", "en") == ["No"]
    assert scoring.feedback(TRUE_FALSE, True, "es") == ["Porque no."]


def test_correct_answer_is_worded_after_submission():
    assert scoring.correct_answer_text(ORDERING, "en") == "First → Second → Third"
    assert scoring.correct_answer_text(TRUE_FALSE, "en") is False
