"""Engagements and everything that records whether the team came out stronger:
the knowledge-transfer plan, sessions, artifacts, pulse check-ins and outcome reviews."""

from __future__ import annotations

import enum
import secrets
import uuid
from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin, utcnow
from .needs import Need
from .organisations import TeamMember
from .profiles import FreelancerProfile
from .taxonomy import Skill
from .types import enum_column


class EngagementStatus(enum.Enum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Engagement(TimestampMixin, Base):
    __tablename__ = "engagements"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("freelancer_profiles.id"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id"), unique=True)
    status: Mapped[EngagementStatus] = mapped_column(
        enum_column(EngagementStatus), default=EngagementStatus.PROPOSED, index=True
    )
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    agreed_hours: Mapped[int | None]
    outcome_rating: Mapped[int | None]  # 1-5, set by a program manager
    completed_at: Mapped[datetime | None]

    need: Mapped[Need] = relationship()
    profile: Mapped[FreelancerProfile] = relationship()
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan", order_by="Milestone.due_date"
    )
    plan_items: Mapped[list[TransferPlanItem]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan", order_by="TransferPlanItem.id"
    )
    sessions: Mapped[list[EngagementSession]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan", order_by="EngagementSession.held_on"
    )
    artifacts: Mapped[list[Artifact]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan", order_by="Artifact.id"
    )
    checkin_rounds: Mapped[list[CheckinRound]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan", order_by="CheckinRound.opened_at"
    )
    reviews: Mapped[list[OutcomeReview]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan", order_by="OutcomeReview.id"
    )
    followup: Mapped[FollowupRound | None] = relationship(
        back_populates="engagement", cascade="all, delete-orphan", uselist=False
    )


class MilestoneStatus(enum.Enum):
    PLANNED = "planned"
    DONE = "done"
    MISSED = "missed"


class Milestone(TimestampMixin, Base):
    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date | None]
    status: Mapped[MilestoneStatus] = mapped_column(enum_column(MilestoneStatus), default=MilestoneStatus.PLANNED)

    engagement: Mapped[Engagement] = relationship(back_populates="milestones")


class TransferPlanItem(TimestampMixin, Base):
    """One skill one team member should gain: baseline, target and (at the end) final level, 1-5."""

    __tablename__ = "transfer_plan_items"
    __table_args__ = (UniqueConstraint("engagement_id", "skill_label", "team_member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id"), index=True)
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id"))
    skill_label: Mapped[str] = mapped_column(String(255))
    team_member_id: Mapped[int] = mapped_column(ForeignKey("team_members.id"), index=True)
    baseline_level: Mapped[int] = mapped_column(default=1)
    target_level: Mapped[int] = mapped_column(default=3)
    final_level: Mapped[int | None]
    followup_level: Mapped[int | None]  # the leader's assessment at the follow-up, 1-5
    proposed_final_level: Mapped[int | None]  # the freelancer's, until the leader records the final level

    engagement: Mapped[Engagement] = relationship(back_populates="plan_items")
    skill: Mapped[Skill | None] = relationship()
    team_member: Mapped[TeamMember] = relationship()


class SessionKind(enum.Enum):
    PAIRING = "pairing"
    MENTORING = "mentoring"
    WORKSHOP = "workshop"
    REVIEW = "review"
    REFLECTION = "reflection"


session_attendees = Table(
    "session_attendees",
    Base.metadata,
    Column("session_id", ForeignKey("engagement_sessions.id"), primary_key=True),
    Column("team_member_id", ForeignKey("team_members.id"), primary_key=True),
)

session_plan_items = Table(
    "session_plan_items",
    Base.metadata,
    Column("session_id", ForeignKey("engagement_sessions.id"), primary_key=True),
    Column("plan_item_id", ForeignKey("transfer_plan_items.id"), primary_key=True),
)


class EngagementSession(TimestampMixin, Base):
    __tablename__ = "engagement_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id"), index=True)
    kind: Mapped[SessionKind] = mapped_column(enum_column(SessionKind))
    held_on: Mapped[date]
    minutes: Mapped[int]
    notes: Mapped[str] = mapped_column(Text, default="")
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    engagement: Mapped[Engagement] = relationship(back_populates="sessions")
    attendees: Mapped[list[TeamMember]] = relationship(secondary=session_attendees)
    plan_items: Mapped[list[TransferPlanItem]] = relationship(secondary=session_plan_items)


class ArtifactKind(enum.Enum):
    PLAYBOOK = "playbook"
    DOCUMENT = "document"
    RECORDING = "recording"
    CODE = "code"
    OTHER = "other"


class Artifact(TimestampMixin, Base):
    __tablename__ = "artifacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id"), index=True)
    kind: Mapped[ArtifactKind] = mapped_column(enum_column(ArtifactKind))
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(2000))
    team_owned: Mapped[bool] = mapped_column(default=False)

    engagement: Mapped[Engagement] = relationship(back_populates="artifacts")


class CheckinRound(Base):
    """A pulse check-in: each member who was on the team when it opened gets their own link by e-mail."""

    __tablename__ = "checkin_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id"), index=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closes_at: Mapped[datetime]
    # Mixed into each member's link (see engagements/links.py), so links differ from round to round.
    link_salt: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(16))
    reminded_at: Mapped[datetime | None]

    engagement: Mapped[Engagement] = relationship(back_populates="checkin_rounds")
    invites: Mapped[list[CheckinInvite]] = relationship(back_populates="round", cascade="all, delete-orphan")
    responses: Mapped[list[CheckinResponse]] = relationship(back_populates="round", cascade="all, delete-orphan")


class CheckinInvite(Base):
    """One personal link of a round. Nothing here says whose it is or which answer it gave: a
    random id, the hash of its token, and whether it has been used."""

    __tablename__ = "checkin_invites"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    round_id: Mapped[int] = mapped_column(ForeignKey("checkin_rounds.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used: Mapped[bool] = mapped_column(default=False)

    round: Mapped[CheckinRound] = relationship(back_populates="invites")


class CheckinResponse(Base):
    """An answer, with nothing that ties it to an invite, a person or a moment: a random id (an
    increasing one would give the order of answers away) and its round. Scales are 1-5."""

    __tablename__ = "checkin_responses"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    round_id: Mapped[int] = mapped_column(ForeignKey("checkin_rounds.id"), index=True)
    safety_mistakes: Mapped[int]  # "If I make a mistake on this team, it is not held against me."
    safety_risks: Mapped[int]  # "It is safe to take a risk on this team."
    safety_asking: Mapped[int]  # "It is easy to ask other members of this team for help."
    peer_trust: Mapped[int]
    collaboration: Mapped[int]  # 1 mostly alone with AI .. 5 mostly with people
    goal_clarity: Mapped[int]
    workload: Mapped[int]  # 1 sustainable .. 5 overwhelming
    comment: Mapped[str] = mapped_column(Text, default="")

    round: Mapped[CheckinRound] = relationship(back_populates="responses")


class ReviewerRole(enum.Enum):
    LEADER = "leader"
    FREELANCER = "freelancer"


class OutcomeReview(TimestampMixin, Base):
    __tablename__ = "outcome_reviews"
    __table_args__ = (UniqueConstraint("engagement_id", "reviewer_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id"), index=True)
    reviewer_role: Mapped[ReviewerRole] = mapped_column(enum_column(ReviewerRole))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)

    engagement: Mapped[Engagement] = relationship(back_populates="reviews")


class FollowupRound(Base):
    """The retained-capability follow-up, opened a set number of days after the engagement
    completed (one per engagement): each plan member rates their own current level on the plan's
    skills through a personal link, as in a check-in (engagements/followups/)."""

    __tablename__ = "followup_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id"), unique=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closes_at: Mapped[datetime]
    link_salt: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(16))

    engagement: Mapped[Engagement] = relationship(back_populates="followup")
    invites: Mapped[list[FollowupInvite]] = relationship(back_populates="round", cascade="all, delete-orphan")
    ratings: Mapped[list[FollowupRating]] = relationship(back_populates="round", cascade="all, delete-orphan")


class FollowupInvite(Base):
    """One personal follow-up link: a random id, its token's hash and whether it was used."""

    __tablename__ = "followup_invites"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    round_id: Mapped[int] = mapped_column(ForeignKey("followup_rounds.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used: Mapped[bool] = mapped_column(default=False)

    round: Mapped[FollowupRound] = relationship(back_populates="invites")


class FollowupRating(Base):
    """One self-rating of one skill, with nothing that ties it to a person, an invite, a moment or
    the other skills of the same answer: a random id, the round, the skill and the level (1-5)."""

    __tablename__ = "followup_ratings"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    round_id: Mapped[int] = mapped_column(ForeignKey("followup_rounds.id"), index=True)
    skill_label: Mapped[str] = mapped_column(String(255))
    level: Mapped[int]

    round: Mapped[FollowupRound] = relationship(back_populates="ratings")
