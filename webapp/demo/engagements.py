"""Engagements in every state, each grown from an accepted invitation the way the app would:
milestones, a knowledge-transfer plan, and, once started, the activity in activity.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..engagements.followups import services as followups
from ..engagements.links import hash_token
from ..extensions import db
from ..models import (
    Engagement,
    EngagementStatus,
    FollowupInvite,
    FollowupRating,
    FollowupRound,
    FreelancerProfile,
    Intent,
    Invitation,
    InvitationStatus,
    Milestone,
    MilestoneStatus,
    Need,
    OutcomeReview,
    ReviewerRole,
    TransferPlanItem,
)
from .activity import add_activity
from .stories import CANCEL_REASONS, FREELANCER_REVIEWS, INVITATION_MESSAGES, LEADER_REVIEWS, MILESTONES
from .world import World, at, audit

ACTIVE, COMPLETED = EngagementStatus.ACTIVE, EngagementStatus.COMPLETED
PROPOSED, CANCELLED = EngagementStatus.PROPOSED, EngagementStatus.CANCELLED


@dataclass(frozen=True)
class Timeline:
    invited_at: datetime
    accepted_at: datetime
    start: date
    end: date | None
    last_day: date | None  # last day with sessions; None when it never started
    closed_at: datetime | None  # completed or cancelled

    @property
    def closed(self) -> datetime:
        """When a completed or cancelled engagement closed (asked only of those)."""
        if self.closed_at is None:
            raise ValueError("This engagement is still open: it has no closing time.")
        return self.closed_at


def build_engagement(
    world: World,
    need: Need,
    profile: FreelancerProfile,
    status: EngagementStatus,
    *,
    started: bool = True,
    long_ago: bool = False,
) -> Engagement:
    """An engagement in `status`; a cancelled one that was never `started` stops while proposed; a
    completed one `long_ago` ended long enough ago to have had its follow-up."""
    timeline = _timeline(world, need, status, started, long_ago)
    leader = world.leaders[need.organisation_id]
    invitation = Invitation(
        need=need,
        profile=profile,
        sent_by=leader,
        status=InvitationStatus.ACCEPTED,
        message=world.rng.choice(INVITATION_MESSAGES).format(
            first=profile.user.name.split()[0], work=world.work_of[need], team=need.team.name
        ),
        created_at=timeline.invited_at,
        expires_at=timeline.invited_at + timedelta(days=14),
        responded_at=timeline.accepted_at,
    )
    db.session.add(invitation)
    db.session.flush()
    engagement = Engagement(
        need=need,
        profile=profile,
        invitation_id=invitation.id,
        status=status,
        agreed_hours=need.hours_per_week,
        start_date=timeline.start,
        end_date=timeline.end,
        created_at=timeline.accepted_at,
    )
    engagement.milestones = _milestones(world, need, timeline, status)
    engagement.plan_items = _plan_items(world, need)
    db.session.add(engagement)
    db.session.flush()
    if need.created_at > timeline.invited_at - timedelta(days=3):  # the need came first
        need.created_at = timeline.invited_at - timedelta(days=world.rng.randint(7, 20))
    _audit_history(world, engagement, invitation, timeline)
    if timeline.last_day is not None:
        add_activity(world, engagement, timeline.start, timeline.last_day)
    if status is COMPLETED:
        _complete(world, engagement, timeline)
    return engagement


def _timeline(world: World, need: Need, status: EngagementStatus, started: bool, long_ago: bool = False) -> Timeline:
    rng, today = world.rng, world.today
    days = (need.duration_weeks or 8) * 7
    start = {
        # An engagement that ended `long_ago` has had its follow-up (_followup).
        COMPLETED: today - timedelta(days=days + rng.randint(14, 60) + (FOLLOWUP_AGO if long_ago else 0)),
        ACTIVE: today - timedelta(days=rng.randint(21, max(21, min(45, days - 14)))),
        PROPOSED: today + timedelta(days=rng.randint(7, 21)),
        CANCELLED: today - timedelta(days=rng.randint(40, 80)),
    }[status]
    end = start + timedelta(days=days)
    last_day: date | None = None
    closed_at: datetime | None = None
    accepted = start - timedelta(days=rng.randint(5, 12))
    if status is PROPOSED:  # accepted days ago, starting soon
        accepted = today - timedelta(days=rng.randint(1, 4))
    if status is COMPLETED:
        last_day, closed_at = end, at(end, 16)
    elif status is ACTIVE:
        # An automation-focused engagement has gone quiet: the program's at-risk list has a story.
        last_day = today - timedelta(days=19 if need.intent is Intent.AUTOMATE else 1)
    elif status is CANCELLED and started:
        last_day = end = start + timedelta(days=rng.randint(12, 20))
        closed_at = at(end, 15)
    elif status is CANCELLED:  # called off before the first day: it has no end date
        closed_at = at(start - timedelta(days=2), 15)
    invited = accepted - timedelta(days=rng.randint(2, 6))
    ran = status is not CANCELLED or started
    return Timeline(at(invited, 9), at(accepted, 14), start, end if ran else None, last_day, closed_at)


def _milestones(world: World, need: Need, timeline: Timeline, status: EngagementStatus) -> list[Milestone]:
    titles = MILESTONES[:2] + MILESTONES[2 + world.rng.randint(0, 1) :]
    days = (need.duration_weeks or 8) * 7
    milestones = []
    for i, title in enumerate(titles):
        due = timeline.start + timedelta(days=round(days * (i + 1) / len(titles)))
        state = MilestoneStatus.PLANNED
        if status is COMPLETED:
            state = MilestoneStatus.MISSED if i == 2 and world.rng.random() < 0.3 else MilestoneStatus.DONE
        elif timeline.last_day is not None and due <= timeline.last_day:
            state = MilestoneStatus.DONE
        milestones.append(Milestone(title=title.format(work=world.work_of[need]), due_date=due, status=state))
    return milestones


def _plan_items(world: World, need: Need) -> list[TransferPlanItem]:
    rng = world.rng
    members = world.members[need.team_id]
    learners = rng.sample(members, min(len(members), rng.randint(2, 4)))
    skills = sorted(need.skills, key=lambda s: -s.importance)[: rng.randint(2, 3)]
    items = []
    for skill in skills:
        for member in learners:
            baseline = rng.randint(1, 3)
            items.append(
                TransferPlanItem(
                    skill_id=skill.skill_id,
                    skill_label=skill.label,
                    team_member=member,
                    baseline_level=baseline,
                    target_level=min(5, baseline + rng.randint(1, 2)),
                )
            )
    return items


def _audit_history(world: World, engagement: Engagement, invitation: Invitation, timeline: Timeline) -> None:
    leader, freelancer = invitation.sent_by, engagement.profile.user
    audit(timeline.invited_at, leader, "invitation", invitation.id, "sent", to_state="sent")
    audit(
        timeline.accepted_at,
        freelancer,
        "invitation",
        invitation.id,
        "accepted",
        from_state="sent",
        to_state="accepted",
    )
    audit(
        timeline.accepted_at,
        freelancer,
        "engagement",
        engagement.id,
        "proposed",
        to_state="proposed",
        invitation_id=invitation.id,
    )
    state = "proposed"
    if timeline.last_day is not None:
        audit(at(timeline.start, 8), leader, "engagement", engagement.id, "active", from_state=state, to_state="active")
        state = "active"
    if engagement.status is COMPLETED:
        audit(timeline.closed, leader, "engagement", engagement.id, "completed", from_state=state, to_state="completed")
    elif engagement.status is CANCELLED:
        audit(
            timeline.closed,
            leader,
            "engagement",
            engagement.id,
            "cancelled",
            from_state=state,
            to_state="cancelled",
            reason=world.rng.choice(CANCEL_REASONS),
        )


def _complete(world: World, engagement: Engagement, timeline: Timeline) -> None:
    rng = world.rng
    for item in engagement.plan_items:
        item.final_level = max(item.baseline_level, min(5, item.target_level + rng.choice((-1, 0, 0, 0, 1))))
    engagement.completed_at = timeline.closed_at
    leaning = "automate" if engagement.need.intent is Intent.AUTOMATE else "augment"
    member = engagement.plan_items[0].team_member.name
    fields = {"member": member, "work": world.work_of[engagement.need]}
    leader_text = rng.choice(LEADER_REVIEWS[leaning]).format(**fields)
    engagement.reviews = [
        OutcomeReview(
            reviewer_role=ReviewerRole.LEADER,
            author_id=world.leaders[engagement.need.organisation_id].id,
            text=leader_text[0].upper() + leader_text[1:],
            created_at=timeline.closed_at,
        ),
        OutcomeReview(
            reviewer_role=ReviewerRole.FREELANCER,
            author_id=engagement.profile.user_id,
            text=rng.choice(FREELANCER_REVIEWS).format(**fields),
            created_at=timeline.closed_at,
        ),
    ]
    engagement.outcome_rating = 3 if leaning == "automate" else rng.choice((4, 5))
    rated_at = timeline.closed + timedelta(days=rng.randint(2, 6))
    rater = world.program_manager
    if rater is None or rater.organisation_id != engagement.need.organisation_id:
        rater = world.leaders[engagement.need.organisation_id]
    audit(rated_at, rater, "engagement", engagement.id, "rated", rating=engagement.outcome_rating)
    _followup(world, engagement, timeline)


FOLLOWUP_AFTER = timedelta(days=90)  # as TANDEM_FOLLOWUP_DAYS' default
FOLLOWUP_AGO = 130  # days further back that those engagements ended


def _followup(world: World, engagement: Engagement, timeline: Timeline) -> None:
    """The retained-capability follow-up of an engagement completed long enough ago: links to each
    plan member, most of them answered (one rating row per skill, in no order), and the leader's
    assessed levels: most kept what they gained, some slipped a level."""
    opened_at = timeline.closed + FOLLOWUP_AFTER
    if opened_at > world.now:
        return
    rng = world.rng
    members = sorted(
        {item.team_member.id: item.team_member for item in engagement.plan_items}.values(), key=lambda m: m.id
    )
    followup = FollowupRound(opened_at=opened_at, closes_at=opened_at + timedelta(days=followups.DAYS_OPEN))
    engagement.followup = followup
    db.session.flush()
    answered = members if rng.random() < 0.7 else members[:-1]
    followup.invites = [
        FollowupInvite(token_hash=hash_token(followups.link_token(followup, m.id)), used=m in answered) for m in members
    ]
    keeps = 0.85 if engagement.need.intent is not Intent.AUTOMATE else 0.6
    ratings = []
    for item in engagement.plan_items:
        assert item.final_level is not None  # _complete set every final level first
        slipped = rng.random() > keeps
        kept = max(item.baseline_level, item.final_level - (1 if slipped else 0))
        item.followup_level = kept
        if item.team_member in answered:
            ratings.append(
                FollowupRating(skill_label=item.skill_label, level=max(1, min(5, kept + rng.choice((-1, 0, 0, 1)))))
            )
    rng.shuffle(ratings)
    followup.ratings = ratings
    audit(opened_at, None, "engagement", engagement.id, "followup_opened", invited=len(members))
