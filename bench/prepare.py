"""Build the benchmark database and the request files the load generator replays (run by bench.run)."""

import os
import sys
from pathlib import Path

from flask_migrate import upgrade

from app import create_app
from bench import dataset
from bench.sessions import signed_session

LEARNERS = int(os.environ.get("BENCH_LEARNERS", "6000"))


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
    (out / "email.txt").write_text(email)
    (out / "lesson_requests.tsv").write_text("\n".join(lesson_lines[:500]) + "\n")
    (out / "submit_requests.tsv").write_text("\n".join(submit_lines) + "\n")


def _first_option(question: dict) -> str:
    if question["type"] == "true_false":
        return "true"
    options = question.get("options") or question.get("pairs") or [{"id": "a"}]
    return options[0]["id"]


if __name__ == "__main__":
    main(Path(sys.argv[1]))
