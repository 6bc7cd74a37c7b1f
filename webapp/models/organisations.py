"""Organisations, their teams, the named people in them and the company goals they serve."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin

if TYPE_CHECKING:
    from .users import User

# Who leads which team: leaders act on the teams they lead (see webapp/scope.py).
team_leaders = Table(
    "team_leaders",
    Base.metadata,
    Column("team_id", ForeignKey("teams.id"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
)


class Organisation(TimestampMixin, Base):
    __tablename__ = "organisations"
    # "Acme" and "ACME" are one organisation, even when both sign up at the same moment.
    __table_args__ = (Index("uq_organisations_name_lower", func.lower("name"), unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)

    teams: Mapped[list[Team]] = relationship(back_populates="organisation", order_by="Team.name")
    goals: Mapped[list[CompanyGoal]] = relationship(back_populates="organisation", order_by="CompanyGoal.title")

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


class Team(TimestampMixin, Base):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    organisation: Mapped[Organisation] = relationship(back_populates="teams")
    members: Mapped[list[TeamMember]] = relationship(back_populates="team", order_by="TeamMember.name")
    leaders: Mapped[list[User]] = relationship(secondary=team_leaders, order_by="User.name")


class TeamMember(TimestampMixin, Base):
    """A named person of a team; they need no account to be listed or to answer check-ins."""

    __tablename__ = "team_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    role_title: Mapped[str] = mapped_column(String(200), default="")

    team: Mapped[Team] = relationship(back_populates="members")


class CompanyGoal(TimestampMixin, Base):
    __tablename__ = "company_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    organisation: Mapped[Organisation] = relationship(back_populates="goals")
