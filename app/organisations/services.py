"""State changes for organisations and memberships; every one is audited."""

from flask_babel import gettext as _
from sqlalchemy import select

from app.core import audit
from app.core.text import clean_line
from app.extensions import db
from app.organisations import queries, reference, roles
from app.organisations.models import Membership, Organisation


class OrganisationError(Exception):
    """A refusal whose message is shown to the user as it is."""


def load_reference_data() -> int:
    """Create or update the SIP, the 25 regional governments and Lima Metropolitana; returns how many changed."""
    changed = 0
    sip, created = _upsert(
        code=reference.SIP["code"],
        kind=roles.NATIONAL,
        name=reference.SIP["name"],
        short_name=reference.SIP["short_name"],
        parent=None,
    )
    changed += created
    for region in reference.REGIONS:
        _, created = _upsert(
            code=reference.regional_government_code(region),
            kind=roles.REGIONAL_GOVERNMENT,
            name=reference.regional_government_name(region),
            short_name=region.name,
            parent=sip,
            inei_code=region.inei,
            reniec_code=region.reniec,
            iso_code=region.iso,
            capital=region.capital,
        )
        changed += created
    lima = reference.LIMA_METROPOLITANA
    _, created = _upsert(
        code="MML",
        kind=roles.REGIONAL_GOVERNMENT,
        name=lima.name,
        short_name="Lima Metropolitana",
        parent=sip,
        inei_code=lima.inei,
        reniec_code=lima.reniec,
        iso_code=lima.iso,
        capital=lima.capital,
    )
    changed += created
    db.session.flush()
    return changed


def create_organisation(*, actor, code: str, kind: str, name: str, parent=None, short_name=None, ruc=None):
    """Create an entity or a company; codes and RUCs are unique, entities hang under a regional government."""
    code = clean_line(code).upper()
    if kind not in (roles.ENTITY, roles.COMPANY):
        raise OrganisationError(_("Only public entities and companies can be created here."))
    if kind == roles.ENTITY and (parent is None or parent.kind not in (roles.REGIONAL_GOVERNMENT, roles.NATIONAL)):
        raise OrganisationError(_("A public entity must belong to a regional government or to the SIP."))
    if kind == roles.COMPANY:
        parent = None
        if not ruc:
            raise OrganisationError(_("A company needs its RUC."))
    if db.session.execute(select(Organisation.id).where(Organisation.code == code)).first():
        raise OrganisationError(_("Another organisation already uses the code %(code)s.", code=code))
    if ruc and queries.get_by_ruc(ruc):
        raise OrganisationError(_("Another organisation already uses the RUC %(ruc)s.", ruc=ruc))
    organisation = Organisation(
        code=code,
        kind=kind,
        name=clean_line(name),
        parent=parent,
        short_name=clean_line(short_name) or None,
        ruc=ruc or None,
    )
    db.session.add(organisation)
    db.session.flush()
    audit.record(
        "organisation.created",
        actor=actor,
        target=organisation,
        organisation=organisation,
        details={"kind": kind, "parent": parent.code if parent else None},
    )
    return organisation


def update_organisation(*, actor, organisation, name: str, short_name: str | None, is_active: bool):
    before = {"name": organisation.name, "short_name": organisation.short_name, "is_active": organisation.is_active}
    organisation.name = clean_line(name)
    organisation.short_name = clean_line(short_name) or None
    organisation.is_active = is_active
    after = {"name": organisation.name, "short_name": organisation.short_name, "is_active": organisation.is_active}
    db.session.flush()
    if before != after:
        audit.record(
            "organisation.updated",
            actor=actor,
            target=organisation,
            organisation=organisation,
            details={"before": before, "after": after},
        )
    return organisation


def grant_role(*, actor, user, organisation, role: str) -> Membership:
    """Give *user* *role* in *organisation* at once, reactivating an ended membership rather than duplicating it.

    Only where the person need not be asked: a new role for someone who is already a member
    (change_role), the accounts that the demo set and `flask users create-admin` make for themselves,
    and SIP administrators, who manage every account. Staff adding a person by e-mail address invite
    them instead (organisations.invitations), and the role starts only when the person accepts.
    """
    check_role_fits(organisation, role)
    membership = queries.find_membership(user, organisation, role)
    if membership is not None and membership.is_active:
        raise OrganisationError(_("%(name)s already has this role here.", name=user.display_name))
    if membership is None:
        membership = Membership(user=user, organisation=organisation, role=role, granted_by=actor)
        db.session.add(membership)
    membership.status = "active"
    membership.granted_by = actor
    db.session.flush()
    audit.record("membership.role_granted", actor=actor, target=user, organisation=organisation, details={"role": role})
    return membership


def check_role_fits(organisation, role: str):
    """Refuse a role that this kind of organisation does not have (a governor of a company)."""
    if role not in roles.ROLES_BY_KIND.get(organisation.kind, ()):
        raise OrganisationError(
            _("The role %(role)s does not exist in this kind of organisation.", role=roles.ROLE_LABELS.get(role, role))
        )


def change_role(*, actor, membership, role: str) -> Membership:
    """Replace a membership's role; the old role ends and the new one starts, both audited."""
    if role == membership.role:
        return membership
    new = grant_role(actor=actor, user=membership.user, organisation=membership.organisation, role=role)
    end_membership(actor=actor, membership=membership)
    return new


def end_membership(*, actor, membership):
    if getattr(actor, "id", None) == membership.user_id and membership.role == roles.SIP_ADMIN:
        raise OrganisationError(_("You cannot remove your own administrator role."))
    membership.status = "ended"
    db.session.flush()
    audit.record(
        "membership.role_revoked",
        actor=actor,
        target=membership.user,
        organisation=membership.organisation,
        details={"role": membership.role},
    )


def join_company(user, *, name: str, ruc: str) -> Membership:
    """A business representative's registration: a new company is created; joining a known one waits for approval."""
    company = queries.get_by_ruc(ruc)
    if company is None:
        company = Organisation(code=f"RUC-{ruc}", kind=roles.COMPANY, name=clean_line(name), ruc=ruc)
        db.session.add(company)
        db.session.flush()
        audit.record(
            "organisation.created",
            actor=user,
            target=company,
            organisation=company,
            details={"kind": roles.COMPANY, "via": "registration"},
        )
        status = "active"
    else:
        # Anyone can type a RUC; only an existing representative or the SIP can vouch for a newcomer.
        status = "pending"
    membership = Membership(user=user, organisation=company, role=roles.BUSINESS_REP, status=status)
    db.session.add(membership)
    db.session.flush()
    audit.record(
        "membership.requested" if status == "pending" else "membership.role_granted",
        actor=user,
        target=user,
        organisation=company,
        details={"role": roles.BUSINESS_REP},
    )
    return membership


def approve_membership(*, actor, membership):
    membership.status = "active"
    membership.granted_by = actor
    db.session.flush()
    audit.record(
        "membership.role_granted",
        actor=actor,
        target=membership.user,
        organisation=membership.organisation,
        details={"role": membership.role, "approved": True},
    )


def _upsert(*, code, parent, **values):
    organisation = db.session.execute(select(Organisation).where(Organisation.code == code)).scalar_one_or_none()
    created = organisation is None
    if created:
        organisation = Organisation(code=code)
        db.session.add(organisation)
    organisation.parent = parent
    for name, value in values.items():
        setattr(organisation, name, value)
    return organisation, int(created)
