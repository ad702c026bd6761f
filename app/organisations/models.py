"""Organisations form a tree (SIP → regional governments → entities); companies stand alone."""

from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import UTCDateTime, utcnow
from app.extensions import db
from app.organisations.roles import KINDS, ROLES

MEMBERSHIP_STATUSES = ("active", "pending", "ended")


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
        Index("ix_memberships_organisation_role", "organisation_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False)
    role: Mapped[str] = mapped_column(String(32), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="active")
    created_at: Mapped[Any] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user = relationship("User", back_populates="memberships", foreign_keys=[user_id])
    organisation = relationship("Organisation", back_populates="memberships")
    granted_by = relationship("User", foreign_keys=[granted_by_id])

    def __repr__(self):
        return f"<Membership user={self.user_id} org={self.organisation_id} {self.role} {self.status}>"

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def organisation_kind(self) -> str:
        """As the signed-in user's memberships (accounts.identity) carry it, so permissions read both alike."""
        return self.organisation.kind
