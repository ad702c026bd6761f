"""Factories: keyword overrides in, committed objects out (commits are savepoints in tests)."""

import itertools
from pathlib import Path
from types import SimpleNamespace

import pyotp
from argon2 import PasswordHasher
from cryptography.fernet import Fernet
from sqlalchemy import select

from app.accounts.models import User
from app.core.models import utcnow
from app.extensions import db
from app.organisations import roles
from app.organisations.models import Membership, Organisation
from tests.settings import TEST_CONFIG

COURSES = Path(__file__).resolve().parents[1] / "courses"
SYNCED_COURSES = ("using-the-academy", "integrity-induction", "citizen-integrity")
DEFAULT_PASSWORD = "una frase larga y segura"
_counter = itertools.count(1)
# The same cheap parameters as TEST_CONFIG, so factories need no application context.
_hasher = PasswordHasher(
    time_cost=TEST_CONFIG["ARGON2_TIME_COST"], memory_cost=TEST_CONFIG["ARGON2_MEMORY_COST_KIB"], parallelism=1
)
_default_hash = _hasher.hash(DEFAULT_PASSWORD)
# TEST_CONFIG's TOTP key, for the same reason: what accounts.totp_keys would store, without the app.
_totp_box = Fernet(TEST_CONFIG["TOTP_ENCRYPTION_KEYS"])


def make_user(
    *,
    email=None,
    display_name=None,
    password=DEFAULT_PASSWORD,
    verified=True,
    locale="es",
    second_factor=False,
    **overrides,
):
    number = next(_counter)
    user = User(
        email=email or f"persona{number}@example.pe",
        display_name=display_name or f"Persona {number}",
        password_hash=_default_hash if password == DEFAULT_PASSWORD else _hasher.hash(password),
        locale=locale,
        email_verified_at=utcnow() if verified else None,
        **overrides,
    )
    if second_factor:
        user.totp_secret = encrypt_totp_secret(pyotp.random_base32())
        user.totp_enabled_at = utcnow()
    db.session.add(user)
    db.session.commit()
    return user


def get_organisation(code):
    return db.session.execute(select(Organisation).where(Organisation.code == code)).scalar_one()


def make_organisation(*, code=None, kind=roles.ENTITY, parent_code="GORE-06", name=None, ruc=None):
    number = next(_counter)
    parent = get_organisation(parent_code) if kind == roles.ENTITY and parent_code else None
    organisation = Organisation(
        code=code or f"TEST-{number}", kind=kind, name=name or f"Entidad de prueba {number}", parent=parent, ruc=ruc
    )
    db.session.add(organisation)
    db.session.commit()
    return organisation


def make_membership(user, organisation, role, status="active"):
    membership = Membership(user=user, organisation=organisation, role=role, status=status)
    db.session.add(membership)
    db.session.commit()
    return membership


def make_member(organisation, role, **user_overrides):
    second_factor = role in roles.ROLES_REQUIRING_SECOND_FACTOR
    user = make_user(second_factor=user_overrides.pop("second_factor", second_factor), **user_overrides)
    make_membership(user, organisation, role)
    return user


def make_world():
    """The cast the authorisation tests need: one user per role, their organisations, and outsiders."""
    sip = get_organisation("SIP")
    gore = get_organisation("GORE-06")
    entity = make_organisation(name="Red de Salud de Cajamarca (prueba)")
    other_entity = make_organisation(parent_code="GORE-21", name="Red de Salud de Puno (prueba)")
    company = make_organisation(kind=roles.COMPANY, ruc="20131378972", name="Empresa de prueba S.A.C.")
    users = {
        "learner": make_member(entity, roles.LEARNER),
        "trainer": make_member(entity, roles.TRAINER),
        "integrity_officer": make_member(entity, roles.INTEGRITY_OFFICER),
        "governor": make_member(gore, roles.GOVERNOR),
        "advisor": make_member(sip, roles.ADVISOR),
        "sip_admin": make_member(sip, roles.SIP_ADMIN),
        "business_rep": make_member(company, roles.BUSINESS_REP),
        "citizen": make_user(),
    }
    other_officer = make_member(other_entity, roles.INTEGRITY_OFFICER)
    other_learner = make_member(other_entity, roles.LEARNER)
    return SimpleNamespace(
        sip=sip,
        gore=gore,
        entity=entity,
        other_entity=other_entity,
        company=company,
        users=users,
        other_officer=other_officer,
        other_learner=other_learner,
        learner_membership=users["learner"].memberships[0],
        other_membership=other_learner.memberships[0],
    )


def encrypt_totp_secret(secret):
    return _totp_box.encrypt(secret.encode("ascii")).decode("ascii")


def totp_secret(user):
    """The plain secret behind the user's stored TOTP secret, as their authenticator app holds it."""
    return _totp_box.decrypt(user.totp_secret.encode("ascii")).decode("ascii")


def totp_code(user, *, offset_steps=0):
    import time

    return pyotp.TOTP(totp_secret(user)).at(int(time.time()) + 30 * offset_steps)


def unused_totp_code(user):
    """A code the app still accepts: the earliest step it allows (one either side of now) after the last used."""
    import time

    last_step = db.session.scalar(select(User.totp_last_step).where(User.id == user.id))
    now = int(time.time()) // 30
    step = next(s for s in (now - 1, now, now + 1) if last_step is None or s > last_step)
    return pyotp.TOTP(totp_secret(user)).at(step * 30)


def get_course(slug="using-the-academy"):
    from app.catalog.models import Course

    return db.session.execute(select(Course).where(Course.slug == slug)).scalar_one()


def sync_course(slug):
    """The course of courses/<slug>, synced first if this test's database does not have it yet."""
    from app.catalog import content
    from app.catalog import services as catalog_services
    from app.catalog.models import Course

    if db.session.scalar(select(Course.id).where(Course.slug == slug)) is None:
        catalog_services.sync_package(content.load_package(COURSES / slug))
        db.session.commit()
    return get_course(slug)


def make_enrolment(user=None, slug="using-the-academy"):
    from app.learning.models import Enrolment

    course = sync_course(slug)
    enrolment = Enrolment(user=user or make_user(), course=course, version=course.current_version)
    db.session.add(enrolment)
    db.session.commit()
    return enrolment


def complete_everything_but_the_assessment(enrolment):
    """Mark every lesson and required activity done, as a learner who has read the course would."""
    from app.learning.models import ActivityCompletion, LessonCompletion
    from app.learning.queries import progress

    for module in progress(enrolment).modules:
        for item in module.items:
            if item.kind == "lesson":
                db.session.add(LessonCompletion(enrolment_id=enrolment.id, lesson_key=item.ref))
            elif item.is_required:
                db.session.add(
                    ActivityCompletion(
                        enrolment_id=enrolment.id, activity_id=item.ref, kind=item.activity_kind, response={}
                    )
                )
    db.session.commit()


def complete_course(enrolment):
    """Finish *enrolment* as a learner who reads everything and passes the final: the course completes
    (and, through the completion signal, its certificate is issued). Needs a request context."""
    from app.learning import services

    complete_everything_but_the_assessment(enrolment)
    attempt = services.start_attempt(enrolment)
    services.submit_attempt(attempt, services.mark_attempt(attempt, right_answers_form(enrolment, attempt)))
    services.check_completion(enrolment)
    db.session.commit()
    return enrolment


def right_answers_form(enrolment, attempt):
    """The form a learner who knows every answer would send for *attempt*."""
    from werkzeug.datastructures import MultiDict

    from app.catalog.queries import get_bank_questions
    from app.learning import scoring, shuffles

    bank = get_bank_questions(attempt.version_id, attempt.question_ids)
    shuffle = shuffles.for_attempt(attempt)
    form = MultiDict()
    for qid in attempt.question_ids:
        question = bank[qid].data
        view = scoring.public_view(question, "es", shuffle=shuffle)
        _fill_right_answer(form, question, view, shuffle)
    return form


def knowledge_check_form(enrolment, activity_id, chosen=None):
    """The form a knowledge check's page sends: the right answers, except where *chosen* ({question id: [option
    ids]}) picks the options of a single or multiple-choice question."""
    from werkzeug.datastructures import MultiDict

    from app.catalog.queries import get_activity
    from app.learning import scoring, shuffles

    shuffle = shuffles.for_knowledge_check(enrolment, activity_id)
    form = MultiDict()
    for question in get_activity(enrolment.version_id, activity_id).data["questions"]:
        view = scoring.public_view(question, "es", shuffle=shuffle)
        if question["id"] not in (chosen or {}):
            _fill_right_answer(form, question, view, shuffle)
            continue
        for index, option in enumerate(scoring.shown_options(question, shuffle)):
            if option["id"] in chosen[question["id"]]:
                form.add(f"q-{question['id']}", view["options"][index]["id"])
    return form


def _fill_right_answer(form, question, view, shuffle):
    from app.learning import scoring

    name = f"q-{question['id']}"
    kind = question["type"]
    if kind in ("single", "multiple"):
        # The page names the options by their place (t0, t1…) in the order shown_options gives.
        for index, option in enumerate(scoring.shown_options(question, shuffle)):
            if option.get("correct"):
                form.add(name, view["options"][index]["id"])
    elif kind == "true_false":
        form[name] = "true" if question["answer"] else "false"
    elif kind == "ordering":
        texts = [o["text"]["es"] for o in question["options"]]
        for option in view["options"]:
            form[f"{name}-{option['id']}"] = str(texts.index(option["text"]) + 1)
    elif kind == "matching":
        tokens = {r["text"]: r["id"] for r in view["rights"]}
        for pair in question["pairs"]:
            form[f"{name}-{pair['id']}"] = tokens[pair["right"]["es"]]
