"""Every model, importable from one place (Alembic's autogenerate needs them all loaded)."""

from .audit import AuditEvent
from .base import Base, UTCDateTime, utcnow
from .embeddings import Embedding, IndexChange, ItemKind
from .engagements import (
    Artifact,
    ArtifactKind,
    CheckinInvite,
    CheckinResponse,
    CheckinRound,
    Engagement,
    EngagementSession,
    EngagementStatus,
    FollowupInvite,
    FollowupRating,
    FollowupRound,
    Milestone,
    MilestoneStatus,
    OutcomeReview,
    ReviewerRole,
    SessionKind,
    TransferPlanItem,
)
from .matching import ExposureCount, Interest, Invitation, InvitationStatus, ShortlistEntry
from .needs import Intent, Need, NeedSkill, NeedStatus
from .organisations import CompanyGoal, Organisation, Team, TeamMember
from .profiles import AiStance, FreelancerProfile, ProfileSkill, Visibility
from .taxonomy import Skill
from .users import PendingSignUp, Role, User

__all__ = [name for name in dir() if not name.startswith("_")]
