"""A clearly marked demonstration set: one account per role, for trying the platform out."""

import os
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from app.accounts import passwords
from app.accounts.models import User
from app.core.models import utcnow
from app.extensions import db
from app.organisations import queries, roles, services
from app.organisations.models import Organisation

DEMO_DOMAIN = "demo.academia.example"
DEMO_ENTITY_CODE = "DEMO-GORE-06-DIRESA"
DEMO_COMPANY_RUC = "20512333797"  # valid check digit, belongs to no real company we know of

# (role, organisation key, e-mail local part, display name)
DEMO_ACCOUNTS = (
    (roles.SIP_ADMIN, "sip", "sip-admin", "Demo · Administradora SIP"),
    (roles.ADVISOR, "sip", "asesor", "Demo · Asesor SIP"),
    (roles.GOVERNOR, "gore", "gobernador", "Demo · Gobernador Regional de Cajamarca"),
    (roles.INTEGRITY_OFFICER, "entity", "oficial-integridad", "Demo · Oficial de Integridad"),
    (roles.TRAINER, "entity", "formador", "Demo · Formadora"),
    (roles.LEARNER, "entity", "servidor", "Demo · Servidor Público"),
    (roles.BUSINESS_REP, "company", "empresa", "Demo · Representante de Empresa"),
    (None, None, "ciudadana", "Demo · Ciudadana"),
)


def database_has_accounts() -> bool:
    return db.session.execute(select(func.count(User.id))).scalar_one() > 0


def create_demo_set() -> list[tuple[str, str, str]]:
    """Create the demo organisations and accounts; returns (role, e-mail, password) to print once."""
    sip = queries.get_sip()
    gore = db.session.execute(select(Organisation).where(Organisation.code == "GORE-06")).scalar_one()
    entity = Organisation(
        code=DEMO_ENTITY_CODE,
        kind=roles.ENTITY,
        parent=gore,
        is_demo=True,
        name="Dirección Regional de Salud de Cajamarca (DEMO)",
        short_name="DIRESA Cajamarca (DEMO)",
    )
    company = Organisation(
        code=f"RUC-{DEMO_COMPANY_RUC}",
        kind=roles.COMPANY,
        ruc=DEMO_COMPANY_RUC,
        is_demo=True,
        name="Constructora Andina de Ejemplo S.A.C. (DEMO)",
    )
    db.session.add_all([entity, company])
    db.session.flush()
    places = {"sip": sip, "gore": gore, "entity": entity, "company": company}
    credentials = []
    for role, place, local_part, name in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(12)
        user = User(
            email=f"{local_part}@{DEMO_DOMAIN}",
            display_name=name,
            is_demo=True,
            password_hash=passwords.hash_password(password),
            email_verified_at=utcnow(),
        )
        db.session.add(user)
        db.session.flush()
        if role:
            services.grant_role(actor=None, user=user, organisation=places[place], role=role)
        credentials.append((role or "citizen", user.email, password))
    return credentials


def credentials_file() -> Path:
    """The demo passwords, kept on this machine only (mode 600) so that every `make run` can show them again:
    they open made-up accounts on a development copy, and the database keeps only their hashes."""
    configured = current_app.config.get("DEMO_ACCOUNTS_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / "demo-accounts.tsv"


def save_credentials(credentials: list[tuple[str, str, str]]) -> Path:
    path = credentials_file()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.writelines("\t".join(row) + "\n" for row in credentials)
    return path


def saved_credentials() -> list[tuple[str, str, str]]:
    """The (role, e-mail, password) rows of the demo set made on this machine, or none."""
    path = credentials_file()
    if not path.exists():
        return []
    rows = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return [(role, email, password) for role, email, password in rows]
