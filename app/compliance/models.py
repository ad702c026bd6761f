"""Officials as the HR rosters know them, and their posts: the records the induction's due dates and cycles follow."""

from datetime import date
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import UTCDateTime, utcnow
from app.extensions import db

# Contract regimes of Peru's public service: CAS (D.Leg. 1057), D.Leg. 276, D.Leg. 728, the civil service
# law (Ley 30057), and any other.
REGIMES = ("cas", "dleg_276", "dleg_728", "ley_30057", "other")


class Official(db.Model):
    """One public official, whatever entity they work for: keyed by DNI, so that a move from one entity to
    another keeps their history and their valid certificate. Linked to an account once they have one."""

    __tablename__ = "compliance_officials"
    __table_args__ = (CheckConstraint("length(dni) = 8", name="dni_has_eight_digits"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dni: Mapped[str] = mapped_column(String(8), unique=True, nullable=False)
    given_names: Mapped[str] = mapped_column(String(200), nullable=False)
    surnames: Mapped[str] = mapped_column(String(200), nullable=False)
    email: Mapped[str] = mapped_column(String(320), nullable=False, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[Any] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[Any] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    appointments = relationship("Appointment", back_populates="official")

    def __repr__(self):
        return f"<Official {self.id}>"  # never the DNI: reprs reach logs


class Appointment(db.Model):
    """An official's post at an organisation, as its roster last said. A leaver keeps the row, with an end date."""

    __tablename__ = "compliance_appointments"
    __table_args__ = (
        UniqueConstraint("official_id", "organisation_id", name="uq_compliance_appointments_official_organisation"),
        CheckConstraint(f"regime IN {REGIMES!r}", name="regime_known"),
        CheckConstraint("end_date IS NULL OR end_date >= hire_date", name="ends_after_it_starts"),
        Index("ix_compliance_appointments_organisation_unit", "organisation_id", "unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("compliance_officials.id", ondelete="RESTRICT"), nullable=False)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), nullable=False)
    unit: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    position: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    regime: Mapped[str] = mapped_column(String(16), nullable=False)
    hire_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[Any] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[Any] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    official = relationship("Official", back_populates="appointments")

    def __repr__(self):
        return f"<Appointment official={self.official_id} organisation={self.organisation_id}>"
