"""Accounts and roles."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin, utcnow
from .organisations import Organisation
from .types import enum_column


class Role(enum.Enum):
    LEADER = "leader"
    FREELANCER = "freelancer"
    PROGRAM_MANAGER = "program_manager"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"
    # Track records are re-read when an account closes; their freshness check counts closed
    # accounts on every ranking, which this keeps to an index read.
    __table_args__ = (
        Index(
            "ix_users_closed",
            "id",
            postgresql_where=text("is_active_account = false"),
            sqlite_where=text("is_active_account = 0"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    # Freelancers belong to no organisation; everyone else belongs to exactly one.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    # Changing it signs the user out everywhere: Flask-Login's id embeds it.
    session_token: Mapped[str] = mapped_column(String(64))
    last_login_at: Mapped[datetime | None]
    # The sign-in before the current one: "what's new" counts from it.
    previous_login_at: Mapped[datetime | None]
    is_active_account: Mapped[bool] = mapped_column(default=True)

    organisation: Mapped[Organisation | None] = relationship()

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role.value}>"


class PendingSignUp(Base):
    """A sign-up waiting for its address to be confirmed: what was typed, the password already
    hashed, and the hash of the link's token (never the token). It becomes an account when the
    link is used, and is deleted then or once it has expired; it never signs anyone in."""

    __tablename__ = "pending_sign_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Not unique: signing up twice before confirming sends two links; the first one used wins.
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    organisation_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
