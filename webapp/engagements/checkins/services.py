"""Pulse check-ins: a personal link e-mailed to each team member, anonymous answers, guarded results.

Who can learn what is written down in the README (*Check-in anonymity*). In short:
- A link is e-mailed to its member and shown to nobody else. Its token is an HMAC of the round's
  salt and the member, under a key derived from SECRET_KEY: the database keeps only its hash, and
  a reminder can send the same link again without any table saying whose link is whose.
- An invite row says only that some link of the round exists and whether it was used; an answer
  row has a random id, its round and what was answered: no person, no invite, no time.
- The link page looks the same before and after use; only a submit says it was used already.
- Only members who were on the team (with an address) when the round opened get a link.
- Results show once the round has closed with at least MIN_ANSWERS answers, comments only as a
  set of at least MIN_ANSWERS, sorted so their order says nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import abort
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from ...audit import record
from ...extensions import db
from ...models import (
    CheckinInvite,
    CheckinResponse,
    CheckinRound,
    Engagement,
    EngagementStatus,
    FreelancerProfile,
    Need,
    TeamMember,
    User,
    utcnow,
)
from ..indicators import MIN_ANSWERS, Answer, Pulse, pulse_of
from ..links import MAX_TOKEN_LENGTH, hash_token, member_token
from ..plan.services import team_members
from ..services import Capacity, EngagementError, WrongStage, require_active, require_editor

DAYS_OPEN = 7


def link_token(checkin: CheckinRound, member_id: int) -> str:
    """The member's token for this round: 256 bits nobody can compute without SECRET_KEY."""
    return member_token(checkin.link_salt, member_id, b"tandem check-in links")


def invited_members(engagement: Engagement, opened_at: datetime) -> list[TeamMember]:
    """Who gets a link: members with an e-mail address who were on the team when the round opened."""
    return [member for member in team_members(engagement) if member.email and member.created_at <= opened_at]


def is_open(checkin: CheckinRound, now: datetime) -> bool:
    return checkin.closes_at > now and checkin.engagement.status is EngagementStatus.ACTIVE


def _hold(engagement: Engagement) -> None:
    """Takes the engagement's row lock, so two rounds opened at once are decided one after the other."""
    db.session.execute(
        update(Engagement).where(Engagement.id == engagement.id).values(updated_at=utcnow()),
        execution_options={"synchronize_session": False},
    )


def open_round(engagement: Engagement, *, actor: User, days: int = DAYS_OPEN) -> CheckinRound:
    """Opens a round and e-mails each invited member their link (after the commit)."""
    if require_editor(engagement, actor) is not Capacity.LEADER:
        abort(403)
    require_active(engagement, "opening a check-in")
    _hold(engagement)
    now = utcnow()
    db.session.refresh(engagement, ["checkin_rounds"])
    if any(is_open(existing, now) for existing in engagement.checkin_rounds):
        db.session.rollback()
        raise WrongStage("A check-in round is still open: close it before opening another.")
    members = invited_members(engagement, now)
    if len(members) < MIN_ANSWERS:
        db.session.rollback()
        raise EngagementError(
            f"A check-in needs at least {MIN_ANSWERS} team members with an e-mail address, so answers stay "
            "anonymous: add team members or their addresses first."
        )
    checkin = CheckinRound(engagement=engagement, opened_at=now, closes_at=now + timedelta(days=days))
    db.session.add(checkin)
    db.session.flush()
    invites = [CheckinInvite(token_hash=hash_token(link_token(checkin, member.id))) for member in members]
    random.SystemRandom().shuffle(invites)  # rows in no particular order
    checkin.invites = invites
    record(actor, "engagement", engagement.id, "checkin_opened", round_id=checkin.id, invited=len(invites))
    db.session.commit()
    from .mail import send_links  # here: the round's mail builds on this module (a cycle)

    send_links(checkin, members, reminder=False)
    return checkin


def close_round(engagement: Engagement, round_id: int, *, actor: User) -> None:
    """Closes a round early: its unused links stop working and its results can show."""
    if require_editor(engagement, actor) is not Capacity.LEADER:
        abort(403)
    checkin = next((r for r in engagement.checkin_rounds if r.id == round_id), None)
    if checkin is None:
        abort(404)
    now = utcnow()
    if not is_open(checkin, now):
        raise EngagementError("This check-in round is already closed.")
    checkin.closes_at = now
    record(actor, "engagement", engagement.id, "checkin_closed", round_id=checkin.id)
    db.session.commit()


def close_open_rounds(engagement: Engagement, now: datetime) -> None:
    """When an engagement ends, its open round ends with it (the caller commits)."""
    for checkin in engagement.checkin_rounds:
        if checkin.closes_at > now:
            checkin.closes_at = now


def _invite(token: str, *, with_context: bool = False) -> CheckinInvite | None:
    """The link's invite with its round and engagement (whether it is open), and with what its
    page names when `with_context`, in one query: a link is opened far more often than anything
    else in an engagement."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    engagement = joinedload(CheckinInvite.round).joinedload(CheckinRound.engagement)
    query = select(CheckinInvite).where(CheckinInvite.token_hash == hash_token(token)).options(engagement)
    if with_context:
        need = engagement.joinedload(Engagement.need)
        query = query.options(
            need.joinedload(Need.team),
            need.joinedload(Need.organisation),
            need.joinedload(Need.goal),
            engagement.joinedload(Engagement.profile).joinedload(FreelancerProfile.user),
        )
    return db.session.scalar(query)


def link_open(token: str) -> bool:
    """Whether the link's round still takes answers. Used or not, a link of an open round gets
    the same page: whether it was used shows only once someone submits."""
    invite = _invite(token)
    return invite is not None and is_open(invite.round, utcnow())


@dataclass(frozen=True)
class CheckinContext:
    """What a link's page says the questions are about; nothing about who holds the link."""

    team: str
    organisation: str
    freelancer: str
    purpose: str
    goal: str | None


def link_context(token: str) -> CheckinContext | None:
    """The team, the freelancer and the engagement's purpose behind a link of an open round,
    used or not (the page must look the same either way); None otherwise."""
    invite = _invite(token, with_context=True)
    if invite is None or not is_open(invite.round, utcnow()):
        return None
    engagement = invite.round.engagement
    need = engagement.need
    return CheckinContext(
        need.team.name,
        need.organisation.name,
        engagement.profile.user.name,
        need.title,
        need.goal.title if need.goal else None,
    )


class LinkUnusable(Exception):
    """The link was used already, or its round closed, by the time the answers arrived."""


def answer(token: str, given: Answer, comment: str = "") -> None:
    """Stores one anonymous answer and uses up the link, atomically: a second try changes nothing."""
    invite = _invite(token)
    if invite is None or not is_open(invite.round, utcnow()):
        raise LinkUnusable()
    claimed = db.session.execute(
        update(CheckinInvite).where(CheckinInvite.id == invite.id, CheckinInvite.used.is_(False)).values(used=True),
        execution_options={"synchronize_session": False},
    ).rowcount  # type: ignore[attr-defined]  # an UPDATE returns a CursorResult
    if claimed != 1:
        db.session.rollback()
        raise LinkUnusable()
    db.session.add(CheckinResponse(round_id=invite.round_id, comment=comment, **vars(given)))
    db.session.commit()


@dataclass(frozen=True)
class RoundSummary:
    checkin: CheckinRound
    invited: int
    answered: int
    open: bool
    pulse: Pulse | None
    comments: tuple[str, ...]

    @property
    def hidden_because(self) -> str | None:
        if self.open:
            return "Results appear when the round closes, so no single answer can be singled out."
        if self.pulse is None:
            return f"Fewer than {MIN_ANSWERS} answers: hidden to protect anonymity."
        return None


def round_summaries(engagement: Engagement) -> list[RoundSummary]:
    """Every round, oldest first, with results only where they can't point at a person."""
    now = utcnow()
    return [_summary(checkin, now) for checkin in engagement.checkin_rounds]


def _summary(checkin: CheckinRound, now: datetime) -> RoundSummary:
    still_open = is_open(checkin, now)
    answers = [_as_answer(response) for response in checkin.responses]
    pulse = None if still_open else pulse_of(answers)
    comments = sorted(r.comment for r in checkin.responses if r.comment) if pulse else []
    # A comment shows only among at least MIN_ANSWERS of them, in an order that says nothing.
    shown = tuple(comments) if len(comments) >= MIN_ANSWERS else ()
    used = sum(1 for invite in checkin.invites if invite.used)
    return RoundSummary(checkin, len(checkin.invites), used, still_open, pulse, shown)


def _as_answer(response: CheckinResponse) -> Answer:
    return Answer(
        safety_mistakes=response.safety_mistakes,
        safety_risks=response.safety_risks,
        safety_asking=response.safety_asking,
        peer_trust=response.peer_trust,
        collaboration=response.collaboration,
        goal_clarity=response.goal_clarity,
        workload=response.workload,
    )
