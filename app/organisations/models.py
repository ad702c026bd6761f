"""Organisations form a tree (SIP → regional governments → entities); companies stand alone."""

from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import UTCDateTime, utcnow
from app.extensions import db
from app.organisations.roles import KINDS, ROLES

# pending: the person asked to join (a company's new representative) and waits for approval;
# invited: staff offered the role and the person has not yet accepted it. Only active grants anything.
MEMBERSHIP_STATUSES = ("active", "pending", "invited", "ended")


class Organisation(db.Model):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(f"kind IN {KINDS!r}", name="kind_known"),
        CheckConstraint("kind != 'company' OR ruc IS NOT NULL", name="company_has_ruc"),
        CheckConstraint("parent_id IS NULL OR parent_id != id", name="not_own_parent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable code: "SIP", "GORE-01" (INEI department code), "MML", "RUC-20…", or one an admin chooses.
    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    short_name: Mapped[str | None] = mapped_column(String(80))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    inei_code: Mapped[str | None] = mapped_column(String(6), unique=True)
    reniec_code: Mapped[str | None] = mapped_column(String(6))
    iso_code: Mapped[str | None] = mapped_column(String(8))
    capital: Mapped[str | None] = mapped_column(String(80))
    ruc: Mapped[str | None] = mapped_column(String(11), unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[Any] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    parent = relationship("Organisation", remote_side=[id], back_populates="children")
    children = relationship("Organisation", back_populates="parent", order_by="Organisation.name")
    memberships = relationship("Membership", back_populates="organisation", cascade="all, delete-orphan")

    def __repr__(self):
        return f"<Organisation {self.code} {self.kind}>"


class Membership(db.Model):
    """A person's role in an organisation; one row per (person, organisation, role)."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "organisation_id", "role", name="uq_memberships_user_org_role"),
        CheckConstraint(f"role IN {ROLES!r}", name="role_known"),
        CheckConstraint(f"status IN {MEMBERSHIP_STATUSES!r}", name="status_known"),
        CheckConstraint(
            "status != 'invited' OR (invited_email IS NOT NULL AND invited_name IS NOT NULL "
            "AND invitation_expires_at IS NOT NULL)",
            name="invitation_complete",
        ),
        Index("ix_memberships_organisation_role", "organisation_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False)
    role: Mapped[str] = mapped_column(String(32), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="active")
    created_at: Mapped[Any] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The address and name as whoever invited the person typed them. The member list shows these until
    # the invitation is accepted, never the account's own name, which would tell the inviter that the
    # address already had an account.
    invited_email: Mapped[str | None] = mapped_column(String(320))
    invited_name: Mapped[str | None] = mapped_column(String(120))
    invitation_expires_at: Mapped[Any | None] = mapped_column(UTCDateTime())

    user = relationship("User", back_populates="memberships", foreign_keys=[user_id])
    organisation = relationship("Organisation", back_populates="memberships")
    granted_by = relationship("User", foreign_keys=[granted_by_id])

    def __repr__(self):
        return f"<Membership user={self.user_id} org={self.organisation_id} {self.role} {self.status}>"

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def is_invited(self) -> bool:
        return self.status == "invited"

    @property
    def invitation_is_open(self) -> bool:
        """An invitation that can still be accepted: neither answered, withdrawn nor expired."""
        return self.is_invited and self.invitation_expires_at > utcnow()

    @property
    def organisation_kind(self) -> str:
        """As the signed-in user's memberships (accounts.identity) carry it, so permissions read both alike."""
        return self.organisation.kind
