"""Needs that leaders post for their teams."""
from __future__ import annotations

import enum
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin
from .organisations import CompanyGoal, Organisation, Team
from .taxonomy import Skill
from .types import enum_column
from .users import User


class NeedStatus(enum.Enum):
    DRAFT = "draft"
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class Intent(enum.Enum):
    """Whether the leader wants to amplify the team's people or automate tasks away."""

    AUGMENT = "augment"
    BALANCED = "balanced"
    AUTOMATE = "automate"

    @property
    def augment_weight(self) -> float:
        return {"augment": 1.0, "balanced": 0.5, "automate": 0.0}[self.value]


class Need(TimestampMixin, Base):
    __tablename__ = "needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("company_goals.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    intent: Mapped[Intent] = mapped_column(enum_column(Intent), default=Intent.AUGMENT)
    duration_weeks: Mapped[int | None]
    hours_per_week: Mapped[int | None]
    budget_min: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))  # hourly
    budget_max: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    timezone: Mapped[str | None] = mapped_column(String(64))
    remote: Mapped[bool] = mapped_column(default=True)
    learning_goals: Mapped[str] = mapped_column(Text, default="")  # what the team must learn
    internal_notes: Mapped[str] = mapped_column(Text, default="")  # never shown to freelancers
    status: Mapped[NeedStatus] = mapped_column(enum_column(NeedStatus), default=NeedStatus.OPEN)

    organisation: Mapped[Organisation] = relationship()
    team: Mapped[Team] = relationship()
    goal: Mapped[CompanyGoal | None] = relationship()
    created_by: Mapped[User] = relationship()
    skills: Mapped[list[NeedSkill]] = relationship(
        back_populates="need", cascade="all, delete-orphan", order_by="NeedSkill.position"
    )


class NeedSkill(Base):
    __tablename__ = "need_skills"
    __table_args__ = (UniqueConstraint("need_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id"), index=True)
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id"), index=True)
    label: Mapped[str] = mapped_column(String(255))
    importance: Mapped[int] = mapped_column(default=2)  # 1 nice to have, 2 important, 3 essential
    position: Mapped[int] = mapped_column(default=0)

    need: Mapped[Need] = relationship(back_populates="skills")
    skill: Mapped[Skill | None] = relationship()
