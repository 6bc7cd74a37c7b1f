"""Pulse check-ins: personal one-time links for the team, anonymous answers, guarded results.

Each team member gets an unguessable link; only the SHA-256 of its token is stored, so the
links are shown to the leader once, when the round opens. An answer is not linked to its link,
and both are stamped only with the day, so the time of an answer can't point at a person.
A round's results show once it has closed with at least three answers: while it is open, each
new answer would move the averages and give away what that person said.
"""
from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask import abort
from sqlalchemy import select, update

from ..audit import record
from ..extensions import db
from ..models import CheckinInvite, CheckinResponse, CheckinRound, Engagement, User, utcnow
from .indicators import MIN_ANSWERS, Answer, Pulse, pulse_of
from .plan import team_members
from .services import Capacity, EngagementError, WrongStage, require_active, require_editor

TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 100
DAYS_OPEN = 7


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def day_of(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class IssuedLink:
    member_name: str
    token: str


def open_round(engagement: Engagement, *, actor: User, days: int = DAYS_OPEN) -> tuple[CheckinRound, list[IssuedLink]]:
    """Opens a round with one link per team member; the tokens exist only in the return value."""
    if require_editor(engagement, actor) is not Capacity.LEADER:
        abort(403)
    require_active(engagement, "opening a check-in")
    now = utcnow()
    if any(is_open(existing, now) for existing in engagement.checkin_rounds):
        raise WrongStage("A check-in round is still open: close it before opening another.")
    members = team_members(engagement)
    if len(members) < MIN_ANSWERS:
        raise EngagementError(
            f"A check-in needs at least {MIN_ANSWERS} team members so answers stay anonymous: add team members first.")
    checkin = CheckinRound(engagement=engagement, opened_at=now, closes_at=now + timedelta(days=days))
    links = [IssuedLink(member.name, secrets.token_urlsafe(TOKEN_BYTES)) for member in members]
    checkin.invites = [
        CheckinInvite(team_member_id=member.id, token_hash=hash_token(link.token), expires_at=checkin.closes_at)
        for member, link in zip(members, links)
    ]
    db.session.add(checkin)
    db.session.flush()
    record(actor, "engagement", engagement.id, "checkin_opened", round_id=checkin.id, invited=len(links))
    db.session.commit()
    return checkin, links


def is_open(checkin: CheckinRound, now: datetime) -> bool:
    return aware(checkin.closes_at) > now


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
    for invite in checkin.invites:
        invite.expires_at = min(aware(invite.expires_at), now)
    record(actor, "engagement", engagement.id, "checkin_closed", round_id=checkin.id)
    db.session.commit()


class LinkState(enum.Enum):
    USABLE = 200
    UNKNOWN = 404
    GONE = 410


def _invite(token: str) -> CheckinInvite | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return db.session.scalar(select(CheckinInvite).where(CheckinInvite.token_hash == hash_token(token)))


def _state(invite: CheckinInvite | None) -> LinkState:
    if invite is None:
        return LinkState.UNKNOWN
    if invite.used_at is not None or aware(invite.expires_at) <= utcnow():
        return LinkState.GONE
    return LinkState.USABLE


def link_state(token: str) -> LinkState:
    """Whether a check-in link can be answered; reads only, reveals nothing else."""
    return _state(_invite(token))


@dataclass(frozen=True)
class CheckinContext:
    """What a usable link's page says the questions are about; nothing about who holds the link."""

    team: str
    organisation: str
    freelancer: str
    purpose: str
    goal: str | None


def link_context(token: str) -> CheckinContext | None:
    """The team, the freelancer and the engagement's purpose behind a usable link; None otherwise."""
    invite = _invite(token)
    if _state(invite) is not LinkState.USABLE:
        return None
    engagement = invite.round.engagement
    need = engagement.need
    return CheckinContext(need.team.name, need.organisation.name, engagement.profile.user.name, need.title,
                          need.goal.title if need.goal else None)


class LinkUnusable(Exception):
    def __init__(self, state: LinkState):
        super().__init__(state.name)
        self.state = state


def answer(token: str, given: Answer, comment: str = "") -> None:
    """Stores one anonymous answer and uses up the link, atomically: a second try changes nothing."""
    invite = _invite(token)
    if (state := _state(invite)) is not LinkState.USABLE:
        raise LinkUnusable(state)
    now = utcnow()
    claimed = db.session.execute(
        update(CheckinInvite)
        .where(CheckinInvite.id == invite.id, CheckinInvite.used_at.is_(None), CheckinInvite.expires_at > now)
        .values(used_at=day_of(now)),
        execution_options={"synchronize_session": False},
    ).rowcount
    if claimed != 1:  # someone sent the same link a moment earlier
        db.session.rollback()
        raise LinkUnusable(LinkState.GONE)
    db.session.add(CheckinResponse(round_id=invite.round_id, submitted_at=day_of(now), comment=comment, **vars(given)))
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
    comments = tuple(sorted(r.comment for r in checkin.responses if r.comment)) if pulse else ()
    return RoundSummary(checkin, len(checkin.invites), len(answers), still_open, pulse, comments)


def _as_answer(response: CheckinResponse) -> Answer:
    return Answer(
        safety_mistakes=response.safety_mistakes, safety_risks=response.safety_risks,
        safety_asking=response.safety_asking, peer_trust=response.peer_trust,
        collaboration=response.collaboration, goal_clarity=response.goal_clarity, workload=response.workload,
    )
