"""Freelancer profiles and the skills they claim."""

from __future__ import annotations

import enum
from decimal import Decimal

from sqlalchemy import JSON, ColumnElement, ForeignKey, Numeric, String, Text, UniqueConstraint, and_, exists
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin
from .taxonomy import Skill
from .types import enum_column
from .users import User


class Visibility(enum.Enum):
    PUBLIC = "public"
    INVITING_ORGANISATIONS = "inviting_organisations"  # only organisations that invited them
    HIDDEN = "hidden"


class AiStance(enum.Enum):
    """How the freelancer says they use AI, in their own choice."""

    AUGMENT = "augment"
    BALANCED = "balanced"
    AUTOMATE = "automate"


class FreelancerProfile(TimestampMixin, Base):
    __tablename__ = "freelancer_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    headline: Mapped[str] = mapped_column(String(200))
    bio: Mapped[str] = mapped_column(Text, default="")
    ai_stance: Mapped[AiStance] = mapped_column(enum_column(AiStance), default=AiStance.BALANCED)
    ai_usage: Mapped[str] = mapped_column(Text, default="")  # how they use AI, with examples
    hourly_rate: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    weekly_hours: Mapped[int | None]
    timezone: Mapped[str | None] = mapped_column(String(64))
    visibility: Mapped[Visibility] = mapped_column(enum_column(Visibility), default=Visibility.PUBLIC)
    # Derived from the text by matching/augmentation.py; kept to show and filter on.
    augmentation_focus: Mapped[float | None]
    augmentation_evidence: Mapped[list[dict]] = mapped_column(JSON, default=list)

    user: Mapped[User] = relationship()
    skills: Mapped[list[ProfileSkill]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="ProfileSkill.position"
    )

    @hybrid_property
    def is_rankable(self) -> bool:
        """In rankings at all: not hidden, something to match on, and an open account. The one
        definition, in Python and (below) in SQL; who may see a rankable profile is scope's."""
        return self.visibility is not Visibility.HIDDEN and bool(self.headline) and self.user.is_active_account

    @is_rankable.inplace.expression
    @classmethod
    def _is_rankable_expression(cls) -> ColumnElement[bool]:
        return and_(
            cls.visibility != Visibility.HIDDEN,
            cls.headline != "",
            exists().where(User.id == cls.user_id, User.is_active_account.is_(True)),
        )


class ProfileSkill(Base):
    __tablename__ = "profile_skills"
    __table_args__ = (UniqueConstraint("profile_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("freelancer_profiles.id"), index=True)
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id"), index=True)
    label: Mapped[str] = mapped_column(String(255))  # as normalised, or as typed when unknown
    level: Mapped[int] = mapped_column(default=3)  # 1 aware .. 5 expert
    position: Mapped[int] = mapped_column(default=0)

    profile: Mapped[FreelancerProfile] = relationship(back_populates="skills")
    skill: Mapped[Skill | None] = relationship()
