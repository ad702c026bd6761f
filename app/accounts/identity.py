"""Who is signed in, read with one plain query per request.

Every signed-in request needs the same few facts about its user: the id, name and language, whether
the account is active, whether it has a second factor and which roles it holds where. Loading the
account as an ORM object with its memberships cost more than the query itself (building the objects,
about 0.6 M instructions of a lesson page's 7.4 M), so `current_user` is a `SignedInUser` made of
those facts. The account's ORM row (`record`) is loaded only when a request changes the account or
walks one of its relationships, and then only once.

It reads like a `User` for everything a permission or a template asks (the same attribute names, the
same `memberships` with `role`, `status`, `organisation_id` and `organisation`), and refuses to stand
in for one where SQLAlchemy needs the row itself, so code that would write through it fails loudly in
the tests instead of silently writing nothing.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, select

from app.accounts.models import SignInRules, User
from app.core.database import read_connection
from app.extensions import db


@dataclass(frozen=True, slots=True)
class MembershipFacts:
    """A membership as permissions read it."""

    organisation_id: int
    organisation_kind: str
    role: str
    status: str

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def organisation(self):
        """The organisation itself, for the few pages that show it (from the session's identity map
        when it is already there)."""
        from app.organisations.models import Organisation

        return db.session.get(Organisation, self.organisation_id)


class SignedInUser(SignInRules):
    """The signed-in account's facts; `record` is the account itself."""

    __slots__ = (
        "_is_active",
        "_record",
        "display_name",
        "email",
        "id",
        "is_demo",
        "locale",
        "memberships",
        "session_token",
        "totp_enabled_at",
    )

    def __init__(
        self,
        *,
        id: int,
        email: str,
        display_name: str,
        locale: str,
        is_active: bool,
        is_demo: bool,
        totp_enabled_at: datetime | None,
        session_token: str,
        memberships: tuple[MembershipFacts, ...],
    ):
        facts = {
            "id": id,
            "email": email,
            "display_name": display_name,
            "locale": locale,
            "is_demo": is_demo,
            "totp_enabled_at": totp_enabled_at,
            "session_token": session_token,
            "memberships": memberships,
            "_is_active": is_active,
            "_record": None,
        }
        for name, value in facts.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value):
        # A change made here would be lost with the request: changes go to the row.
        raise AttributeError(f"the signed-in user's facts are read-only: set current_user.record.{name}")

    def __repr__(self):
        return f"<SignedInUser {self.id} {self.email!r}>"

    @property
    def is_active(self) -> bool:
        return self._is_active

    @property
    def record(self):
        """The account's ORM row, in this request's session: for changing the account, for passing it
        to a service that links other rows to it, and for anything the facts above do not hold."""
        if self._record is None or self._record not in db.session:
            object.__setattr__(self, "_record", db.session.get(User, self.id))
        return self._record

    def __getattr__(self, name: str):
        # Anything else a User has (created_at, last_login_at, recovery_codes…) is read from the row.
        # SQLAlchemy's own attributes are not: this object must never be mistaken for the row.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.record, name)


@cache
def _facts_by_session_token():
    """Built once (after every model is mapped): it runs on every signed-in request."""
    from app.organisations.models import Membership, Organisation

    users, memberships, organisations = User.__table__, Membership.__table__, Organisation.__table__
    return (
        select(
            users.c.id,
            users.c.email,
            users.c.display_name,
            users.c.locale,
            users.c.is_active,
            users.c.is_demo,
            users.c.totp_enabled_at,
            users.c.session_token,
            memberships.c.organisation_id,
            organisations.c.kind,
            memberships.c.role,
            memberships.c.status,
        )
        .select_from(users)
        .outerjoin(memberships, memberships.c.user_id == users.c.id)
        .outerjoin(organisations, organisations.c.id == memberships.c.organisation_id)
        .where(users.c.session_token == bindparam("token"))
        .order_by(memberships.c.id)
    )


def signed_in_user(session_token: str) -> SignedInUser | None:
    """The active account whose current session token this is, or None."""
    with read_connection() as connection:
        rows = connection.execute(_facts_by_session_token(), {"token": session_token}).all()
    if not rows or not rows[0].is_active:
        return None
    first = rows[0]
    return SignedInUser(
        id=first.id,
        email=first.email,
        display_name=first.display_name,
        locale=first.locale,
        is_active=first.is_active,
        is_demo=first.is_demo,
        totp_enabled_at=first.totp_enabled_at,
        session_token=first.session_token,
        memberships=tuple(
            MembershipFacts(row.organisation_id, row.kind, row.role, row.status)
            for row in rows
            if row.organisation_id is not None
        ),
    )
