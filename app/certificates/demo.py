"""Demo certificates for the demo accounts, so verification can be tried at once: a citizen's (earned by
completing Citizen for Integrity) and a company's (issued by the demo SIP administrator)."""

from sqlalchemy import select

from app.accounts.demo import DEMO_COMPANY_RUC, DEMO_DOMAIN
from app.accounts.models import User
from app.catalog.models import Course
from app.certificates import services
from app.certificates.models import Certificate
from app.extensions import db
from app.learning.models import Enrolment
from app.organisations.models import Organisation


def create_demo_certificates() -> list[Certificate]:
    """Issue what is missing; returns the certificates issued now (none when there is no demo set)."""
    citizen = _demo_user("ciudadana")
    admin = _demo_user("sip-admin")
    issued = []
    citizen_course = _course("citizen-integrity")
    if citizen is not None and citizen_course is not None and not _holds(f"user:{citizen.id}"):
        enrolment = db.session.scalar(
            select(Enrolment).where(Enrolment.user_id == citizen.id, Enrolment.course_id == citizen_course.id)
        ) or Enrolment(user=citizen, course=citizen_course, version=citizen_course.current_version)
        enrolment.status = "completed"
        db.session.add(enrolment)
        db.session.flush()
        issued.append(services.issue_for_enrolment(enrolment))
    company = db.session.scalar(select(Organisation).where(Organisation.ruc == DEMO_COMPANY_RUC))
    business = _course("business-integrity")
    if admin is not None and company is not None and business is not None and not _holds(f"org:{company.id}"):
        issued.append(services.issue_by_admin(admin, business, organisation=company))
    return [certificate for certificate in issued if certificate is not None]


def _demo_user(local_part: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == f"{local_part}@{DEMO_DOMAIN}", User.is_demo.is_(True)))


def _course(slug: str) -> Course | None:
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    return course if course is not None and course.current_version is not None else None


def _holds(holder_key: str) -> bool:
    return db.session.scalar(select(Certificate.id).where(Certificate.holder_key == holder_key).limit(1)) is not None


def demo_certificates() -> list[Certificate]:
    """The demo set's certificates in force, the citizen's first: what `make run` offers to verify."""
    holders = []
    citizen = _demo_user("ciudadana")
    if citizen is not None:
        holders.append(f"user:{citizen.id}")
    company = db.session.scalar(select(Organisation).where(Organisation.ruc == DEMO_COMPANY_RUC))
    if company is not None:
        holders.append(f"org:{company.id}")
    found = []
    for holder_key in holders:
        certificate = db.session.scalar(
            select(Certificate)
            .where(
                Certificate.holder_key == holder_key,
                Certificate.revoked_at.is_(None),
                Certificate.superseded_by_id.is_(None),
            )
            .order_by(Certificate.id.desc())
            .limit(1)
        )
        if certificate is not None:
            found.append(certificate)
    return found
