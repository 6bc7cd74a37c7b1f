"""Who worked with whom: engagements in every state, need statuses that agree with them, and the
shortlists, interests and invitations around the needs still open."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import (
    Engagement,
    EngagementStatus,
    FreelancerProfile,
    Intent,
    Invitation,
    InvitationStatus,
    Need,
    NeedStatus,
)
from .engagements import build_engagement
from .interactions import add_interests, add_invitation, add_shortlists, best_candidates, best_needs_for
from .world import World, at, audit

S, A, B, AUTO = EngagementStatus, Intent.AUGMENT, Intent.BALANCED, Intent.AUTOMATE
# (status, preferred intent, started) of the main organisation's engagements besides the featured one.
STORIES = (
    (S.COMPLETED, A, True),
    (S.COMPLETED, A, True),
    (S.COMPLETED, AUTO, True),
    (S.ACTIVE, AUTO, True),
    (S.PROPOSED, A, False),
    (S.PROPOSED, B, False),
    (S.CANCELLED, AUTO, True),
    (S.CANCELLED, A, False),
)
OTHER_INVITATIONS = (
    (InvitationStatus.SENT,) * 3
    + (InvitationStatus.DECLINED,) * 3
    + (InvitationStatus.WITHDRAWN, InvitationStatus.EXPIRED)
)


def play_out(world: World, needs: list[Need], profiles: list[FreelancerProfile], featured: FreelancerProfile) -> None:
    """The featured freelancer gets an active engagement and a pending invitation."""
    main_id = world.organisations[0].id
    ours = [n for n in needs if n.organisation_id == main_id]
    theirs = [n for n in needs if n.organisation_id != main_id]
    build_engagement(world, ours[0], featured, S.ACTIVE)
    engaged = _engagements(world, ours[1:], theirs[:1], profiles, exclude={featured.id})
    spare = [n for n in ours[1:] if n not in engaged]
    featured_invite = next(iter(best_needs_for(featured, spare)), None)
    _shelve_some(world, [n for n in spare if n is not featured_invite])
    for need in needs:
        born = NeedStatus.DRAFT if need.status is NeedStatus.DRAFT else NeedStatus.OPEN
        audit(need.created_at, need.created_by, "need", need.id, "created", to_state=born.value)
    open_needs = [n for n in needs if n.status is NeedStatus.OPEN]
    if featured_invite is not None:
        add_invitation(world, featured_invite, featured, InvitationStatus.SENT)
    _track_records(world, theirs[1:], ours, profiles, exclude={featured.id} | _engaged_profiles(needs))
    if open_needs:
        add_shortlists(world, open_needs[:8], profiles)
        add_interests(world, open_needs, profiles, 24)
        _other_invitations(world, open_needs, profiles, exclude={featured.id})


def _engagements(
    world: World, ours: list[Need], theirs: list[Need], profiles: list[FreelancerProfile], *, exclude: set[int]
) -> set[Need]:
    """One engagement per story, each with its own need and freelancer; returns the needs used."""
    stories = [(need, S.ACTIVE, True) for need in theirs]
    for status, intent, started in STORIES:
        pool = [n for n in ours if n not in {need for need, *_ in stories}]
        if pool:
            stories.append((next((n for n in pool if n.intent is intent), pool[0]), status, started))
    built: list[Engagement] = []
    for need, status, started in stories:
        profile = (best_candidates(need, profiles, 1, exclude=exclude) or profiles[-1:])[0]
        exclude.add(profile.id)
        # The first completed story ended long enough ago to have had its follow-up.
        long_ago = status is S.COMPLETED and not any(e.status is S.COMPLETED for e in built)
        engagement = build_engagement(world, need, profile, status, started=started, long_ago=long_ago)
        built.append(engagement)
        if status is S.COMPLETED or (status is S.CANCELLED and started):
            assert engagement.end_date is not None  # an engagement that ran has its end date (_timeline)
            _change_status(need, NeedStatus.CLOSED, at(engagement.end_date, 17))
    return {need for need, *_ in stories}


RECORDS = (3, 3, 1)  # past completed engagements of three experienced freelancers (transfer records)


def _engaged_profiles(needs: list[Need]) -> set[int]:
    return {
        e.profile_id
        for need in needs
        for e in db.session.scalars(select(Engagement).where(Engagement.need_id == need.id))
    }


def _track_records(
    world: World, elsewhere: list[Need], ours: list[Need], profiles: list[FreelancerProfile], *, exclude: set[int]
) -> None:
    """A few freelancers who rank for the main organisation's needs bring records from past work
    elsewhere: two with enough engagements to show (3 each), one with a single one."""
    elsewhere = elsewhere + [n for n in ours if n.status is NeedStatus.CLOSED]
    if not elsewhere:
        return
    open_ours = [n for n in ours if n.status is NeedStatus.OPEN] or ours
    chosen: list[FreelancerProfile] = []
    for need in open_ours:
        for profile in best_candidates(need, profiles, 3, exclude=exclude | {p.id for p in chosen}):
            if len(chosen) < len(RECORDS):
                chosen.append(profile)
    for profile, count in zip(chosen, RECORDS):
        for need in elsewhere[:count]:  # one engagement per need: one invitation per need and freelancer
            build_engagement(world, need, profile, S.COMPLETED, long_ago=True)


def _shelve_some(world: World, needs: list[Need]) -> None:
    """Two drafts and two paused needs, so every status shows up."""
    picked = world.rng.sample(needs, min(4, len(needs)))
    for need, status in zip(picked, (NeedStatus.DRAFT, NeedStatus.PAUSED) * 2):
        _change_status(need, status, world.now - timedelta(days=world.rng.randint(1, 3)))


def _change_status(need: Need, status: NeedStatus, when: datetime) -> None:
    """Drafts are born drafts; any other status is a change from open, and so audited."""
    need.status = status
    if status is not NeedStatus.DRAFT:
        audit(when, need.created_by, "need", need.id, "status_changed", from_state="open", to_state=status.value)


def _other_invitations(
    world: World, open_needs: list[Need], profiles: list[FreelancerProfile], *, exclude: set[int]
) -> None:
    invited = {(n, p) for n, p in db.session.execute(select(Invitation.need_id, Invitation.profile_id))}
    for status in OTHER_INVITATIONS:
        pool = open_needs
        if status is not InvitationStatus.SENT:  # one that ended needs a need old enough to have had it
            pool = [n for n in open_needs if n.created_at < world.now - timedelta(days=20)] or open_needs
        need = world.rng.choice(pool)
        taken = {profile_id for need_id, profile_id in invited if need_id == need.id} | exclude
        candidates = best_candidates(need, profiles, 6, exclude=taken)
        if candidates:
            profile = world.rng.choice(candidates)
            add_invitation(world, need, profile, status)
            invited.add((need.id, profile.id))
