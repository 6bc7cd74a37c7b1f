"""Needs that leaders post for their teams."""

from __future__ import annotations

import enum
from decimal import Decimal

from sqlalchemy import JSON, ColumnElement, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_property
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
    """Whether the leader wants to amplify the team's people or automate tasks away; DERIVED
    means "as the need's own words lean" (`Need.augment_lean`)."""

    DERIVED = "derived"
    AUGMENT = "augment"
    BALANCED = "balanced"
    AUTOMATE = "automate"

    @property
    def augment_weight(self) -> float | None:
        """1 augment, 0.5 balanced, 0 automate; None where the lean is read from the text."""
        return {"augment": 1.0, "balanced": 0.5, "automate": 0.0}.get(self.value)


def leaning(intent: Intent, lean: float | None) -> Intent:
    """The intent a need is counted under: the stated one, else the side its words lean to
    (augment from 0.6, automate up to 0.4, balanced between or unread)."""
    if intent is not Intent.DERIVED:
        return intent
    if lean is None or 0.4 < lean < 0.6:
        return Intent.BALANCED
    return Intent.AUGMENT if lean >= 0.6 else Intent.AUTOMATE


class Need(TimestampMixin, Base):
    __tablename__ = "needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("company_goals.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    intent: Mapped[Intent] = mapped_column(enum_column(Intent), default=Intent.DERIVED)
    # The lean read from the need's own words when it was last embedded (0 automate .. 1 augment),
    # and the words behind it: what DERIVED uses, and what the form suggests.
    augment_lean: Mapped[float | None]
    lean_evidence: Mapped[list[dict]] = mapped_column(JSON, default=list)
    duration_weeks: Mapped[int | None]
    hours_per_week: Mapped[int | None]
    budget_min: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))  # hourly
    budget_max: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    budget_firm: Mapped[bool] = mapped_column(default=False)  # nobody above budget_max is ranked
    timezone: Mapped[str | None] = mapped_column(String(64))
    remote: Mapped[bool] = mapped_column(default=True)
    learning_goals: Mapped[str] = mapped_column(Text, default="")  # what the team must learn
    # Weigh the need's skills by the team's gap (matching.team_gap); the leader can switch it off.
    team_gap: Mapped[bool] = mapped_column(default=True)
    internal_notes: Mapped[str] = mapped_column(Text, default="")  # never shown to freelancers
    status: Mapped[NeedStatus] = mapped_column(enum_column(NeedStatus), default=NeedStatus.OPEN)

    organisation: Mapped[Organisation] = relationship()
    team: Mapped[Team] = relationship()
    goal: Mapped[CompanyGoal | None] = relationship()
    created_by: Mapped[User] = relationship()
    skills: Mapped[list[NeedSkill]] = relationship(
        back_populates="need", cascade="all, delete-orphan", order_by="NeedSkill.position"
    )

    @hybrid_property
    def is_rankable(self) -> bool:
        """Shown to freelancers: only open needs. The one definition, in Python and in SQL."""
        return self.status is NeedStatus.OPEN

    @is_rankable.inplace.expression
    @classmethod
    def _is_rankable_expression(cls) -> ColumnElement[bool]:
        return cls.status == NeedStatus.OPEN

    @property
    def augment_intent(self) -> float:
        """What ranking weighs: the leader's stated intent, else the lean of the need's words
        (neutral until it has been read)."""
        stated = self.intent.augment_weight
        if stated is not None:
            return stated
        return self.augment_lean if self.augment_lean is not None else 0.5


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
