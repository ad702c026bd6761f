"""Invitations: a role offered to a person, which grants nothing until they accept it; every step is audited."""

from flask import current_app
from flask_babel import gettext as _

from app.core import audit
from app.core.models import utcnow
from app.core.text import clean_line
from app.extensions import db
from app.organisations import queries
from app.organisations.models import Membership
from app.organisations.services import OrganisationError, check_role_fits


def invite(*, actor, user, organisation, role: str, email: str, name: str) -> Membership:
    """Offer *user* *role* in *organisation*, as an invited membership that grants nothing yet.

    *email* and *name* are what the inviter typed; they are kept to show the inviter, who must not
    see the account's own name. Inviting again renews the invitation (and reuses an ended membership),
    so the answer does not depend on anything the inviter cannot already see in the member list.
    """
    check_role_fits(organisation, role)
    membership = queries.find_membership(user, organisation, role)
    if membership is not None and membership.status == "active":
        raise OrganisationError(_("%(email)s already has this role here.", email=email))
    if membership is not None and membership.status == "pending":
        raise OrganisationError(
            _("%(email)s has asked for this role here: approve the request in the list of members.", email=email)
        )
    if membership is None:
        membership = Membership(user=user, organisation=organisation, role=role)
        db.session.add(membership)
    membership.status = "invited"
    membership.invited_email = email
    membership.invited_name = clean_line(name)
    membership.invitation_expires_at = utcnow() + current_app.config["INVITATION_MAX_AGE"]
    membership.granted_by = actor
    db.session.flush()
    audit.record(
        "membership.invited",
        actor=actor,
        target=user,
        organisation=organisation,
        details={"role": role, "email": email},
    )
    return membership


def accept(*, user, membership) -> Membership:
    """The invited person takes the role; an expired invitation cannot be accepted any more."""
    if not membership.invitation_is_open:
        raise OrganisationError(_("This invitation has expired. Ask whoever invited you to send a new one."))
    membership.status = "active"
    db.session.flush()
    audit.record(
        "membership.invitation_accepted",
        actor=user,
        target=user,
        organisation=membership.organisation,
        details={"role": membership.role},
    )
    return membership


def decline(*, user, membership):
    """The invited person says no (expired or not): the invitation ends."""
    membership.status = "ended"
    db.session.flush()
    audit.record(
        "membership.invitation_declined",
        actor=user,
        target=user,
        organisation=membership.organisation,
        details={"role": membership.role},
    )


def withdraw(*, actor, membership):
    """Staff take back an invitation not yet accepted."""
    membership.status = "ended"
    db.session.flush()
    audit.record(
        "membership.invitation_withdrawn",
        actor=actor,
        target=membership.user,
        organisation=membership.organisation,
        details={"role": membership.role, "email": membership.invited_email},
    )
