"""One organisation with everything a person can write in Tandem, built twice for tests that need
the whole product at once: the authorization matrix (own versus other organisation), output
escaping (every text a payload) and the freelancer's data download.

`write(field)` gives the text of each user-writable field, so a test can fill them all with
what it needs to see come back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from tests.factories.engagements import EngagementFactory, TeamMemberFactory
from tests.factories.needs import NeedFactory
from tests.factories.people import OrganisationFactory, ProfileFactory, UserFactory
from webapp.engagements.links import hash_token
from webapp.extensions import db
from webapp.models import (
    Artifact,
    ArtifactKind,
    CheckinInvite,
    CheckinResponse,
    CheckinRound,
    CompanyGoal,
    Engagement,
    EngagementSession,
    EngagementStatus,
    FollowupInvite,
    FollowupRound,
    FreelancerProfile,
    Intent,
    Interest,
    Invitation,
    InvitationStatus,
    Milestone,
    Need,
    NeedSkill,
    Organisation,
    OutcomeReview,
    ProfileSkill,
    ReviewerRole,
    Role,
    SessionKind,
    Team,
    TeamMember,
    TransferPlanItem,
    User,
    utcnow,
)

Writer = Callable[[str], str]


@dataclass
class Side:
    org: Organisation
    leader: User
    manager: User
    admin: User
    freelancer: User
    profile: FreelancerProfile
    need: Need
    invitation: Invitation  # sent, waiting for the freelancer
    engagement: Engagement  # active: plan, a session, a milestone, an artifact, an open check-in round
    finished: Engagement  # completed: final levels, both reviews, a closed round with three answers
    plan_item: TransferPlanItem
    milestone: Milestone
    artifact: Artifact
    round: CheckinRound
    token: str  # an unused link of the open round
    members: list[TeamMember]
    followup_token: str = ""  # an unused link of the finished engagement's open follow-up

    def user(self, role: Role | None) -> User | None:
        return {
            None: None,
            Role.LEADER: self.leader,
            Role.PROGRAM_MANAGER: self.manager,
            Role.ADMIN: self.admin,
            Role.FREELANCER: self.freelancer,
        }[role]


def build_side(label: str, write: Writer | None = None) -> Side:
    write = write or (lambda field: f"{label} {field}")
    org = OrganisationFactory(
        name=write("organisation"),
        teams=[Team(name=write("team"), description=write("team description"))],
        goals=[CompanyGoal(title=write("goal"), description=write("goal description"))],
    )
    team = org.teams[0]
    staff = {
        role: UserFactory(
            role=role, organisation=org, email=f"{role.value}-{label}@example.org", name=write(f"{role.value} name")
        )
        for role in (Role.LEADER, Role.PROGRAM_MANAGER, Role.ADMIN)
    }
    profile = ProfileFactory(
        user__email=f"freelancer-{label}@example.org",
        user__name=write("freelancer name"),
        headline=write("headline"),
        bio=write("bio"),
        ai_usage=write("ai usage"),
        hourly_rate=80,
        weekly_hours=20,
        timezone="Europe/Berlin",
        skills=[ProfileSkill(label=write("profile skill"), level=4, position=0)],
    )
    need = NeedFactory(
        organisation=org,
        created_by=staff[Role.LEADER],
        title=write("need title"),
        description=write("need description"),
        intent=Intent.DERIVED,
        learning_goals=write("learning goals"),
        internal_notes=write("internal notes"),
        hours_per_week=10,
        skills=[NeedSkill(label=write("need skill"), importance=3, position=0)],
    )
    members = [
        TeamMemberFactory(
            team=team, name=write(f"member {i}"), role_title=write("role title"), email=f"member{i}-{label}@example.org"
        )
        for i in range(3)
    ]
    invitation = _invitations(need, profile, staff[Role.LEADER], write)
    db.session.flush()
    db.session.add(Interest(need_id=need.id, profile_id=profile.id, note=write("interest note")))
    active, item, milestone, artifact, checkin, token = _active_engagement(need, profile, members, write)
    finished = _finished_engagement(need, profile, members, staff[Role.LEADER], write)
    followup_token = f"followup-{org.id}-{profile.id}-unused-token"
    finished.followup = FollowupRound(
        closes_at=utcnow() + timedelta(days=14), invites=[FollowupInvite(token_hash=hash_token(followup_token))]
    )
    db.session.commit()
    return Side(
        org,
        staff[Role.LEADER],
        staff[Role.PROGRAM_MANAGER],
        staff[Role.ADMIN],
        profile.user,
        profile,
        need,
        invitation,
        active,
        finished,
        item,
        milestone,
        artifact,
        checkin,
        token,
        members,
        followup_token,
    )


def _invitations(need: Need, profile: FreelancerProfile, leader: User, write: Writer) -> Invitation:
    declined = Invitation(
        need=need,
        profile=profile,
        sent_by=leader,
        message=write("old invitation message"),
        status=InvitationStatus.DECLINED,
        decline_reason=write("decline reason"),
        responded_at=utcnow(),
    )
    waiting = Invitation(
        need=need,
        profile=profile,
        sent_by=leader,
        message=write("invitation message"),
        expires_at=utcnow() + timedelta(days=14),
    )
    db.session.add_all([declined, waiting])
    return waiting


def _active_engagement(need, profile, members, write: Writer):
    items = [
        TransferPlanItem(skill_label=write("plan skill"), team_member=member, baseline_level=1, target_level=3)
        for member in members
    ]
    # The session served the first plan item, so that item stays part of the record.
    sessions = [
        EngagementSession(
            kind=SessionKind.PAIRING,
            held_on=date.today() - timedelta(days=2),
            minutes=60,
            notes=write("session notes"),
            attendees=members[:2],
            plan_items=items[:1],
        )
    ]
    milestone = Milestone(title=write("milestone"), due_date=date.today() + timedelta(days=30))
    artifact = Artifact(
        kind=ArtifactKind.PLAYBOOK,
        title=write("artifact title"),
        url="https://example.org/playbook?" + write("artifact link"),
    )
    token = f"link-{need.organisation.id}-{profile.id}-unused-token"
    checkin = CheckinRound(opened_at=utcnow(), closes_at=utcnow() + timedelta(days=7))
    checkin.invites = [CheckinInvite(token_hash=hash_token(f"{token}{i}" if i else token)) for i in range(len(members))]
    engagement = EngagementFactory(
        need=need,
        profile=profile,
        status=EngagementStatus.ACTIVE,
        start_date=date.today() - timedelta(days=20),
        plan_items=items,
        sessions=sessions,
        milestones=[milestone],
        artifacts=[artifact],
        checkin_rounds=[checkin],
    )
    return engagement, items[1], milestone, artifact, checkin, token


def _finished_engagement(need, profile, members, leader, write: Writer) -> Engagement:
    plan_items = [
        TransferPlanItem(
            skill_label=write("finished plan skill"),
            team_member=member,
            baseline_level=1,
            target_level=3,
            final_level=3,
        )
        for member in members
    ]
    opened = utcnow() - timedelta(days=30)
    closed = CheckinRound(opened_at=opened, closes_at=opened + timedelta(days=7))
    closed.responses = [
        CheckinResponse(
            safety_mistakes=4,
            safety_risks=4,
            safety_asking=5,
            peer_trust=4,
            collaboration=4,
            goal_clarity=3,
            workload=2,
            comment=write(f"check-in comment {i}"),
        )
        for i in range(3)
    ]
    reviews = [
        OutcomeReview(reviewer_role=ReviewerRole.LEADER, author_id=leader.id, text=write("leader review")),
        OutcomeReview(
            reviewer_role=ReviewerRole.FREELANCER, author_id=profile.user_id, text=write("freelancer review")
        ),
    ]
    return EngagementFactory(
        need=need,
        profile=profile,
        status=EngagementStatus.COMPLETED,
        agreed_hours=20,
        start_date=date.today() - timedelta(days=90),
        end_date=date.today() - timedelta(days=10),
        completed_at=utcnow() - timedelta(days=10),
        plan_items=plan_items,
        checkin_rounds=[closed],
        reviews=reviews,
    )
