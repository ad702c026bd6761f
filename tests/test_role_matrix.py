"""Every route × every role, generated from app.url_map and compared with the committed matrix.

One test per route and method. Each role's request starts from the same state (whatever a request commits is
undone before the next role's), and every POST carries the CSRF token and a valid form, so what is recorded is
the answer to that role, not to a bad form. A route without a line in role_matrix.txt fails, and so does any
change in what a role gets. After a deliberate change, regenerate with UPDATE_ROLE_MATRIX=1 and review the diff.
"""

import io
import os
import re
from contextlib import contextmanager
from functools import cached_property

import pyotp
import pytest
from werkzeug.datastructures import MultiDict

from app import create_app
from app.core.database import dispose_engines
from app.extensions import db, rate_limits
from app.organisations import roles
from tests import factories, matrix
from tests.confirmation import confirm_it_is_me
from tests.csrf import csrf_token
from tests.settings import TEST_CONFIG

SKIPPED_ENDPOINTS = {"static"}
# The account's own pages, where changing the password or the second factor first asks to confirm it's you: each
# role is measured as just after signing in, confirmed (tests/security/test_reauthentication.py proves that a
# session alone is refused). Only there, because confirming costs a commit per role and route.
CONFIRMED_FOR = ("accounts.",)
REGENERATE = "review the change, then regenerate the file with UPDATE_ROLE_MATRIX=1 and review its diff"
PASSWORD = factories.DEFAULT_PASSWORD
NEW_PASSWORD = "otra frase larga para la matriz"

# The value of each URL argument. Learning and certificate routes point at the citizen's own enrolment
# and certificate (every other role must get 404); staff screens at a learner of the officer's entity.
URL_VALUES = {
    "organisation_id": lambda s: s.world.entity.id,
    "membership_id": lambda s: s.target_membership.id,
    "user_id": lambda s: s.target.id,
    "slug": lambda s: "using-the-academy",
    "enrolment_id": lambda s: s.enrolment.id,
    "module": lambda s: s.first_lesson.module_slug,
    "lesson": lambda s: s.first_lesson.key.split("/")[1],
    "activity_id": lambda s: s.reflection.activity_id,
    "number": lambda s: 1,
    "path": lambda s: "media/progreso.svg",
    "serial": lambda s: s.certificate.serial,
    "language": lambda s: "es",
    "list_number": lambda s: s.certificate.status_list,
    "job_id": lambda s: s.job.id,
    "version_id": lambda s: s.enrolment.version_id,
    "message_id": lambda s: s.outbox_message.id,
}
# Where one endpoint needs a value of its own (e-mailed links carry a token made for one purpose).
ENDPOINT_URL_VALUES = {
    "accounts.reset_password": {"token": lambda s: s.reset_token},
    "accounts.verify_email": {"token": lambda s: s.verification_token},
    "admin.approve_member": {"membership_id": lambda s: s.pending_membership.id},
    # The citizen's invitation to the officer's entity: only the citizen answers it, the officer withdraws it.
    "accounts.accept_invitation": {"membership_id": lambda s: s.invitation.id},
    "accounts.decline_invitation": {"membership_id": lambda s: s.invitation.id},
    "admin.withdraw_invitation": {"membership_id": lambda s: s.invitation.id},
    # The induction ends with a personal action plan; the citizen's induction enrolment is the completed one.
    "learning.download_action_plan": {
        "enrolment_id": lambda s: s.certificate.enrolment_id,
        "activity_id": lambda s: "integrity-action-plan",
    },
}

# A valid form for every POST endpoint, as the page's own form would send it (the CSRF token is added).
# Every role sends the same form: a refusal can then never be put down to bad input.
VALID_FORMS = {
    "accounts.login": lambda s, client: {"email": s.target.email, "password": PASSWORD},
    # The password step first, as the sign-in page does; only a visitor who is not signed in gets that far.
    "accounts.second_factor": lambda s, client: s.code_after_the_password_step(client),
    "accounts.logout": lambda s, client: {},
    "accounts.register": lambda s, client: {
        "account_type": "citizen",
        "display_name": "Persona Nueva",
        "email": "persona.nueva@example.pe",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
        "locale": "es",
        "accept_privacy": "y",
    },
    "accounts.verify_email": lambda s, client: {},
    "accounts.forgot_password": lambda s, client: {"email": s.target.email},
    "accounts.reset_password": lambda s, client: {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    "accounts.profile": lambda s, client: {"display_name": "Nombre Cambiado", "locale": "es"},
    "accounts.confirm_identity": lambda s, client: s.confirmation_for(client),
    "accounts.change_password": lambda s, client: {
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    },
    # The code of the secret the set-up page shows this client (people who already use one are sent away).
    "accounts.setup_second_factor": lambda s, client: s.code_for_the_set_up_page(client),
    "accounts.disable_second_factor": lambda s, client: {},
    "accounts.replace_recovery_codes": lambda s, client: {},
    "accounts.accept_invitation": lambda s, client: {},
    "accounts.decline_invitation": lambda s, client: {},
    "public.set_language": lambda s, client: {"language": "en", "next": "/courses"},
    "learning.enrol_in_course": lambda s, client: {},
    "learning.complete_lesson": lambda s, client: {},
    "learning.show_activity": lambda s, client: {"text": "Pediré consejo antes de aceptar un regalo."},
    "learning.start_attempt": lambda s, client: {},
    "learning.take_attempt": lambda s, client: s.right_answers,
    "certificates.verify": lambda s, client: {"document": (io.BytesIO(s.certificate_pdf), "certificado.pdf")},
    "admin.create_organisation": lambda s, client: {
        "kind": roles.ENTITY,
        "code": "MATRIZ-1",
        "name": "Entidad creada por la matriz",
        "parent_id": s.world.gore.id,
    },
    "admin.edit_organisation": lambda s, client: {"name": "Entidad renombrada", "short_name": "", "is_active": "y"},
    "admin.add_member": lambda s, client: {
        "email": "nuevo.miembro@example.pe",
        "display_name": "Nuevo Miembro",
        "role": roles.LEARNER,
    },
    "admin.change_member_role": lambda s, client: {"role": roles.TRAINER},
    "admin.end_member_role": lambda s, client: {},
    "admin.approve_member": lambda s, client: {},
    "admin.withdraw_invitation": lambda s, client: {},
    "admin.grant_user_role": lambda s, client: {"organisation_id": s.world.gore.id, "role": roles.ADVISOR},
    "admin.disable_user": lambda s, client: {},
    "admin.enable_user": lambda s, client: {},
    "admin.revoke_certificate": lambda s, client: {"reason": "Emitido por error"},
    "admin.correct_certificate_name": lambda s, client: {"name": "Nombre Corregido"},
    "admin.issue_certificate": lambda s, client: {
        "course_id": s.business_course.id,
        "organisation_id": s.world.company.id,
        "email": "",
    },
    "admin.regenerate_certificates": lambda s, client: {"type": "citizen"},
}


def _routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def _routed():
    """(endpoint, method, rule) of every route, from an application made at collection for this alone."""
    application = create_app({**TEST_CONFIG, "DATABASE_URL": "sqlite://"})
    try:
        return [(rule.endpoint, method, rule.rule) for rule, method in _routes(application)]
    finally:
        dispose_engines(application)


ROUTES = _routed()
POST_ROUTES = [route for route in ROUTES if route[1] == "POST"]


def _route_id(route):
    endpoint, method, _rule = route
    return matrix.key(endpoint, method)


@pytest.mark.parametrize("route", ROUTES, ids=_route_id)
def test_role_matrix(app, world, login_as, route):
    endpoint, method, rule = route
    scene = _Scene(app, world)
    measured = _measure(app, scene, login_as, route)
    if os.environ.get("UPDATE_ROLE_MATRIX"):
        matrix.write_line(matrix.line(endpoint, method, rule, measured))
    committed = matrix.committed().get(_route_id(route))
    assert committed is not None, f"no line for this route in {matrix.MATRIX_FILE.name}: {REGENERATE}"
    committed_rule, committed_outcomes = committed
    changed = {
        role: f"{committed_outcomes.get(role)} -> {measured[role]}"
        for role in matrix.ROLES
        if committed_outcomes.get(role) != measured[role]
    }
    assert (committed_rule, changed) == (rule, {}), f"what a role gets changed (committed -> now): {REGENERATE}"


@pytest.mark.parametrize("route", POST_ROUTES, ids=_route_id)
def test_a_post_without_the_csrf_token_is_refused_for_every_role(app, world, login_as, route):
    endpoint, _method, rule = route
    scene = _Scene(app, world)
    path = scene.path(endpoint, rule)
    statuses = {}
    for role in matrix.ROLES:
        client = _client_of(app, scene, login_as, role)
        form = VALID_FORMS[endpoint](scene, client)
        statuses[role] = client.post(path, data=form).status_code  # refused: nothing to undo
    assert set(statuses.values()) == {400}, statuses


def test_the_matrix_has_a_line_for_every_route_and_none_for_a_route_that_is_gone(app):
    routed = {matrix.key(rule.endpoint, method) for rule, method in _routes(app)}
    if os.environ.get("UPDATE_ROLE_MATRIX"):
        matrix.write_lines({key: line for key, line in matrix.committed_lines().items() if key in routed})
    committed = set(matrix.committed())
    assert (sorted(routed - committed), sorted(committed - routed)) == ([], [])


def test_every_post_route_has_a_valid_form_in_the_table(app):
    posted = {rule.endpoint for rule, method in _routes(app) if method == "POST"}
    assert (sorted(posted - set(VALID_FORMS)), sorted(set(VALID_FORMS) - posted)) == ([], [])


def test_no_route_errors_for_any_role():
    answers = [
        (key, role, outcome)
        for key, (_rule, outcomes) in matrix.committed().items()
        for role, outcome in outcomes.items()
    ]
    assert [answer for answer in answers if answer[2].startswith(("5", "429"))] == []


# The staff screens an integrity officer uses for their own organisation.
OFFICERS_SCREENS = (
    "admin.dashboard",
    "admin.list_members",
    "admin.add_member",
    "admin.change_member_role",
    "admin.end_member_role",
    "admin.approve_member",
    "admin.withdraw_invitation",
)


def test_staff_screens_are_denied_to_learners_citizens_and_companies():
    staff_lines = {key: outcomes for key, (_rule, outcomes) in matrix.committed().items() if key.startswith("admin.")}
    assert staff_lines
    for key, outcomes in staff_lines.items():
        assert outcomes["anonymous"] == "302>login", key
        for role in ("citizen", "learner", "business_rep", "trainer", "governor", "advisor"):
            assert outcomes[role] == "403", (key, role)
        if not key.startswith(OFFICERS_SCREENS):
            assert outcomes["integrity_officer"] == "403", key


def _measure(app, scene, login_as, route):
    endpoint, method, rule = route
    path = scene.path(endpoint, rule)
    outcomes = {}
    for role in matrix.ROLES:
        client = _client_of(app, scene, login_as, role, confirmed=endpoint.startswith(CONFIRMED_FOR))
        form = None
        if method == "POST":
            valid = VALID_FORMS[endpoint](scene, client)
            # A copy that keeps every answer to a question that takes several (a dict would keep one).
            form = valid.copy() if isinstance(valid, MultiDict) else dict(valid)
            form["csrf_token"] = csrf_token(client)
        with _undone(app):
            response = client.open(path, method=method, data=form)
            outcomes[role] = matrix.outcome(client, response)
            response.close()
    return outcomes


def _client_of(app, scene, login_as, role, *, confirmed=False):
    client = app.test_client()
    if role != "anonymous":
        user = scene.world.users[role]
        login_as(client, user)
        if confirmed:
            confirm_it_is_me(client, user)
    rate_limits.reset(app)
    return client


@contextmanager
def _undone(app):
    """Whatever the requests inside commit is undone afterwards, so the next role starts from the same state."""
    db.session.commit()  # the scene made so far is part of that state
    with app.extensions["tests.pristine"].snapshot():
        yield


class _Scene:
    """What the URLs and forms of the matrix point at, each made when a route first needs it.

    Made before any role's request (URL values and forms are read outside _undone), so it stays.
    """

    def __init__(self, app, world):
        self.app, self.world = app, world

    def path(self, endpoint, rule):
        values = {**URL_VALUES, **ENDPOINT_URL_VALUES.get(endpoint, {})}

        def value(match):
            name = match.group(1)
            assert name in values, f"{endpoint}: give <{name}> a value in URL_VALUES or ENDPOINT_URL_VALUES"
            return str(values[name](self))

        return re.sub(r"<(?:\w+:)?(\w+)>", value, rule)

    @cached_property
    def target(self):
        return factories.make_user(display_name="Objetivo de la matriz")

    @cached_property
    def target_membership(self):
        return factories.make_membership(self.target, self.world.entity, roles.LEARNER)

    @cached_property
    def pending_membership(self):
        return factories.make_membership(factories.make_user(), self.world.entity, roles.LEARNER, status="pending")

    @cached_property
    def invitation(self):
        from app.accounts.invitations import invite_by_email

        citizen = self.world.users["citizen"]
        with self.app.test_request_context():
            membership = invite_by_email(
                actor=self.world.users["integrity_officer"],
                organisation=self.world.entity,
                role=roles.LEARNER,
                email=citizen.email,
                display_name="Ciudadana Invitada",
            )
        db.session.commit()
        return membership

    @cached_property
    def reset_token(self):
        from app.accounts import tokens

        with self.app.test_request_context():
            return tokens.make_password_reset_token(self.target)

    @cached_property
    def verification_token(self):
        from app.accounts import tokens

        with self.app.test_request_context():
            return tokens.make_email_verification_token(factories.make_user(verified=False))

    @cached_property
    def outbox_message(self):
        """A password-reset mail to the target, as the outbox keeps it while no SMTP server is configured."""
        from app.core.mail import send_mail

        with self.app.test_request_context():
            message = send_mail(self.target.email, "Restablezca su contraseña", "http://localhost/password/reset/x")
        db.session.commit()
        return message

    @cached_property
    def enrolment(self):
        """The citizen's, read to the final assessment, with its first attempt open."""
        from app.learning import services

        enrolment = factories.make_enrolment(self.world.users["citizen"])
        factories.complete_everything_but_the_assessment(enrolment)
        with self.app.test_request_context():
            services.start_attempt(enrolment)
        db.session.commit()
        return enrolment

    @cached_property
    def first_lesson(self):
        return self.enrolment.version.lessons[0]

    @cached_property
    def reflection(self):
        """An activity whose valid answer needs no knowledge of the course: a few words of reflection."""
        return next(a for a in self.enrolment.version.activities if a.kind == "reflection")

    @cached_property
    def right_answers(self):
        from app.learning.models import AssessmentAttempt

        attempt = db.session.scalars(db.select(AssessmentAttempt).filter_by(enrolment_id=self.enrolment.id)).one()
        with self.app.test_request_context():
            return factories.right_answers_form(self.enrolment, attempt)

    @cached_property
    def certificate(self):
        """The citizen's, for the restricted induction, signed and drawn by the task queue."""
        from app.certificates.models import Certificate
        from app.tasks import run_queued_tasks

        enrolment = factories.make_enrolment(self.world.users["citizen"], slug="integrity-induction")
        with self.app.test_request_context():
            factories.complete_course(enrolment)
        run_queued_tasks()
        return db.session.scalars(db.select(Certificate).where(Certificate.enrolment_id == enrolment.id)).one()

    @cached_property
    def certificate_pdf(self):
        return self.certificate.documents[0].pdf

    @cached_property
    def job(self):
        from app.certificates.models import RegenerationJob

        job = RegenerationJob(type="citizen", status="finished", requested_by_id=self.world.users["sip_admin"].id)
        db.session.add(job)
        db.session.commit()
        return job

    @cached_property
    def business_course(self):
        """Business for Integrity, one of the courses whose certificates the SIP issues by hand."""
        from app.catalog import content
        from app.catalog import services as catalog_services

        catalog_services.sync_package(content.load_package(factories.COURSES / "business-integrity"))
        db.session.commit()
        return factories.get_course("business-integrity")

    @cached_property
    def second_factor_user(self):
        return factories.make_user(second_factor=True)

    def code_after_the_password_step(self, client):
        user = self.second_factor_user
        client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)})
        return {"code": factories.totp_code(user)}

    def confirmation_for(self, client):
        """The password of the client's user, and a current code when that user has a second factor."""
        from app.accounts.models import User

        with client.session_transaction() as session:
            token = session.get("_user_id")
        user = db.session.scalars(db.select(User).filter_by(session_token=token)).first() if token else None
        if user is None or not user.has_second_factor:
            return {"password": PASSWORD}
        return {"password": PASSWORD, "code": factories.totp_code(user)}

    def code_for_the_set_up_page(self, client):
        page = client.get("/account/second-factor").get_data(as_text=True)
        secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page)
        return {"code": pyotp.TOTP(secret.group(1)).now() if secret else ""}
