"""Factories: keyword overrides in, committed objects out (commits are savepoints in tests)."""

import itertools
from types import SimpleNamespace

import pyotp
from argon2 import PasswordHasher
from sqlalchemy import select

from app.accounts.models import User
from app.core.models import utcnow
from app.extensions import db
from app.organisations import roles
from app.organisations.models import Membership, Organisation
from tests.settings import TEST_CONFIG

DEFAULT_PASSWORD = "una frase larga y segura"
_counter = itertools.count(1)
# The same cheap parameters as TEST_CONFIG, so factories need no application context.
_hasher = PasswordHasher(
    time_cost=TEST_CONFIG["ARGON2_TIME_COST"], memory_cost=TEST_CONFIG["ARGON2_MEMORY_COST_KIB"], parallelism=1
)
_default_hash = _hasher.hash(DEFAULT_PASSWORD)


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
        user.totp_secret = pyotp.random_base32()
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


def totp_code(user, *, offset_steps=0):
    import time

    return pyotp.TOTP(user.totp_secret).at(int(time.time()) + 30 * offset_steps)
