"""Who may do what with organisations, memberships, accounts, the audit log and the outbox.

This is the one place where these authorisation decisions are made; views call these functions
through core.guard, and templates call the same functions to decide which buttons to show.
"""

from app.organisations import roles


def is_sip_admin(user) -> bool:
    """SIP administrators hold the sip_admin role in the national body."""
    return _authenticated(user) and any(
        m.is_active and m.role == roles.SIP_ADMIN and m.organisation_kind == roles.NATIONAL for m in user.memberships
    )


def is_officer_of(user, organisation) -> bool:
    """An integrity officer acts only inside the organisation where they hold the role."""
    return _authenticated(user) and any(
        m.is_active and m.role == roles.INTEGRITY_OFFICER and m.organisation_id == organisation.id
        for m in user.memberships
    )


def can_open_admin(user) -> bool:
    return is_sip_admin(user) or any(
        m.is_active and m.role == roles.INTEGRITY_OFFICER for m in (user.memberships if _authenticated(user) else [])
    )


def can_manage_organisations(user) -> bool:
    """Creating and editing organisations is for the SIP alone."""
    return is_sip_admin(user)


def can_view_members(user, organisation) -> bool:
    return is_sip_admin(user) or is_officer_of(user, organisation)


def can_manage_members(user, organisation) -> bool:
    """SIP admins manage any organisation; officers manage their own, never a company."""
    if organisation.kind == roles.COMPANY:
        return is_sip_admin(user)
    return is_sip_admin(user) or is_officer_of(user, organisation)


def can_assign_role(user, organisation, role: str) -> bool:
    """SIP admins may assign any role that fits the organisation; officers only learner and trainer."""
    if role not in roles.ROLES_BY_KIND.get(organisation.kind, ()):
        return False
    if is_sip_admin(user):
        return True
    return is_officer_of(user, organisation) and role in roles.ROLES_AN_OFFICER_MAY_ASSIGN


def can_change_membership(user, membership) -> bool:
    """Officers may not touch memberships carrying roles they could not have granted.

    An invitation is not a membership yet: it can only be withdrawn (can_withdraw_invitation), never
    given another role, which would grant that role without the person's consent.
    """
    return not membership.is_invited and _may_handle(user, membership)


def can_withdraw_invitation(user, membership) -> bool:
    """Whoever could have sent an invitation may take it back while it is unanswered."""
    return membership.is_invited and _may_handle(user, membership)


def can_answer_invitation(user, membership) -> bool:
    """Only the person invited accepts or declines; to anyone else the invitation does not exist (404)."""
    return _authenticated(user) and membership.is_invited and membership.user_id == user.id


def can_manage_accounts(user) -> bool:
    """Disabling, enabling and listing every account is for SIP admins."""
    return is_sip_admin(user)


def can_view_audit_log(user) -> bool:
    return is_sip_admin(user)


def can_read_outbox(user) -> bool:
    """The outbox holds everyone's mail, with links that act for its recipients: SIP admins alone read it."""
    return is_sip_admin(user)


def _may_handle(user, membership) -> bool:
    if is_sip_admin(user):
        return True
    return is_officer_of(user, membership.organisation) and membership.role in roles.ROLES_AN_OFFICER_MAY_ASSIGN


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))
