"""Certificates' answers to what learning announces."""

from app.learning.signals import course_completed


@course_completed.connect
def _issue_on_completion(enrolment, **extra):
    """A completed course earns its certificate inside the same transaction: both land, or neither."""
    from app.certificates import services

    services.issue_for_enrolment(enrolment)
