"""Build the benchmark database and the request files the load generator replays (run by bench.run)."""

import os
import sys
from pathlib import Path

from flask_migrate import upgrade

from app import create_app
from bench import dataset
from bench.sessions import signed_session

# Each submission round needs attempts no round has submitted yet: at 800 submissions a second (a fast
# host) the ten seconds at peak use 8,000 and the paced run 4,000 (see bench.run).
LEARNERS = int(os.environ.get("BENCH_LEARNERS", "15000"))


def main(out: Path):
    app = create_app()
    with app.app_context():
        upgrade()
        email = dataset.build(users=LEARNERS + 50)
        learners = dataset.build_learning(learners=LEARNERS)
        from app.catalog.queries import get_bank_questions
        from app.extensions import db
        from app.learning.models import AssessmentAttempt

        attempts = {a.enrolment_id: a for a in db.session.execute(db.select(AssessmentAttempt)).scalars()}
        lesson_lines, submit_lines = [], []
        for learner in learners:
            cookie, token = signed_session(app, learner["session_token"])
            module, lesson = learner["lesson"].split("/")
            enrolment = learner["enrolment_id"]
            lesson_lines.append(f"GET\t/learning/{enrolment}/lessons/{module}/{lesson}\t{cookie}\t")
            attempt = attempts[enrolment]
            bank = get_bank_questions(attempt.version_id, attempt.question_ids)
            answers = "&".join(f"q-{qid}={_first_option(bank[qid].data)}" for qid in attempt.question_ids)
            submit_lines.append(f"POST\t/learning/{enrolment}/assessment/1\t{cookie}\tcsrf_token={token}&{answers}")
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
    course = db.session.scalar(db.select(Course).where(Course.slug == "using-the-academy"))
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


def _first_option(question: dict) -> str:
    if question["type"] == "true_false":
        return "true"
    options = question.get("options") or question.get("pairs") or [{"id": "a"}]
    return options[0]["id"]


if __name__ == "__main__":
    main(Path(sys.argv[1]))
