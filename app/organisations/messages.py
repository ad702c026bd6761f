"""Messages about roles, shared by the organisation pages and the SIP's account pages."""

from flask_babel import gettext as _

from app.organisations import roles


def role_granted(user, role: str, organisation) -> str:
    return _(
        "%(name)s is now %(role)s in %(organisation)s.",
        name=user.display_name,
        role=roles.ROLE_LABELS[role],
        organisation=organisation.name,
    )
