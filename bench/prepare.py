"""Build the benchmark database and the request files the load generator replays (run by bench.run)."""

import os
import sys
from pathlib import Path
from urllib.parse import urlencode

from flask_migrate import upgrade

from app import create_app
from bench import dataset
from bench.sessions import signed_session

# Each submission round needs attempts no round has submitted yet: at 800 submissions a second (a fast
# host) the ten seconds at peak use 8,000 and the paced run 4,000 (see bench.run).
LEARNERS = int(os.environ.get("BENCH_LEARNERS", "15000"))
# One learner in PASS_EVERY answers as someone who read the course and earns a certificate, so the task
# worker's signing and drawing is measured against the submissions that cause it; the others answer
# with the first option the page shows them, as a guesser would, and fail. One in 25 keeps the load the
# floors were set on: before options were shuffled, "always the authored first option" passed about 4%
# of these attempts (about 500 certificates a run). Since the shuffle that answer matched no option, so
# no submission passed and the certificate timing went unmeasured.
PASS_EVERY = 25


def main(out: Path):
    app = create_app()
    with app.app_context():
        upgrade()
        email = dataset.build(users=LEARNERS + 50)
        learners = dataset.build_learning(learners=LEARNERS)
        from app.catalog.queries import get_bank_questions
        from app.extensions import db
        from app.learning import shuffles
        from app.learning.models import AssessmentAttempt
        from tests.factories import right_answers_form

        attempts = {a.enrolment_id: a for a in db.session.execute(db.select(AssessmentAttempt)).scalars()}
        lesson_lines, submit_lines = [], []
        for number, learner in enumerate(learners):
            cookie, token = signed_session(app, learner["session_token"])
            module, lesson = learner["lesson"].split("/")
            enrolment = learner["enrolment_id"]
            lesson_lines.append(f"GET\t/learning/{enrolment}/lessons/{module}/{lesson}\t{cookie}\t")
            attempt = attempts[enrolment]
            if number % PASS_EVERY == 0:
                form = list(right_answers_form(None, attempt).items(multi=True))
            else:
                bank = get_bank_questions(attempt.version_id, attempt.question_ids)
                shuffle = shuffles.for_attempt(attempt)
                form = [pair for qid in attempt.question_ids for pair in _first_shown(bank[qid].data, shuffle)]
            answers = urlencode([("csrf_token", token), *form])
            submit_lines.append(f"POST\t/learning/{enrolment}/assessment/1\t{cookie}\t{answers}")
        verify_lines = [f"GET\t/verify/{serial}?format=json\t\t" for serial in _certificates(app, learners)]
    (out / "verify_requests.tsv").write_text("\n".join(verify_lines) + "\n")
    (out / "email.txt").write_text(email)
    (out / "lesson_requests.tsv").write_text("\n".join(lesson_lines[:500]) + "\n")
    (out / "submit_requests.tsv").write_text("\n".join(submit_lines) + "\n")


def _certificates(app, learners: list[dict], count: int = 40) -> list[str]:
    """Certificates issued the real way (signed, PDF drawn and stored) to people who are not learners in
    the load, so the verification scenario looks up real serials."""
    from app.accounts.models import User
    from app.catalog.models import Course
    from app.certificates import finishing, serials, services
    from app.extensions import db
    from app.learning.models import Enrolment

    busy = {learner["enrolment_id"] for learner in learners}
    course = db.session.scalar(db.select(Course).where(Course.slug == "citizen-integrity"))
    enrolled = db.select(Enrolment.user_id).where(Enrolment.id.in_(busy))
    users = db.session.scalars(db.select(User).where(User.id.not_in(enrolled)).limit(count)).all()
    issued = []
    with app.test_request_context():
        for user in users:
            enrolment = Enrolment(
                user=user, course=course, version=course.current_version, status="completed", completed_at=None
            )
            db.session.add(enrolment)
            db.session.flush()
            issued.append(services.issue_for_enrolment(enrolment))
        db.session.commit()
    # Finished here, as the worker would, so verification answers the whole record.
    return [serials.display(finishing.finish(certificate.id).serial) for certificate in issued]


def _first_shown(question: dict, shuffle) -> list[tuple[str, str]]:
    """Every question answered without reading: the first option shown, "true", items and answers as shown."""
    from app.learning import scoring

    name, view = f"q-{question['id']}", scoring.public_view(question, "es", shuffle=shuffle)
    if question["type"] in ("single", "multiple"):
        return [(name, view["options"][0]["id"])]
    if question["type"] == "true_false":
        return [(name, "true")]
    if question["type"] == "ordering":
        return [(f"{name}-{option['id']}", str(place)) for place, option in enumerate(view["options"], start=1)]
    return [(f"{name}-{left['id']}", right["id"]) for left, right in zip(view["lefts"], view["rights"], strict=True)]


if __name__ == "__main__":
    main(Path(sys.argv[1]))
