"""Who is signed in: the account's facts and its memberships, read with one query per request.

Every signed-in request needs the same few facts about its user: the id, name and language, whether
the account is active, whether it has a second factor and which roles it holds where. `current_user`
is a `SignedInUser` made of those facts, read-only. The account's ORM row is `current_user.record`,
for a request that changes the account or links other rows to it.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, select

from app.accounts.models import SignInRules, User
from app.core.database import read_connection
from app.extensions import db
from app.organisations.models import Membership, Organisation


@dataclass(frozen=True, slots=True)
class OrganisationFacts:
    """An organisation as the signed-in user's pages show it."""

    id: int
    code: str
    kind: str
    name: str
    short_name: str | None


@dataclass(frozen=True, slots=True)
class MembershipFacts:
    """A membership as permissions read it (the same names as organisations.models.Membership)."""

    organisation: OrganisationFacts
    role: str
    status: str

    @property
    def organisation_id(self) -> int:
        return self.organisation.id

    @property
    def organisation_kind(self) -> str:
        return self.organisation.kind

    @property
    def is_active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class SignedInUser(SignInRules):
    """The signed-in account's facts; `record` is the account itself."""

    id: int
    email: str
    display_name: str
    locale: str
    is_active: bool
    is_demo: bool
    totp_enabled_at: datetime | None
    last_login_at: datetime | None
    session_token: str
    memberships: tuple[MembershipFacts, ...]

    def __repr__(self):
        return f"<SignedInUser {self.id} {self.email!r}>"

    @property
    def record(self) -> User:
        """The account's ORM row, in this request's session (loaded once, then from its identity map)."""
        return db.session.get(User, self.id)


@cache
def _facts_by_session_token():
    """Built once: it runs on every signed-in request."""
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
            users.c.last_login_at,
            users.c.session_token,
            organisations.c.id.label("organisation_id"),
            organisations.c.code,
            organisations.c.kind,
            organisations.c.name,
            organisations.c.short_name,
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
        last_login_at=first.last_login_at,
        session_token=first.session_token,
        memberships=tuple(
            MembershipFacts(
                OrganisationFacts(row.organisation_id, row.code, row.kind, row.name, row.short_name),
                row.role,
                row.status,
            )
            for row in rows
            if row.organisation_id is not None
        ),
    )
