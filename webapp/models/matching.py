"""Shortlists, expressions of interest and invitations between needs and freelancers."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin, utcnow
from .needs import Need
from .profiles import FreelancerProfile
from .types import enum_column
from .users import User


class ShortlistEntry(Base):
    __tablename__ = "shortlist_entries"
    __table_args__ = (UniqueConstraint("need_id", "profile_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("freelancer_profiles.id"), index=True)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    need: Mapped[Need] = relationship()
    profile: Mapped[FreelancerProfile] = relationship()


class Interest(Base):
    """A freelancer saying they would like to work on a need."""

    __tablename__ = "interests"
    __table_args__ = (UniqueConstraint("need_id", "profile_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("freelancer_profiles.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InvitationStatus(enum.Enum):
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


OPEN_INVITATION = text("status IN ('sent', 'accepted')")


class Invitation(TimestampMixin, Base):
    __tablename__ = "invitations"
    # One open invitation per need and freelancer, whoever sends it and however fast.
    __table_args__ = (
        Index(
            "uq_invitations_one_open",
            "need_id",
            "profile_id",
            unique=True,
            sqlite_where=OPEN_INVITATION,
            postgresql_where=OPEN_INVITATION,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("freelancer_profiles.id"), index=True)
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[InvitationStatus] = mapped_column(enum_column(InvitationStatus), default=InvitationStatus.SENT)
    expires_at: Mapped[datetime | None]
    responded_at: Mapped[datetime | None]
    decline_reason: Mapped[str] = mapped_column(Text, default="")

    need: Mapped[Need] = relationship()
    profile: Mapped[FreelancerProfile] = relationship()
    sent_by: Mapped[User] = relationship()


class ExposureCount(Base):
    """How often a group of freelancers appeared in the top ten of a match page, per organisation
    and day: aggregates only, nobody's views or clicks (webapp/matches/exposure.py). The "views"
    dimension counts the pages shown. Rows older than 90 days are deleted."""

    __tablename__ = "exposure_counts"
    __table_args__ = (UniqueConstraint("organisation_id", "day", "dimension", "bucket"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    day: Mapped[date]
    dimension: Mapped[str] = mapped_column(String(16))  # "views", "record" or "region"
    bucket: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(default=0)
