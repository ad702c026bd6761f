"""Inviting a person into an organisation by e-mail address: their account, if they need one, and the e-mail."""

import secrets

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.accounts import passwords, services, tokens
from app.core.mail import send_mail
from app.core.text import clean_line
from app.core.urls import public_url
from app.extensions import db
from app.organisations import invitations, roles


def invite_by_email(*, actor, organisation, role: str, email: str, display_name: str):
    """Invite whoever uses *email* to take *role* in *organisation*; returns the invited membership.

    The inviter must not learn whether the address has an account, so both cases do the same work and
    look the same to them: a password is hashed (the new account's, or one thrown away), the
    membership keeps the address and name they typed, and exactly one invitation e-mail goes out. A
    new account gets its password link in that same e-mail. Nothing is granted until the person
    accepts (accounts.invitation_views).
    """
    email = services.normalise_email(email)
    display_name = clean_line(display_name)
    password_hash = passwords.hash_password(secrets.token_urlsafe(32))
    user, is_new = _account_for(actor, email, display_name, password_hash)
    membership = invitations.invite(
        actor=actor, user=user, organisation=organisation, role=role, email=email, name=display_name
    )
    _send_invitation(membership, user, actor, new_account=is_new)
    return membership


def _account_for(actor, email, display_name, password_hash):
    """The account using *email*, made now if there is none; and whether it was made now."""
    user = services.find_user_by_email(email)
    if user is not None:
        return user, False
    try:
        with db.session.begin_nested():
            user = services.create_staff_account(
                actor=actor, email=email, display_name=display_name, password_hash=password_hash
            )
    except IntegrityError:
        # The address was registered or invited by someone else a moment ago.
        return services.find_user_by_email(email), False
    return user, True


def _send_invitation(membership, user, actor, *, new_account: bool):
    link = public_url("accounts.list_invitations")
    with force_locale(user.locale):
        values = {
            "name": user.display_name,
            "inviter": actor.display_name,
            "role": roles.ROLE_LABELS[membership.role],
            "organisation": membership.organisation.name,
            "link": link,
            "date": format_date(membership.invitation_expires_at, "long"),
        }
        subject = _("Invitation to %(organisation)s at the Academia de Integridad", **values)
        if new_account:
            values["password_link"] = public_url("accounts.reset_password", token=tokens.make_password_reset_token(user))
            body = _(
                "Hello %(name)s,\n\n%(inviter)s invites you to %(organisation)s at the Academia de Integridad, "
                "with the role %(role)s. An account has been made for you with this e-mail address.\n\n"
                "First choose your password with this link, within one hour (if it expires, use "
                '"Forgot your password?" on the sign-in page):\n\n%(password_link)s\n\n'
                "Then sign in and accept or decline the invitation here:\n\n%(link)s\n\n"
                "The invitation can be accepted until %(date)s. Until you accept it, it gives you no role. "
                "If you did not expect it, decline it or ignore this message.",
                **values,
            )
        else:
            body = _(
                "Hello %(name)s,\n\n%(inviter)s invites you to %(organisation)s at the Academia de Integridad, "
                "with the role %(role)s.\n\nSign in and accept or decline the invitation here:\n\n%(link)s\n\n"
                "The invitation can be accepted until %(date)s. Until you accept it, it gives you no role. "
                "If you did not expect it, decline it or ignore this message.",
                **values,
            )
        send_mail(user.email, subject, body)
