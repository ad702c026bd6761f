"""Checks for a module's activities.yaml: knowledge checks, dilemmas, reflections, pledges and action plans."""

from app.catalog.content.check_questions import check_question, check_unique_ids, mappings
from app.catalog.content.checker import FileChecker
from app.catalog.content.rules import ACTION_PLAN_FIELDS_MAX, ACTION_PLAN_FIELDS_MIN, ACTIVITY_KINDS
from app.catalog.content.yaml_lines import LineDict, LineList

_KIND_KEYS = {
    "knowledge_check": ("questions",),
    "dilemma": ("situation", "choices"),
    "reflection": ("prompt",),
    "pledge": ("statement",),
    "action_plan": ("intro", "fields"),
}


def check_activities(activities: LineList, ck: FileChecker) -> list[LineDict]:
    """Check every activity and return those that are mappings (ids are checked course-wide elsewhere)."""
    valid = mappings(activities, ck, "activity")
    for activity in valid:
        _check_activity(activity, ck)
    return valid


def _check_activity(activity: LineDict, ck: FileChecker) -> None:
    known_kind = ck.choice(activity, "kind", ACTIVITY_KINDS)
    if known_kind:
        ck.keys(activity, ("id", "kind", "required", *_KIND_KEYS[activity["kind"]]))
    else:
        for key in ("id", "kind", "required"):
            if key not in activity:
                ck.problem(activity.line, f"missing required key {key!r}")
    ck.identifier(activity)
    ck.boolean(activity, "required")
    if not known_kind:
        return
    kind = activity["kind"]
    if kind == "knowledge_check":
        _check_knowledge_check(activity, ck)
    elif kind == "dilemma":
        _check_dilemma(activity, ck)
    elif kind == "action_plan":
        _check_action_plan(activity, ck)
    else:
        ck.text(activity, "prompt" if kind == "reflection" else "statement")


def _check_knowledge_check(activity: LineDict, ck: FileChecker) -> None:
    questions = ck.sequence(activity, "questions")
    if questions is None:
        return
    check_unique_ids(questions, ck, "question")
    for question in mappings(questions, ck, "question"):
        check_question(question, ck)


def _check_dilemma(activity: LineDict, ck: FileChecker) -> None:
    ck.text(activity, "situation")
    choices = ck.sequence(activity, "choices", min_items=2)
    if choices is None:
        return
    check_unique_ids(choices, ck, "choice")
    valid = mappings(choices, ck, "choice")
    for choice in valid:
        ck.keys(choice, ("id", "text", "consequence"), ("recommended",))
        ck.identifier(choice)
        ck.text(choice, "text")
        ck.text(choice, "consequence")
        ck.boolean(choice, "recommended")
    recommended = [choice for choice in valid if choice.get("recommended") is True]
    if len(recommended) > 1:
        ck.problem(recommended[1].lines["recommended"], "a dilemma may have at most one choice with recommended: true")


def _check_action_plan(activity: LineDict, ck: FileChecker) -> None:
    ck.text(activity, "intro")
    fields = ck.sequence(activity, "fields", min_items=ACTION_PLAN_FIELDS_MIN)
    if fields is None:
        return
    if len(fields) > ACTION_PLAN_FIELDS_MAX:
        ck.problem(fields.line, f"an action plan has at most {ACTION_PLAN_FIELDS_MAX} fields, so it prints on one page")
    check_unique_ids(fields, ck, "field")
    for field in mappings(fields, ck, "field"):
        ck.keys(field, ("id", "prompt"), ("hint",))
        ck.identifier(field)
        ck.text(field, "prompt")
        if "hint" in field:
            ck.text(field, "hint")
