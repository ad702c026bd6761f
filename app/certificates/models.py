"""Certificates, their stored PDFs and the background jobs that regenerate them."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.models import UTCDateTime, utcnow
from app.extensions import db

# One certificate type per programme; the type decides the layout and the achievement it describes.
TYPES = ("induction", "trainer", "governor", "citizen", "business")
JOB_STATUSES = ("queued", "running", "finished", "failed")
# Bits per Bitstring Status List credential (16 KiB, the minimum the specification asks for privacy).
STATUS_LIST_LENGTH = 131072


def status_at(certificate, now: datetime) -> str:
    """Valid, expired, revoked or superseded: for a Certificate, or the public facts read of one."""
    if certificate.superseded_by_id is not None:
        return "superseded"
    if certificate.revoked_at is not None:
        return "revoked"
    if certificate.valid_until is not None and certificate.valid_until <= now:
        return "expired"
    return "valid"


class Certificate(db.Model):
    """One issued certificate. Never deleted: revocation and supersession are states, so a serial
    once printed always answers."""

    __tablename__ = "certificates"
    __table_args__ = (
        # Exactly one certificate per holder, course, cycle and generation: two completions racing
        # meet here. A name correction is the next generation.
        UniqueConstraint(
            "holder_key", "course_id", "cycle", "generation", name="uq_certificates_holder_course_cycle_generation"
        ),
        CheckConstraint(f"type IN {TYPES!r}", name="type_known"),
        CheckConstraint("language IN ('es', 'en')", name="language_known"),
        CheckConstraint("generation >= 1 AND cycle >= 1", name="counters_positive"),
        CheckConstraint("user_id IS NOT NULL OR organisation_id IS NOT NULL", name="has_holder"),
        CheckConstraint("valid_until IS NULL OR valid_until > valid_from", name="validity_ordered"),
        CheckConstraint("(revoked_at IS NULL) = (revocation_reason IS NULL)", name="revocation_has_reason"),
        Index("ix_certificates_type_issued", "type", "issued_at"),
        # The task worker looks for certificates still to sign (certificates.tasks): only those are indexed.
        Index(
            "ix_certificates_unsigned",
            "id",
            sqlite_where=text("credential = ''"),
            postgresql_where=text("credential = ''"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    type: Mapped[str] = mapped_column(String(16), nullable=False)
    # "user:<id>" for a person, "org:<id>" for a company: one uniqueness rule for both kinds of holder.
    holder_key: Mapped[str] = mapped_column(String(40), nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="RESTRICT"), nullable=False)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id", ondelete="RESTRICT"), nullable=False)
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolments.id", ondelete="SET NULL"))
    cycle: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    generation: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    # The name exactly as entered when issued (a person's or a company's).
    holder_name: Mapped[str] = mapped_column(String(200), nullable=False)
    # The company's RUC, for a company certificate.
    holder_ruc: Mapped[str | None] = mapped_column(String(11))
    language: Mapped[str] = mapped_column(String(2), nullable=False)
    hours: Mapped[float] = mapped_column(Float, nullable=False)
    # Cohort completions also name the trainer and the entity that ran the cohort.
    trainer_name: Mapped[str | None] = mapped_column(String(200))
    entity_name: Mapped[str | None] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revocation_reason: Mapped[str | None] = mapped_column(String(500))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id", ondelete="RESTRICT"))
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The signed Open Badges 3.0 credential, stored as issued (JSON text, signed bytes matter). Empty
    # from the issuing transaction until it is signed, right after it commits (certificates.finishing).
    credential: Mapped[str] = mapped_column(Text, nullable=False)
    key_id: Mapped[str] = mapped_column(String(80), nullable=False)
    # Salt of the hashed identity in the credential, so the holder can prove it is theirs.
    identity_salt: Mapped[str] = mapped_column(String(64), nullable=False)

    user = relationship(User, foreign_keys=[user_id])
    organisation = relationship("Organisation")
    course = relationship("Course")
    version = relationship("CourseVersion")
    enrolment = relationship("Enrolment")
    superseded_by = relationship("Certificate", remote_side=[id])
    documents = relationship("CertificateDocument", back_populates="certificate", cascade="all, delete-orphan")

    def __repr__(self):
        return f"<Certificate {self.serial} {self.type} holder={self.holder_key}>"

    @property
    def status_list(self) -> int:
        """Which status list carries this certificate's revocation bit (ids are never reused)."""
        return (self.id - 1) // STATUS_LIST_LENGTH

    @property
    def status_index(self) -> int:
        return (self.id - 1) % STATUS_LIST_LENGTH

    def status(self, now: datetime) -> str:
        return status_at(self, now)

    @property
    def is_signed(self) -> bool:
        return bool(self.credential)

    @property
    def superseded_by_serial(self) -> str | None:
        return self.superseded_by.serial if self.superseded_by_id is not None else None


class CertificateDocument(db.Model):
    """A certificate's PDF in one language, made once and re-served; a template change regenerates it."""

    __tablename__ = "certificate_documents"
    __table_args__ = (
        UniqueConstraint("certificate_id", "language", name="uq_certificate_documents_certificate_language"),
        CheckConstraint("language IN ('es', 'en')", name="language_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id", ondelete="CASCADE"), nullable=False)
    language: Mapped[str] = mapped_column(String(2), nullable=False)
    pdf: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    template_version: Mapped[int] = mapped_column(Integer, nullable=False)
    rendered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    certificate = relationship("Certificate", back_populates="documents")


class IssuedFile(db.Model):
    """The fingerprint of every PDF ever handed out, so an uploaded PDF is recognised byte for byte
    even after its template was regenerated, and an edited one is caught."""

    __tablename__ = "certificate_issued_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("certificates.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class RegenerationJob(db.Model):
    """A programme's PDFs redrawn after a template change, in the background, with visible progress."""

    __tablename__ = "certificate_jobs"
    __table_args__ = (
        CheckConstraint(f"status IN {JOB_STATUSES!r}", name="status_known"),
        CheckConstraint(f"type IN {TYPES!r}", name="type_known"),
        CheckConstraint("done >= 0 AND total >= 0", name="counts_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(16), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="queued")
    total: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    done: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    error: Mapped[str | None] = mapped_column(String(500))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[Any] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    started_at: Mapped[Any | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[Any | None] = mapped_column(UTCDateTime())

    requested_by = relationship(User)

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.done / self.total))
