"""The User and the one-time recovery codes of their second factor."""

import secrets
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import UTCDateTime, utcnow
from app.extensions import db

LOCALES = ("es", "en")


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class SignInRules:
    """What Flask-Login and the second-factor rule ask of a signed-in account, answered alike by the row
    (User) and by the facts a request reads (accounts.identity.SignedInUser); each has its own is_active."""

    is_authenticated = True
    is_anonymous = False

    # Flask-Login stores the session token, so rotating it ends every session at once.
    def get_id(self):
        return self.session_token

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def active_roles(self) -> set[str]:
        return {m.role for m in self.memberships if m.is_active}


class User(SignInRules, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint(f"locale IN {LOCALES!r}", name="locale_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(120), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    locale: Mapped[str] = mapped_column(String(5), nullable=False, default="es")
    is_active_account: Mapped[bool] = mapped_column("is_active", Boolean, nullable=False, default=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[Any] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    email_verified_at: Mapped[Any | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[Any | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[Any] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    # Rotated on logout, password change and disabling: every cookie carrying the old one stops working.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, nullable=False, default=new_session_token)
    # A Fernet token (accounts.totp_keys), never the plain secret: about 140 characters for pyotp's 32.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_enabled_at: Mapped[Any | None] = mapped_column(UTCDateTime())
    # The last accepted TOTP time step, so one code cannot be replayed within its window.
    totp_last_step: Mapped[int | None] = mapped_column()

    memberships = relationship(
        "Membership", back_populates="user", cascade="all, delete-orphan", foreign_keys="Membership.user_id"
    )
    recovery_codes = relationship("RecoveryCode", back_populates="user", cascade="all, delete-orphan")

    def __repr__(self):
        return f"<User {self.id} {self.email!r}>"

    # Flask-Login reads this one.
    @property
    def is_active(self):
        return self.is_active_account

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def record(self) -> "User":
        """The row itself: `current_user.record` is the row whether current_user is the signed-in facts
        (accounts.identity) or, just after login_user, the row."""
        return self


class RecoveryCode(db.Model):
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    code_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    used_at: Mapped[Any | None] = mapped_column(UTCDateTime())

    user = relationship("User", back_populates="recovery_codes")

    def __repr__(self):
        return f"<RecoveryCode {self.id} user={self.user_id} used={self.used_at is not None}>"
