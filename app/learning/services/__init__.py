"""State changes for learning, split by sub-domain; import from here."""

from app.learning.services.activities import (  # noqa: F401
    ActivityRefused,
    record_activity,
)
from app.learning.services.assessment import (  # noqa: F401
    AssessmentRefused,
    AttemptAlreadySubmitted,
    Marking,
    mark_attempt,
    start_attempt,
    submit_attempt,
)
from app.learning.services.enrolment import EnrolmentRefused, enrol, move_to_version  # noqa: F401
from app.learning.services.progress import check_completion, complete_lesson  # noqa: F401
