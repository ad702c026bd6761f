"""What each certificate type is called and how it is earned: one place for the PDF, the pages and the badge."""

from flask_babel import lazy_gettext as _l

HEADINGS = {
    "induction": _l("Certificate of Induction in Public Integrity"),
    "trainer": _l("Certified Integrity Trainer"),
    "governor": _l("Governor Induction in Public Integrity"),
    "citizen": _l("Citizen for Integrity"),
    "business": _l("Business for Integrity"),
}

# The Open Badges achievement type that fits each programme.
ACHIEVEMENT_TYPES = {
    "induction": "Certificate",
    "trainer": "Certification",
    "governor": "Certificate",
    "citizen": "Certificate",
    "business": "Certificate",
}

CRITERIA = {
    "induction": _l(
        "Completed every lesson and required activity of the Integrity Induction Module and passed its final assessment."
    ),
    "trainer": _l(
        "Completed the Train-the-Trainer track and its practicum, and was certified by the Secretariat for Public Integrity."
    ),
    "governor": _l("Completed the Governor induction in public integrity and passed its final assessment."),
    "citizen": _l("Completed every lesson and required activity of the course and passed its final assessment."),
    "business": _l(
        "The company completed the Business for Integrity course and signed its integrity commitment, "
        "as confirmed by the Secretariat for Public Integrity."
    ),
}

# Until the company and trainer journeys exist, a SIP administrator issues these two by hand.
ISSUED_BY_ADMIN = frozenset({"trainer", "business"})
# A company certificate names the company; every other type names a person.
ISSUED_TO_COMPANY = frozenset({"business"})


def heading(certificate_type: str) -> str:
    return str(HEADINGS[certificate_type])


def full_name(certificate_type: str, course_title: str) -> str:
    """The certificate's name where one line must say it all (the badge, LinkedIn, a list of courses):
    its heading, then the course, unless the course bears the heading's own words."""
    text = heading(certificate_type)
    return f"{text}: {course_title}" if course_adds_to_heading(text, course_title) else text


def course_adds_to_heading(heading_text: str, course_title: str) -> bool:
    """False when the course is called what its certificate is ("Ciudadano por la Integridad" earns
    "Ciudadano por la Integridad"): the pages then show that name once, not as a heading and again as the course."""
    return " ".join(heading_text.casefold().split()) != " ".join(course_title.casefold().split())
