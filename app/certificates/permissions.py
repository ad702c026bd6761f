"""Who may see and manage certificates: the one place these decisions are made."""

from app.organisations import roles
from app.organisations.permissions import is_sip_admin


def can_view_certificate(user, certificate) -> bool:
    """The holder, a representative of the holding company, or a SIP administrator."""
    if not (user and user.is_authenticated):
        return False
    if certificate.user_id is not None and certificate.user_id == user.id:
        return True
    if certificate.organisation_id is not None and any(
        m.is_active and m.role == roles.BUSINESS_REP and m.organisation_id == certificate.organisation_id
        for m in user.memberships
    ):
        return True
    return is_sip_admin(user)


def can_manage_certificates(user) -> bool:
    """Revoking, correcting names, issuing by hand and regenerating PDFs are for the SIP alone."""
    return is_sip_admin(user)
