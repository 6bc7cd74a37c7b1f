"""Shortlists, expressions of interest and invitations that did not (yet) become engagements."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from datetime import timedelta

from ..extensions import db
from ..models import (
    AiStance,
    FreelancerProfile,
    Intent,
    Interest,
    Invitation,
    InvitationStatus,
    Need,
    ShortlistEntry,
    Visibility,
)
from .stories import DECLINE_REASONS, INTEREST_NOTES, INVITATION_MESSAGES
from .world import World, audit

FITTING_STANCES = {
    Intent.AUGMENT: (AiStance.AUGMENT, AiStance.BALANCED),
    Intent.BALANCED: (AiStance.BALANCED, AiStance.AUGMENT, AiStance.AUTOMATE),
    Intent.AUTOMATE: (AiStance.AUTOMATE, AiStance.BALANCED),
}


def best_candidates(
    need: Need, profiles: list[FreelancerProfile], count: int, *, exclude: AbstractSet[int] = frozenset()
) -> list[FreelancerProfile]:
    """Visible profiles whose stance fits the need, most shared skills first (ties: list order)."""
    wanted = {skill.label.lower() for skill in need.skills}
    fitting = [
        p
        for p in profiles
        if p.id not in exclude and p.visibility is not Visibility.HIDDEN and p.ai_stance in FITTING_STANCES[need.intent]
    ]
    fitting.sort(key=lambda p: -len(wanted & {s.label.lower() for s in p.skills}))
    return fitting[:count]


def best_needs_for(profile: FreelancerProfile, needs: list[Need]) -> list[Need]:
    """Needs whose intent suits the profile, most shared skills first."""
    skills = {s.label.lower() for s in profile.skills}
    fitting = [n for n in needs if profile.ai_stance in FITTING_STANCES[n.intent]]
    return sorted(fitting, key=lambda n: -len(skills & {s.label.lower() for s in n.skills}))


def add_shortlists(world: World, needs: list[Need], profiles: list[FreelancerProfile]) -> None:
    for need in needs:
        leader = world.leaders[need.organisation_id]
        for profile in best_candidates(need, profiles, world.rng.randint(3, 5)):
            when = world.moment_between(need.created_at, need.created_at + timedelta(days=5))
            db.session.add(ShortlistEntry(need=need, profile=profile, added_by_id=leader.id, created_at=when))
            audit(when, leader, "need", need.id, "shortlisted", profile_id=profile.id)


def add_interests(world: World, needs: list[Need], profiles: list[FreelancerProfile], count: int) -> None:
    """Public freelancers saying they would like one of the needs that suit them best."""
    rng, seen = world.rng, set[tuple[int, int]]()
    public = [p for p in profiles if p.visibility is Visibility.PUBLIC]
    for _ in range(count * 4):  # enough tries for `count` distinct pairs in any realistic demo
        if len(seen) == count:
            break
        profile = rng.choice(public)
        suited = best_needs_for(profile, needs)[:3]
        if not suited or (suited[0].id, profile.id) in seen:
            continue
        need = rng.choice(suited)
        if (need.id, profile.id) in seen:
            continue
        seen.add((need.id, profile.id))
        when = world.moment_between(need.created_at, need.created_at + timedelta(days=10))
        note = rng.choice(INTEREST_NOTES)
        db.session.add(Interest(need_id=need.id, profile_id=profile.id, note=note, created_at=when))
        audit(when, profile.user, "need", need.id, "interest", profile_id=profile.id)


def add_invitation(world: World, need: Need, profile: FreelancerProfile, status: InvitationStatus) -> Invitation:
    """A pending invitation, or one that ended without an engagement (declined, withdrawn, expired)."""
    rng, leader = world.rng, world.leaders[need.organisation_id]
    if status is InvitationStatus.SENT:  # still open: sent in the last few days
        sent_at = world.moment_between(max(need.created_at, world.now - timedelta(days=4)), world.now)
    else:  # over: sent more than two weeks ago, so that even expiry has passed
        sent_at = world.moment_between(need.created_at, world.now - timedelta(days=16))
    invitation = Invitation(
        need=need,
        profile=profile,
        sent_by=leader,
        status=status,
        created_at=sent_at,
        message=rng.choice(INVITATION_MESSAGES).format(
            first=profile.user.name.split()[0], work=world.work_of[need], team=need.team.name
        ),
        expires_at=sent_at + timedelta(days=14),
    )
    if status is InvitationStatus.DECLINED:
        invitation.decline_reason = rng.choice(DECLINE_REASONS)
    db.session.add(invitation)
    db.session.flush()
    audit(sent_at, leader, "invitation", invitation.id, "sent", to_state="sent")
    if status is not InvitationStatus.SENT:
        expired = status is InvitationStatus.EXPIRED
        responded_at = sent_at + timedelta(days=14 if expired else 2)  # an expired one at its expiry date
        invitation.responded_at = responded_at
        actor = {InvitationStatus.DECLINED: profile.user, InvitationStatus.WITHDRAWN: leader}.get(status)
        audit(responded_at, actor, "invitation", invitation.id, status.value, from_state="sent", to_state=status.value)
    return invitation
