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
