"""The fixed vocabulary of the package format: names, enums and patterns from courses/README.md."""

import re

LANGUAGES = ("es", "en")

PROGRAMMES = ("induction", "trainer", "governor", "citizen", "business")
CERTIFICATE_TYPES = (*PROGRAMMES, "none")
ROLES = ("learner", "integrity_officer", "trainer", "governor", "advisor", "sip_admin", "business_rep")
ORGANISATION_KINDS = ("national", "regional_government", "entity", "company")
ACTIVITY_KINDS = ("knowledge_check", "dilemma", "reflection", "pledge", "action_plan")
# An action plan prints on one A4 page: a few short answers, each within the length a page holds.
ACTION_PLAN_FIELDS_MIN, ACTION_PLAN_FIELDS_MAX = 2, 6
ACTION_PLAN_ANSWER_MAX_CHARS = 600
QUESTION_TYPES = ("single", "multiple", "true_false", "ordering", "matching")

# Only the values the README documents; a new rule needs engine support before authors may use it.
COMPLETION_LESSONS = ("all",)
COMPLETION_ACTIVITIES = ("required",)

# When learners see the right answers of their final assessment: once they pass, once they have no
# attempt left (passed, or every allowed attempt used), or from the first attempt on.
REVIEW_AFTER_PASS, REVIEW_AFTER_LAST_ATTEMPT, REVIEW_ALWAYS = "after_pass", "after_last_attempt", "always"
REVIEW_POLICIES = (REVIEW_AFTER_PASS, REVIEW_AFTER_LAST_ATTEMPT, REVIEW_ALWAYS)
DEFAULT_REVIEW = REVIEW_AFTER_PASS

OUTCOMES_MIN, OUTCOMES_MAX = 3, 6

# Module folders and lesson files: a two-digit order number, then a lower-case hyphenated slug.
ORDERED_NAME = re.compile(r"^\d{2}-[a-z0-9]+(-[a-z0-9]+)*$")
# Course slugs and every id: progress is recorded against them and they appear in URLs.
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

COURSE_FILE = "course.yaml"
ASSESSMENT_FILE = "assessment.yaml"
MODULE_FILE = "module.yaml"
ACTIVITIES_FILE = "activities.yaml"
MODULES_DIR = "modules"
MEDIA_DIR = "media"
