"""What happens inside a started engagement: sessions, artifacts and pulse check-ins.

Check-in answers drift with the engagement's intent: augmentation-focused teams grow safer and
more collaborative round by round, automation-focused ones less so, so the program manager's
side-by-side view has a story to tell."""

from __future__ import annotations

import random
import re
import secrets
from datetime import date, datetime, timedelta

from ..engagements.checkins.services import link_token
from ..engagements.links import hash_token
from ..models import (
    Artifact,
    CheckinInvite,
    CheckinResponse,
    CheckinRound,
    Engagement,
    EngagementSession,
    EngagementStatus,
    Intent,
    SessionKind,
    TeamMember,
)
from .stories import ARTIFACTS, CHECKIN_COMMENTS, KICK_OFF, SESSION_MINUTES, SESSION_NOTES
from .world import World, at

ROUND_EVERY = timedelta(days=14)
ROUND_OPEN_FOR = timedelta(days=5)
# (safety trend per round, collaboration base, workload base) by intent
DRIFT = {Intent.AUGMENT: (0.35, 3.6, 2.8), Intent.BALANCED: (0.15, 3.2, 3.0), Intent.AUTOMATE: (-0.15, 2.6, 3.5)}


def add_activity(world: World, engagement: Engagement, first_day: date, last_day: date) -> None:
    """Sessions, artifacts and check-in rounds between the first and the last working day."""
    engagement.sessions = _sessions(world, engagement, first_day, last_day)
    engagement.artifacts = _artifacts(world, engagement)
    engagement.checkin_rounds = _rounds(world, engagement, first_day, last_day)


def _sessions(world: World, engagement: Engagement, first_day: date, last_day: date) -> list[EngagementSession]:
    rng = world.rng
    span = max(1, (last_day - first_day).days)
    days = sorted(rng.sample(range(span + 1), min(span + 1, max(2, span // rng.randint(4, 6)))))
    learners = list(dict.fromkeys(item.team_member for item in engagement.plan_items))
    unused_notes = {kind: rng.sample(notes, len(notes)) for kind, notes in SESSION_NOTES.items()}
    sessions = []
    for i, offset in enumerate(days):
        kind = _session_kind(rng, i, len(days), engagement.status)
        attendees = learners
        if kind is not SessionKind.WORKSHOP:
            attendees = rng.sample(learners, min(len(learners), rng.randint(1, 2)))
        items = [item for item in engagement.plan_items if item.team_member in attendees]
        items = rng.sample(items, min(len(items), rng.randint(1, 3)))
        person = attendees[0]
        if not unused_notes[kind]:  # every note told once: tell them again in a new order
            unused_notes[kind] = rng.sample(SESSION_NOTES[kind], len(SESSION_NOTES[kind]))
        notes = (KICK_OFF if i == 0 else unused_notes[kind].pop()).format(
            work=world.work_of[engagement.need],
            skill=items[0].skill_label if items else "the new workflow",
            member=person.name,
            first=person.name.split()[0],
            n=rng.randint(6, 25),
        )
        sessions.append(
            EngagementSession(
                kind=kind,
                held_on=first_day + timedelta(days=offset),
                minutes=rng.choice(SESSION_MINUTES[kind]),
                notes=notes,
                logged_by_id=engagement.profile.user_id,
                attendees=list(attendees),
                plan_items=items,
            )
        )
    return sessions


def _session_kind(rng: random.Random, index: int, count: int, status: EngagementStatus) -> SessionKind:
    if index == 0:
        return SessionKind.WORKSHOP
    if index == 1:
        return SessionKind.PAIRING
    if index == count - 1 and status is EngagementStatus.COMPLETED:
        return SessionKind.REFLECTION
    kinds = (
        SessionKind.PAIRING,
        SessionKind.MENTORING,
        SessionKind.REVIEW,
        SessionKind.WORKSHOP,
        SessionKind.REFLECTION,
    )
    return rng.choices(kinds, weights=(5, 3, 2, 1, 1))[0]


def _artifacts(world: World, engagement: Engagement) -> list[Artifact]:
    rng = world.rng
    count = {EngagementStatus.COMPLETED: rng.randint(3, 4), EngagementStatus.ACTIVE: 2}.get(engagement.status, 1)
    need = engagement.need
    base = f"https://example.com/{_slug(need.organisation.name)}/{_slug(need.team.name)}/engagement-{engagement.id}"
    artifacts = []
    for kind, title in ARTIFACTS[:count]:
        title = title.format(work=world.work_of[need])
        artifacts.append(
            Artifact(
                kind=kind,
                title=title[0].upper() + title[1:],
                url=f"{base}/{_slug(title)}",
                team_owned=engagement.status is EngagementStatus.COMPLETED or rng.random() < 0.3,
            )
        )
    return artifacts


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _rounds(world: World, engagement: Engagement, first_day: date, last_day: date) -> list[CheckinRound]:
    members = world.members[engagement.need.team_id]
    rounds, opened, index = [], at(first_day + timedelta(days=7), 9), 0
    while opened.date() <= last_day:
        rounds.append(_round(world, engagement, members, opened, index))
        opened, index = opened + ROUND_EVERY, index + 1
    return rounds


def _round(
    world: World, engagement: Engagement, members: list[TeamMember], opened: datetime, index: int
) -> CheckinRound:
    rng = world.rng
    closes = opened + ROUND_OPEN_FOR
    still_open = closes > world.now
    share = rng.uniform(0.3, 0.6) if still_open else rng.uniform(0.6, 0.9)
    answering = set(rng.sample(members, max(1, round(len(members) * share))))
    checkin = CheckinRound(opened_at=opened, closes_at=closes, link_salt=secrets.token_hex(16))
    # The links work as the app's own would (a reminder can send them again); whose is not kept.
    checkin.invites = [
        CheckinInvite(token_hash=hash_token(link_token(checkin, member.id)), used=member in answering)
        for member in members
    ]
    checkin.responses = [_response(rng, engagement.need.intent, index) for _ in answering]
    return checkin


def _response(rng: random.Random, intent: Intent, index: int) -> CheckinResponse:
    trend, collaboration, workload = DRIFT[intent]

    def scale(base: float) -> int:
        return max(1, min(5, round(base + rng.gauss(0, 0.7))))

    safety = 3.1 + trend * index
    answer = CheckinResponse(
        safety_mistakes=scale(safety),
        safety_risks=scale(safety - 0.3),
        safety_asking=scale(safety + 0.3),
        peer_trust=scale(3.4 + trend * index),
        collaboration=scale(collaboration + trend * index),
        goal_clarity=scale(3.0 + 0.25 * index),
        workload=scale(workload - 0.1 * index),
    )
    if rng.random() < 0.35:
        mood = (answer.safety_mistakes + answer.safety_risks + answer.safety_asking) / 3
        tone = "good" if mood >= 3.7 else "mixed" if mood >= 2.5 else "concern"
        answer.comment = rng.choice(CHECKIN_COMMENTS[tone])
    return answer
