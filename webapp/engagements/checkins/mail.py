"""The e-mails of a check-in round: each invited member's link when it opens, and once more
shortly before it closes. Sent after the commit; every message names the organisation, the team
and the engagement. The reminder goes to every invited member, answered or not: who gets one
must not say who has answered."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from ...extensions import db
from ...mail import Letter, absolute_url, compose, post
from ...models import CheckinRound, Engagement, EngagementStatus, TeamMember, utcnow
from ..links import hash_token
from .services import invited_members, link_token

REMIND_BEFORE = timedelta(days=1)


def send_links(checkin: CheckinRound, members: list[TeamMember], *, reminder: bool) -> int:
    """E-mails each member their own link; returns how many were posted."""
    engagement = checkin.engagement
    known = {invite.token_hash for invite in checkin.invites}
    kind = "checkin_reminder" if reminder else "checkin_invite"
    messages = []
    for member in members:
        token = link_token(checkin, member.id)
        if not member.email:  # invited_members keeps only members with an address
            continue
        if hash_token(token) not in known:  # SECRET_KEY changed since the round opened: no working link
            continue
        messages.append(
            compose(
                _letter(kind, member.email, engagement, checkin),
                member=member,
                engagement=engagement,
                checkin=checkin,
                link=absolute_url("checkins.answer", token=token),
            )
        )
    db.session.rollback()  # done reading: no transaction stays open while the mail goes out
    post(messages)
    return len(messages)


def _letter(kind: str, to: str, engagement: Engagement, checkin: CheckinRound) -> Letter:
    need = engagement.need
    if kind == "checkin_reminder":
        subject = f"Reminder: the {need.team.name} check-in closes {checkin.closes_at:%d %b}"
    else:
        subject = f"{need.organisation.name} · {need.team.name}: a two-minute, anonymous check-in"
    return Letter(kind, to, subject, need.organisation_id)


def remind_at(checkin: CheckinRound) -> datetime:
    """A day before it closes, or half-way for a round that lasts less than two days."""
    opened, closes = checkin.opened_at, checkin.closes_at
    return max(closes - REMIND_BEFORE, opened + (closes - opened) / 2)


def send_due_reminders(now: datetime | None = None) -> int:
    """Reminds the members of every open round whose reminder is due; returns how many rounds.
    A round is claimed by a conditional UPDATE, so two workers never remind it twice."""
    now = now or utcnow()
    candidates = db.session.scalars(
        select(CheckinRound)
        .join(CheckinRound.engagement)
        .where(
            CheckinRound.reminded_at.is_(None),
            CheckinRound.closes_at > now,
            Engagement.status == EngagementStatus.ACTIVE,
        )
    ).all()
    reminded = 0
    for checkin in candidates:
        if remind_at(checkin) > now or not _claim(checkin, now):
            continue
        send_links(checkin, invited_members(checkin.engagement, checkin.opened_at), reminder=True)
        reminded += 1
    return reminded


def _claim(checkin: CheckinRound, now: datetime) -> bool:
    claimed = db.session.execute(
        update(CheckinRound)
        .where(CheckinRound.id == checkin.id, CheckinRound.reminded_at.is_(None))
        .values(reminded_at=now),
        execution_options={"synchronize_session": False},
    ).rowcount  # type: ignore[attr-defined]  # an UPDATE returns a CursorResult
    db.session.commit()
    return claimed == 1
