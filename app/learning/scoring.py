"""Questions on the server: what the browser may see, how answers are read from a form, and scoring.

A question is the mapping from the package (single, multiple, true_false, ordering, matching).
Nothing here touches the database or the request.
"""

from dataclasses import dataclass

from app.catalog.models import localised
from app.learning.shuffles import MATCHING_ANSWERS, OPTIONS, ORDERING_ITEMS, Shuffle


def public_view(question: dict, language: str, *, shuffle: Shuffle) -> dict:
    """What the page may show before submission: prompts and choices, never correctness or feedback.

    Ordering items and matching answers are listed in the package in their correct order, so the
    page gets them in *shuffle*'s order (a stored secret: app.learning.shuffles) and named by opaque
    tokens (t0, t1…) whose meaning only the server knows.

    Single and multiple-choice options are shuffled too (shown_options), or "always pick the first"
    would score as well as authors tend to put the key first. They are named by tokens as well: the
    packages name options a, b, c… in authored order, so their own ids would tell the authored
    position, and with it whatever the authors' habits give away, the shuffle notwithstanding.
    """
    kind = question["type"]
    view = {"id": question["id"], "type": kind, "prompt": localised(question["prompt"], language)}
    if kind in ("single", "multiple"):
        shown = shown_options(question, shuffle)
        view["options"] = [{"id": f"t{i}", "text": localised(o["text"], language)} for i, o in enumerate(shown)]
    elif kind == "ordering":
        shuffled = _ordering_items(question, shuffle)
        view["options"] = [{"id": f"t{i}", "text": localised(o["text"], language)} for i, o in enumerate(shuffled)]
        view["positions"] = list(range(1, len(shuffled) + 1))
    elif kind == "matching":
        view["lefts"] = [{"id": p["id"], "text": localised(p["left"], language)} for p in question["pairs"]]
        shuffled = _matching_answers(question, shuffle)
        view["rights"] = [{"id": f"t{i}", "text": localised(p["right"], language)} for i, p in enumerate(shuffled)]
    return view


def read_answer(question: dict, form, *, shuffle: Shuffle) -> object | None:
    """The learner's answer from a submitted form (field names start with q-<id>); None if unanswered.

    *shuffle* must be the one the page was shown with: it says which item each token stands for.
    """
    name = f"q-{question['id']}"
    kind = question["type"]
    if kind == "single":
        return _option_tokens(question, shuffle).get(form.get(name))
    if kind == "multiple":
        tokens = _option_tokens(question, shuffle)
        chosen = sorted({tokens[v] for v in form.getlist(name) if v in tokens})
        return chosen or None
    if kind == "true_false":
        return {"true": True, "false": False}.get(form.get(name))
    if kind == "ordering":
        positions = {}
        for index, option in enumerate(_ordering_items(question, shuffle)):
            raw = form.get(f"{name}-t{index}", "")
            if not raw.isdigit():
                return None
            positions[option["id"]] = int(raw)
        if sorted(positions.values()) != list(range(1, len(positions) + 1)):
            return None
        return [option_id for option_id, _ in sorted(positions.items(), key=lambda item: item[1])]
    if kind == "matching":
        tokens = {f"t{i}": p["id"] for i, p in enumerate(_matching_answers(question, shuffle))}
        matches = {p["id"]: tokens.get(form.get(f"{name}-{p['id']}", "")) for p in question["pairs"]}
        if None in matches.values():
            return None
        return matches
    return None


def is_correct(question: dict, answer) -> bool:
    """All or nothing per question: a multiple-choice answer must pick exactly the right options."""
    if answer is None:
        return False
    kind = question["type"]
    if kind == "single":
        return any(o["id"] == answer and o.get("correct") for o in question["options"])
    if kind == "multiple":
        return sorted(answer) == sorted(o["id"] for o in question["options"] if o.get("correct"))
    if kind == "true_false":
        return answer is question["answer"]
    if kind == "ordering":
        return answer == [o["id"] for o in question["options"]]
    if kind == "matching":
        return all(left == right for left, right in answer.items())
    return False


@dataclass(frozen=True)
class ReviewedOption:
    """One option of a single or multiple-choice question as the learner saw it, after submission.

    feedback is the option's own text from the package, only for an option the learner chose: it is
    shown under the option's text, so feedback on several options says which option each is about.
    """

    text: str
    chosen: bool
    correct: bool
    feedback: str | None = None


def reviewed_options(question: dict, answer, language: str, *, shuffle: Shuffle) -> list[ReviewedOption]:
    """A single or multiple-choice question's options in the order they were shown, with what the learner
    chose; empty for other kinds."""
    if question["type"] not in ("single", "multiple"):
        return []
    chosen = chosen_ids(answer)
    return [
        ReviewedOption(
            text=localised(o["text"], language),
            chosen=o["id"] in chosen,
            correct=bool(o.get("correct")),
            feedback=localised(o["feedback"], language) if o["id"] in chosen and o.get("feedback") else None,
        )
        for o in shown_options(question, shuffle)
    ]


def general_feedback(question: dict, language: str) -> list[str]:
    """The question's own feedback and explanation, which hold whatever the learner answered.

    The page states the verdict (right or not) itself; these texts explain it."""
    return [
        localised(question[key], language) for key in ("feedback", "explanation") if isinstance(question.get(key), dict)
    ]


def chosen_ids(answer) -> set[str]:
    """The option ids a stored single or multiple-choice answer picked."""
    if answer is None:
        return set()
    return {answer} if isinstance(answer, str) else set(answer)


def correct_answer_text(question: dict, language: str, *, shuffle: Shuffle) -> str | bool:
    """The right answer in words, shown only after submission; a bare bool for true/false (the page words it).

    Right options are named in the order the learner saw them."""
    kind = question["type"]
    if kind in ("single", "multiple"):
        return "; ".join(localised(o["text"], language) for o in shown_options(question, shuffle) if o.get("correct"))
    if kind == "true_false":
        return question["answer"]
    if kind == "ordering":
        return " → ".join(localised(o["text"], language) for o in question["options"])
    if kind == "matching":
        return "; ".join(
            f"{localised(p['left'], language)} — {localised(p['right'], language)}" for p in question["pairs"]
        )
    return ""


def shown_options(question: dict, shuffle: Shuffle) -> list[dict]:
    """A single or multiple-choice question's options in the order *shuffle* shows them.

    An option marked ``fixed`` ("all of the above", "none of the above") keeps its place in the
    package; the others are shuffled among the places left.
    """
    options = question["options"]
    movable = iter(shuffle.order([o for o in options if not o.get("fixed")], question["id"], OPTIONS))
    return [option if option.get("fixed") else next(movable) for option in options]


def _option_tokens(question: dict, shuffle: Shuffle) -> dict[str, str]:
    """Token (as the page names it) to the option's own id, which answers are stored and scored by."""
    return {f"t{i}": option["id"] for i, option in enumerate(shown_options(question, shuffle))}


def _ordering_items(question: dict, shuffle: Shuffle) -> list:
    return shuffle.order(question["options"], question["id"], ORDERING_ITEMS)


def _matching_answers(question: dict, shuffle: Shuffle) -> list:
    return shuffle.order(question["pairs"], question["id"], MATCHING_ANSWERS)
