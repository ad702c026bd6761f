"""A generated dataset the size of a regional pilot: organisations, accounts, memberships, audit events."""

import random

from sqlalchemy import insert

from app.accounts import passwords
from app.accounts.models import User, new_session_token
from app.core.audit import AuditEvent
from app.core.models import utcnow
from app.extensions import db
from app.organisations import roles
from app.organisations.models import Membership, Organisation
from app.organisations.services import load_reference_data

BENCH_PASSWORD = "frase de prueba para el benchmark"  # noqa: S105 - generated data


def build(*, users: int = 5000, entities_per_region: int = 8, events: int = 20000, seed: int = 7) -> str:
    """Fill the current database; returns the e-mail of an account that can sign in."""
    rng = random.Random(seed)
    load_reference_data()
    regions = (
        db.session.execute(db.select(Organisation).where(Organisation.kind == roles.REGIONAL_GOVERNMENT))
        .scalars()
        .all()
    )
    entities = []
    for region in regions:
        for number in range(entities_per_region):
            entities.append(
                Organisation(
                    code=f"{region.code}-E{number:02d}",
                    kind=roles.ENTITY,
                    parent=region,
                    name=f"Entidad {number} de {region.short_name}",
                )
            )
    db.session.add_all(entities)
    db.session.flush()
    password_hash = passwords.hash_password(BENCH_PASSWORD)
    now = utcnow()
    db.session.execute(
        insert(User),
        [
            {
                "email": f"servidor{n}@bench.example.pe",
                "display_name": f"Servidor Público {n}",
                "locale": "es",
                "password_hash": password_hash,
                "is_active": True,
                "is_demo": False,
                "created_at": now,
                "email_verified_at": now,
                "password_changed_at": now,
                "session_token": new_session_token(),
            }
            for n in range(users)
        ],
    )
    user_ids = db.session.execute(db.select(User.id)).scalars().all()
    db.session.execute(
        insert(Membership),
        [
            {
                "user_id": user_id,
                "organisation_id": rng.choice(entities).id,
                "role": roles.LEARNER,
                "status": "active",
                "created_at": now,
            }
            for user_id in user_ids
        ],
    )
    db.session.execute(
        insert(AuditEvent),
        [
            {
                "created_at": now,
                "actor_id": rng.choice(user_ids),
                "action": "login.success",
                "outcome": "success",
                "ip": "127.0.0.1",
                "details": {},
            }
            for _ in range(events)
        ],
    )
    db.session.commit()
    return "servidor1@bench.example.pe"


def build_learning(*, learners: int, seed: int = 11) -> list[dict]:
    """Sync Citizen for Integrity and give *learners* accounts an enrolment ready for the final assessment,
    each with an open attempt; returns what the load generator needs to act as each of them. A course
    that awards a certificate, so a passing submission pays for issuing one, as a real one does."""
    from pathlib import Path

    from app.catalog import content
    from app.catalog import services as catalog_services
    from app.catalog.queries import list_lesson_outline
    from app.learning.models import ActivityCompletion, AssessmentAttempt, Enrolment, LessonCompletion
    from app.learning.queries import progress
    from app.learning.services.assessment import draw_questions

    rng = random.Random(seed)
    courses = Path(__file__).resolve().parents[1] / "courses"
    version, _ = catalog_services.sync_package(content.load_package(courses / "citizen-integrity"))
    users = db.session.execute(db.select(User).order_by(User.id).limit(learners)).scalars().all()
    now = utcnow()
    db.session.execute(
        insert(Enrolment),
        [
            {
                "user_id": u.id,
                "course_id": version.course_id,
                "version_id": version.id,
                "cycle": 1,
                "status": "active",
                "enrolled_at": now,
            }
            for u in users
        ],
    )
    enrolments = (
        db.session.execute(db.select(Enrolment).where(Enrolment.version_id == version.id).order_by(Enrolment.id))
        .scalars()
        .all()
    )
    template = progress(enrolments[0])
    lesson_keys = [row.key for row in list_lesson_outline(version.id)]
    activities = [
        (i.ref, i.activity_kind) for m in template.modules for i in m.items if i.kind == "activity" and i.is_required
    ]
    db.session.execute(
        insert(LessonCompletion),
        [{"enrolment_id": e.id, "lesson_key": key, "completed_at": now} for e in enrolments for key in lesson_keys],
    )
    db.session.execute(
        insert(ActivityCompletion),
        [
            {
                "enrolment_id": e.id,
                "activity_id": ref,
                "kind": kind,
                "response": {},
                "completed_at": now,
                "updated_at": now,
            }
            for e in enrolments
            for ref, kind in activities
        ],
    )
    db.session.execute(
        insert(AssessmentAttempt),
        [
            {
                "enrolment_id": e.id,
                "version_id": version.id,
                "number": 1,
                "status": "open",
                "started_at": now,
                "question_ids": draw_questions(version, rng),
            }
            for e in enrolments
        ],
    )
    db.session.commit()
    first_lesson = lesson_keys[0]
    return [
        {"session_token": u.session_token, "enrolment_id": e.id, "lesson": first_lesson}
        for u, e in zip(users, enrolments, strict=True)
    ]
