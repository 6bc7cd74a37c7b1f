"""Retained-capability follow-ups: some days after an engagement completes (TANDEM_FOLLOWUP_DAYS,
90 by default), every team member on its plan gets a personal, one-use link by e-mail and rates
their own current level on the plan's skills; the leader records an assessed level per member
and skill. The same rules as check-ins (engagements/checkins/services.py, README *Check-in
anonymity*):
- the token is an HMAC of the round's salt and the member (under its own key); only its hash is
  stored, and a conditional UPDATE uses it up once;
- a forged, used or expired link gets the same neutral page, and nothing about the round;
- each self-rating is stored as its own row (round, skill, level, random id): not even the
  ratings of one answer can be put back together, let alone tied to a person;
- self-ratings show once the round has closed, per skill, only from MIN_ANSWERS ratings.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import abort, current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ...audit import record
from ...extensions import db
from ...mail import Letter, absolute_url, compose, post
from ...models import (
    Engagement,
    EngagementStatus,
    FollowupInvite,
    FollowupRating,
    FollowupRound,
    TeamMember,
    TransferPlanItem,
    User,
    utcnow,
)
from ..indicators import LEVELS, MIN_ANSWERS
from ..links import MAX_TOKEN_LENGTH, hash_token, member_token
from ..services import Capacity, EngagementError, WrongStage, require_party

DAYS_OPEN = 14
PURPOSE = b"tandem follow-up links"


def followup_days() -> int:
    return current_app.config.get("TANDEM_FOLLOWUP_DAYS", 90)


def due_on(engagement: Engagement) -> datetime | None:
    """When the engagement's follow-up opens: its completion plus the configured days."""
    if engagement.status is not EngagementStatus.COMPLETED or engagement.completed_at is None:
        return None
    return engagement.completed_at + timedelta(days=followup_days())


def link_token(followup: FollowupRound, member_id: int) -> str:
    return member_token(followup.link_salt, member_id, PURPOSE)


def plan_members(engagement: Engagement) -> list[TeamMember]:
    """Who is asked: each member with a plan item and an e-mail address, once."""
    members = {item.team_member.id: item.team_member for item in engagement.plan_items}
    return sorted((m for m in members.values() if m.email), key=lambda m: m.id)


def plan_skills(engagement: Engagement) -> list[str]:
    return sorted({item.skill_label for item in engagement.plan_items}, key=str.lower)


def open_followup(engagement: Engagement, now: datetime | None = None) -> FollowupRound | None:
    """Opens the engagement's follow-up and e-mails the links (after the commit); None when it
    exists already (two workers at once: the unique engagement id lets one win)."""
    now = now or utcnow()
    if engagement.followup is not None:
        return None
    members = plan_members(engagement)
    followup = FollowupRound(engagement=engagement, opened_at=now, closes_at=now + timedelta(days=DAYS_OPEN))
    db.session.add(followup)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return None
    invites = [FollowupInvite(token_hash=hash_token(link_token(followup, member.id))) for member in members]
    random.SystemRandom().shuffle(invites)
    followup.invites = invites
    record(None, "engagement", engagement.id, "followup_opened", invited=len(invites))
    db.session.commit()
    send_links(followup, members)
    return followup


def open_now(engagement: Engagement, *, actor: User) -> FollowupRound:
    """The leader opens the follow-up before it is due (say, at a review meeting)."""
    if require_party(engagement, actor) is not Capacity.LEADER:
        abort(403)
    if engagement.status is not EngagementStatus.COMPLETED:
        raise WrongStage("A follow-up opens once the engagement has completed.")
    if not plan_members(engagement):
        raise EngagementError("Nobody on the plan has an e-mail address: add addresses to ask the team.")
    followup = open_followup(engagement)
    if followup is None:
        raise WrongStage("The follow-up has opened already.")
    record(actor, "engagement", engagement.id, "followup_opened_early")
    db.session.commit()
    return followup


def open_due_followups(now: datetime | None = None) -> int:
    """Opens every follow-up that is due; returns how many opened (`flask mail worker` runs it)."""
    now = now or utcnow()
    cutoff = now - timedelta(days=followup_days())
    due = db.session.scalars(
        select(Engagement)
        .outerjoin(FollowupRound, FollowupRound.engagement_id == Engagement.id)
        .where(
            Engagement.status == EngagementStatus.COMPLETED,
            Engagement.completed_at <= cutoff,
            FollowupRound.id.is_(None),
        )
    ).all()
    return sum(open_followup(engagement, now) is not None for engagement in due)


def send_links(followup: FollowupRound, members: list[TeamMember]) -> int:

    engagement = followup.engagement
    need = engagement.need
    messages = [
        compose(
            Letter(
                "followup_invite",
                member.email or "",  # plan_members keeps only members with an address
                f"{need.organisation.name} · {need.team.name}: what you kept from “{need.title}”",
                need.organisation_id,
            ),
            member=member,
            engagement=engagement,
            followup=followup,
            skills=plan_skills(engagement),
            link=absolute_url("followups.answer", followup_token=link_token(followup, member.id)),
        )
        for member in members
    ]
    db.session.rollback()
    post(messages)
    return len(messages)


def is_open(followup: FollowupRound, now: datetime) -> bool:
    return followup.closes_at > now


def _invite(token: str) -> FollowupInvite | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return db.session.scalar(select(FollowupInvite).where(FollowupInvite.token_hash == hash_token(token)))


@dataclass(frozen=True)
class FollowupContext:
    """What a link's page asks about; nothing about who holds the link."""

    team: str
    organisation: str
    freelancer: str
    purpose: str
    skills: tuple[str, ...]


def link_context(token: str) -> FollowupContext | None:
    """The questions behind a link of an open follow-up, used or not; None otherwise."""
    invite = _invite(token)
    if invite is None or not is_open(invite.round, utcnow()):
        return None
    engagement = invite.round.engagement
    need = engagement.need
    return FollowupContext(
        need.team.name, need.organisation.name, engagement.profile.user.name, need.title, tuple(plan_skills(engagement))
    )


class LinkUnusable(Exception):
    """Used already, or closed, by the time the answers arrived."""


def answer(token: str, levels: dict[str, int]) -> None:
    """Stores one rating row per skill and uses up the link, atomically. `levels` must rate every
    plan skill, 1-5 (the form checks; ValueError here otherwise)."""
    invite = _invite(token)
    if invite is None or not is_open(invite.round, utcnow()):
        raise LinkUnusable()
    skills = plan_skills(invite.round.engagement)
    if sorted(levels, key=str.lower) != skills or any(level not in LEVELS for level in levels.values()):
        raise ValueError("rate every skill of the plan from 1 to 5")
    claimed = db.session.execute(
        update(FollowupInvite).where(FollowupInvite.id == invite.id, FollowupInvite.used.is_(False)).values(used=True),
        execution_options={"synchronize_session": False},
    ).rowcount  # type: ignore[attr-defined]  # an UPDATE returns a CursorResult
    if claimed != 1:
        db.session.rollback()
        raise LinkUnusable()
    rows = [FollowupRating(round_id=invite.round_id, skill_label=skill, level=level) for skill, level in levels.items()]
    random.SystemRandom().shuffle(rows)
    db.session.add_all(rows)
    db.session.commit()


def close_followup(engagement: Engagement, *, actor: User) -> None:
    """The leader closes the follow-up early: unused links stop working, self-ratings may show."""
    if require_party(engagement, actor) is not Capacity.LEADER:
        abort(403)
    followup = engagement.followup
    if followup is None or not is_open(followup, utcnow()):
        raise EngagementError("The follow-up is not open.")
    followup.closes_at = utcnow()
    record(actor, "engagement", engagement.id, "followup_closed")
    db.session.commit()


def set_followup_levels(engagement: Engagement, levels: dict[int, int | None], *, actor: User) -> int:
    """The leader's assessed level at follow-up for many plan items in one commit (item id ->
    level, None for not assessed). Only the leader, only once the follow-up has opened; the
    freelancer can't touch it (their record is built from it). Returns how many changed."""
    if require_party(engagement, actor) is not Capacity.LEADER:
        raise EngagementError("The team's leader records the levels assessed at follow-up.")
    if engagement.followup is None:
        raise WrongStage("The follow-up has not opened yet: assessed levels are recorded once it has.")
    items = {item.id: item for item in engagement.plan_items}
    if any(item_id not in items for item_id in levels):
        abort(404)
    if any(level is not None and level not in LEVELS for level in levels.values()):
        raise EngagementError("Levels go from 1 (aware) to 5 (expert).")
    changed = 0
    for item_id, level in levels.items():
        item: TransferPlanItem = items[item_id]
        if item.followup_level != level:
            record(
                actor,
                "engagement",
                engagement.id,
                "followup_level",
                item_id=item.id,
                old=item.followup_level,
                new=level,
            )
            item.followup_level = level
            changed += 1
    if changed:
        engagement.updated_at = utcnow()  # records (freelancers/records.py) notice the engagement changed
        db.session.commit()
    return changed


@dataclass(frozen=True)
class SelfRating:
    skill: str
    mean: float
    ratings: int


@dataclass(frozen=True)
class FollowupSummary:
    followup: FollowupRound | None
    due: datetime | None
    invited: int
    answered: int
    open: bool
    self_ratings: tuple[SelfRating, ...]  # only skills with MIN_ANSWERS ratings, once closed

    @property
    def hidden_because(self) -> str | None:
        if self.followup is None:
            return None
        if self.open:
            return "Self-ratings appear when the follow-up closes, so no single answer can be singled out."
        if not self.self_ratings:
            return f"Fewer than {MIN_ANSWERS} self-ratings: hidden to protect anonymity."
        return None


def followup_summary(engagement: Engagement) -> FollowupSummary:
    followup = engagement.followup
    if followup is None:
        return FollowupSummary(None, due_on(engagement), 0, 0, False, ())
    still_open = is_open(followup, utcnow())
    by_skill: dict[str, list[int]] = {}
    for rating in followup.ratings:
        by_skill.setdefault(rating.skill_label, []).append(rating.level)
    shown = (
        ()
        if still_open
        else tuple(
            SelfRating(skill, sum(levels) / len(levels), len(levels))
            for skill, levels in sorted(by_skill.items(), key=lambda pair: pair[0].lower())
            if len(levels) >= MIN_ANSWERS
        )
    )
    used = sum(1 for invite in followup.invites if invite.used)
    return FollowupSummary(followup, due_on(engagement), len(followup.invites), used, still_open, shown)
