"""The address of each item of a course outline, for the outline itself, the pager and "continue"."""

from flask import url_for


def item_url(enrolment, item) -> str:
    """The address of an item of the enrolment's progress; no item means the course's home."""
    if item is None:
        return url_for("learning.course_home", enrolment_id=enrolment.id)
    if item.kind == "lesson":
        module, lesson = item.ref.split("/", 1)
        return url_for("learning.show_lesson", enrolment_id=enrolment.id, module=module, lesson=lesson)
    if item.kind == "activity":
        return url_for("learning.show_activity", enrolment_id=enrolment.id, activity_id=item.ref)
    return url_for("learning.assessment_overview", enrolment_id=enrolment.id)
