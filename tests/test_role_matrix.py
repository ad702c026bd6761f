"""Every route × every role, generated from app.url_map and compared with the committed matrix.

A new route without a row in role_matrix.txt fails this test; so does any change in who may reach
what. After a deliberate change, regenerate with UPDATE_ROLE_MATRIX=1 and review the diff.
"""

import os
from pathlib import Path

from app.extensions import rate_limits
from app.organisations import roles
from tests import factories
from tests.csrf import csrf_token

MATRIX_FILE = Path(__file__).with_name("role_matrix.txt")
ROLES = (
    "anonymous",
    "citizen",
    "learner",
    "business_rep",
    "trainer",
    "integrity_officer",
    "governor",
    "advisor",
    "sip_admin",
)
SKIPPED_ENDPOINTS = {"static"}


def _outcome(response):
    if response.status_code == 403:
        return "deny"
    if response.status_code in (301, 302, 303) and response.headers["Location"].startswith("/login"):
        return "login"
    if response.status_code == 404:
        return "notfound"
    if response.status_code >= 500 or response.status_code == 429:
        return f"error{response.status_code}"
    return "allow"


def _routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def _measure(app, world, login_as):
    target = factories.make_user(display_name="Objetivo de la matriz")
    target_membership = factories.make_membership(target, world.entity, roles.LEARNER)
    enrolment = _citizen_enrolment_with_open_attempt(world)
    first_lesson = enrolment.version.lessons[0]
    certificate, job = _citizen_certificate_and_a_job(app, world)
    values = {
        "organisation_id": world.entity.id,
        "membership_id": target_membership.id,
        "user_id": target.id,
        "token": "not-a-real-token",
        "slug": "using-the-academy",
        "enrolment_id": enrolment.id,
        "module": first_lesson.module_slug,
        "lesson": first_lesson.key.split("/")[1],
        "activity_id": enrolment.version.activities[0].activity_id,
        "number": 1,
        "path": "media/progreso.svg",
        "serial": certificate.serial,
        "language": "es",
        "list_number": certificate.status_list,
        "job_id": job.id,
    }
    lines = []
    for rule, method in _routes(app):
        path = rule.rule
        for name in rule.arguments:
            for converter in ("int:", "path:", ""):
                path = path.replace(f"<{converter}{name}>", str(values[name]))
        outcomes = []
        for role in ROLES:
            rate_limits.reset(app)
            client = app.test_client()
            if role != "anonymous":
                login_as(client, world.users[role])
            form = {"csrf_token": csrf_token(client)} if method == "POST" else None
            response = client.open(path, method=method, data=form)
            outcomes.append(f"{role}={_outcome(response)}")
            response.close()
        lines.append(f"{rule.endpoint} {method} {rule.rule} | " + " ".join(outcomes))
    return lines


def _citizen_enrolment_with_open_attempt(world):
    """Learning routes are tried on the citizen's own enrolment: the others must get 404."""
    from app.extensions import db
    from app.learning.models import AssessmentAttempt
    from app.learning.services.assessment import draw_questions

    enrolment = factories.make_enrolment(world.users["citizen"])
    factories.complete_everything_but_the_assessment(enrolment)
    db.session.add(
        AssessmentAttempt(
            enrolment_id=enrolment.id,
            version_id=enrolment.version_id,
            number=1,
            question_ids=draw_questions(enrolment.version),
        )
    )
    db.session.commit()
    return enrolment


def _citizen_certificate_and_a_job(app, world):
    """Certificate routes are tried on the citizen's own certificate: the others must get 404."""
    from app.certificates.models import Certificate, RegenerationJob
    from app.extensions import db

    enrolment = factories.make_enrolment(world.users["citizen"], slug="integrity-induction")
    with app.test_request_context():
        factories.complete_course(enrolment)
    certificate = db.session.scalars(db.select(Certificate).where(Certificate.enrolment_id == enrolment.id)).one()
    job = RegenerationJob(type="citizen", status="finished", requested_by_id=world.users["sip_admin"].id)
    db.session.add(job)
    db.session.commit()
    return certificate, job


def test_role_matrix_matches_the_committed_one(app, world, login_as):
    measured = _measure(app, world, login_as)
    text = "\n".join(measured) + "\n"
    if os.environ.get("UPDATE_ROLE_MATRIX"):
        MATRIX_FILE.write_text(text)
    committed = MATRIX_FILE.read_text().splitlines()
    missing = sorted(set(measured) - set(committed))
    stale = sorted(set(committed) - set(measured))
    assert (missing, stale) == ([], []), "routes or permissions changed: review and regenerate role_matrix.txt"


def test_matrix_covers_every_route(app):
    committed = {tuple(line.split(" ")[:2]) for line in MATRIX_FILE.read_text().splitlines()}
    routed = {(rule.endpoint, method) for rule, method in _routes(app)}
    assert routed - committed == set()


def test_no_route_errors_for_any_role():
    assert "error" not in MATRIX_FILE.read_text()


# The staff screens an integrity officer uses for their own organisation.
OFFICERS_SCREENS = ("admin.dashboard", "admin.list_members", "admin.add_member", "admin.change_member_role",
                    "admin.end_member_role", "admin.approve_member")


def test_staff_screens_are_denied_to_learners_citizens_and_companies():
    for line in MATRIX_FILE.read_text().splitlines():
        if line.startswith("admin.") and not line.startswith("admin.dashboard"):
            for role in ("citizen", "learner", "business_rep", "trainer", "governor", "advisor"):
                assert f"{role}=deny" in line, line
            if not line.startswith(OFFICERS_SCREENS):
                assert "integrity_officer=deny" in line, line
