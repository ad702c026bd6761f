import json

import pytest
from werkzeug.datastructures import MultiDict

from app.learning import scoring
from app.learning.shuffles import Shuffle

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
SHUFFLE = Shuffle("0f" * 32)


def _tokens(view, key):
    return {item["text"]: item["id"] for item in view[key]}


@pytest.mark.parametrize("question", [SINGLE, MULTIPLE, TRUE_FALSE, ORDERING, MATCHING])
def test_public_view_never_carries_correctness_or_feedback(question):
    view = json.dumps(scoring.public_view(question, "es", shuffle=SHUFFLE))
    for secret in ('"correct"', '"answer"', "feedback", "explanation", "Sí", "Porque no"):
        assert secret not in view


def test_choices_ordering_and_matching_use_opaque_tokens_instead_of_package_ids():
    for question in (SINGLE, MULTIPLE):
        view = scoring.public_view(question, "en", shuffle=SHUFFLE)
        assert [o["id"] for o in view["options"]] == [f"t{i}" for i in range(len(question["options"]))]
    ordering = scoring.public_view(ORDERING, "en", shuffle=SHUFFLE)
    assert {o["id"] for o in ordering["options"]} == {"t0", "t1", "t2"}
    matching = scoring.public_view(MATCHING, "en", shuffle=SHUFFLE)
    assert {r["id"] for r in matching["rights"]} == {"t0", "t1", "t2"}
    assert [left["id"] for left in matching["lefts"]] == ["a", "b", "c"]


def test_shuffles_are_stable_for_a_key():
    assert scoring.public_view(ORDERING, "es", shuffle=SHUFFLE) == scoring.public_view(ORDERING, "es", shuffle=SHUFFLE)


def test_single_and_multiple_are_read_through_the_tokens_and_scored_all_or_nothing():
    single = _tokens(scoring.public_view(SINGLE, "en", shuffle=SHUFFLE), "options")
    assert scoring.read_answer(SINGLE, MultiDict({"q-q1": single["B"]}), shuffle=SHUFFLE) == "b"
    assert scoring.is_correct(SINGLE, scoring.read_answer(SINGLE, MultiDict({"q-q1": single["B"]}), shuffle=SHUFFLE))
    assert not scoring.is_correct(
        SINGLE, scoring.read_answer(SINGLE, MultiDict({"q-q1": single["A"]}), shuffle=SHUFFLE)
    )
    # The package's own ids are not what the page sends, so they read as no answer.
    for value in ("zzz", "a", "b", "t9"):
        assert scoring.read_answer(SINGLE, MultiDict({"q-q1": value}), shuffle=SHUFFLE) is None
    multiple = _tokens(scoring.public_view(MULTIPLE, "en", shuffle=SHUFFLE), "options")
    both = MultiDict([("q-q2", multiple["A"]), ("q-q2", multiple["B"])])
    assert scoring.read_answer(MULTIPLE, both, shuffle=SHUFFLE) == ["a", "b"]
    assert scoring.is_correct(MULTIPLE, scoring.read_answer(MULTIPLE, both, shuffle=SHUFFLE))
    too_many = MultiDict([("q-q2", token) for token in multiple.values()])
    assert not scoring.is_correct(MULTIPLE, scoring.read_answer(MULTIPLE, too_many, shuffle=SHUFFLE))
    assert scoring.read_answer(MULTIPLE, MultiDict([("q-q2", "a"), ("q-q2", "b")]), shuffle=SHUFFLE) is None


def test_true_false_reads_only_true_or_false():
    assert scoring.is_correct(
        TRUE_FALSE, scoring.read_answer(TRUE_FALSE, MultiDict({"q-q3": "false"}), shuffle=SHUFFLE)
    )
    assert scoring.read_answer(TRUE_FALSE, MultiDict({"q-q3": "maybe"}), shuffle=SHUFFLE) is None


def test_ordering_is_read_through_the_tokens():
    view = scoring.public_view(ORDERING, "en", shuffle=SHUFFLE)
    tokens = _tokens(view, "options")
    right = MultiDict({f"q-q4-{tokens['First']}": "1", f"q-q4-{tokens['Second']}": "2", f"q-q4-{tokens['Third']}": "3"})
    assert scoring.is_correct(ORDERING, scoring.read_answer(ORDERING, right, shuffle=SHUFFLE))
    wrong = MultiDict({f"q-q4-{tokens['First']}": "2", f"q-q4-{tokens['Second']}": "1", f"q-q4-{tokens['Third']}": "3"})
    assert not scoring.is_correct(ORDERING, scoring.read_answer(ORDERING, wrong, shuffle=SHUFFLE))
    repeated = MultiDict({f"q-q4-{t}": "1" for t in tokens.values()})
    assert scoring.read_answer(ORDERING, repeated, shuffle=SHUFFLE) is None


def test_matching_is_read_through_the_tokens():
    tokens = _tokens(scoring.public_view(MATCHING, "en", shuffle=SHUFFLE), "rights")
    right = MultiDict({"q-q5-a": tokens["Audit"], "q-q5-b": tokens["Integrity"], "q-q5-c": tokens["Internal"]})
    assert scoring.is_correct(MATCHING, scoring.read_answer(MATCHING, right, shuffle=SHUFFLE))
    wrong = MultiDict({"q-q5-a": tokens["Integrity"], "q-q5-b": tokens["Audit"], "q-q5-c": tokens["Internal"]})
    assert not scoring.is_correct(MATCHING, scoring.read_answer(MATCHING, wrong, shuffle=SHUFFLE))
    assert scoring.read_answer(MATCHING, MultiDict({"q-q5-a": "a"}), shuffle=SHUFFLE) is None


def test_a_chosen_options_feedback_stays_with_that_option_and_the_explanation_stands_apart():
    options = scoring.reviewed_options(SINGLE, "a", "en", shuffle=SHUFFLE)
    assert {(o.text, o.chosen, o.correct, o.feedback) for o in options} == {
        ("A", True, False, "No"),
        ("B", False, True, None),
    }
    assert scoring.reviewed_options(TRUE_FALSE, True, "es", shuffle=SHUFFLE) == []
    assert scoring.general_feedback(TRUE_FALSE, "es") == ["Porque no."]
    assert scoring.general_feedback(SINGLE, "es") == []


def test_multiple_answer_feedback_names_each_option_it_is_about():
    question = {
        **MULTIPLE,
        "options": [
            {**o, "feedback": {"es": f"Sobre {o['id']}", "en": f"About {o['id']}"}} for o in MULTIPLE["options"]
        ],
    }
    options = scoring.reviewed_options(question, ["a", "c"], "es", shuffle=SHUFFLE)
    assert sorted((o.text, o.correct, o.feedback) for o in options if o.chosen) == [
        ("A", True, "Sobre a"),
        ("C", False, "Sobre c"),
    ]
    assert [o.feedback for o in options if not o.chosen] == [None]


def test_correct_answer_is_worded_after_submission():
    assert scoring.correct_answer_text(ORDERING, "en", shuffle=SHUFFLE) == "First → Second → Third"
    assert scoring.correct_answer_text(TRUE_FALSE, "en", shuffle=SHUFFLE) is False


# Eight options: two fixed keys agree on one order by chance once in 8! (40,320); the keys below are
# constants, so these tests give the same answer on every run.
EIGHT = {
    "id": "q8",
    "type": "single",
    "prompt": {"es": "¿Cuál?", "en": "Which?"},
    "options": [
        {"id": f"o{n}", "text": {"es": f"Opción {n}", "en": f"Option {n}"}, "correct": n == 0} for n in range(7)
    ]
    + [{"id": "none", "text": {"es": "Ninguna", "en": "None"}, "correct": False, "fixed": True}],
}
KEYS = [f"{n:02x}" * 32 for n in range(20)]


def _shown(question, key):
    return [o["id"] for o in scoring.shown_options(question, Shuffle(key))]


def test_options_are_shown_in_an_order_of_the_keys_own_and_the_same_on_every_reload():
    orders = {tuple(_shown(EIGHT, key)) for key in KEYS}
    assert len(orders) > 1
    assert all(_shown(EIGHT, key) == _shown(EIGHT, key) for key in KEYS)
    assert all(sorted(order) == sorted(o["id"] for o in EIGHT["options"]) for order in orders)


def test_a_fixed_option_keeps_its_authored_place_wherever_it_is():
    for place in (0, 3, 7):
        options = [o for o in EIGHT["options"] if not o.get("fixed")]
        options.insert(place, next(o for o in EIGHT["options"] if o.get("fixed")))
        question = {**EIGHT, "options": options}
        orders = [_shown(question, key) for key in KEYS]
        assert all(order[place] == "none" for order in orders)
        assert len({tuple(order) for order in orders}) > 1  # the others still move around it


def test_answers_read_in_the_order_shown_name_the_options_own_ids():
    for key in KEYS:
        view = scoring.public_view(EIGHT, "en", shuffle=Shuffle(key))
        for index, option_id in enumerate(_shown(EIGHT, key)):
            form = MultiDict({"q-q8": view["options"][index]["id"]})
            assert scoring.read_answer(EIGHT, form, shuffle=Shuffle(key)) == option_id


def test_feedback_and_the_right_answer_follow_the_order_shown():
    question = {
        **MULTIPLE,
        "options": [{**o, "correct": o["id"] != "c", "feedback": o["text"]} for o in MULTIPLE["options"]],
    }
    for key in KEYS:
        shown = [o["text"]["en"] for o in scoring.shown_options(question, Shuffle(key))]
        reviewed = scoring.reviewed_options(question, ["a", "b", "c"], "en", shuffle=Shuffle(key))
        assert [o.feedback for o in reviewed] == [o.text for o in reviewed] == shown
        right = [text for text in shown if text != "C"]
        assert scoring.correct_answer_text(question, "en", shuffle=Shuffle(key)) == "; ".join(right)
