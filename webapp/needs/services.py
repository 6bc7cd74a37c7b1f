"""Leaders' needs: reading them within the organisation, saving them, moving their status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask import abort
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from matching import AugmentationFocus, Evidence, NeedDoc, need_lean

from ..audit import record
from ..extensions import db
from ..invitations.services import withdraw_open_invitations
from ..models import (
    CompanyGoal,
    FreelancerProfile,
    Intent,
    Interest,
    Invitation,
    InvitationStatus,
    ItemKind,
    Need,
    NeedSkill,
    NeedStatus,
    Role,
    ShortlistEntry,
    Team,
    User,
)
from ..scope import led_team_ids, sees_team, visible_profiles
from ..search.engine import embedder
from ..search.indexes import commit_with_vectors
from ..skills.entries import Unrecognised, normalise_entries, replace_skills
from ..skills.taxonomy import taxonomy


class NeedError(Exception):
    """A request the need's current state doesn't allow; the message is for people."""


@dataclass(frozen=True)
class NeedInput:
    title: str
    description: str
    team_id: int
    goal_id: int | None
    intent: Intent
    skills: list[tuple[str, int]]
    learning_goals: str
    duration_weeks: int | None = None
    hours_per_week: int | None = None
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    budget_firm: bool = False
    team_gap: bool = True  # weigh the skills by the team's gap (matching.team_gap)
    timezone: str | None = None
    remote: bool = True
    internal_notes: str = ""
    draft: bool = False  # saved as a draft: freelancers don't see it until it is opened


TRANSITIONS = {
    NeedStatus.DRAFT: {NeedStatus.OPEN, NeedStatus.CLOSED},
    NeedStatus.OPEN: {NeedStatus.PAUSED, NeedStatus.CLOSED},
    NeedStatus.PAUSED: {NeedStatus.OPEN, NeedStatus.CLOSED},
    NeedStatus.CLOSED: set(),
}


def teams_and_goals(viewer: User) -> tuple[list[Team], list[CompanyGoal]]:
    """The teams the viewer acts for (a leader: the ones they lead) and the organisation's goals."""
    org_id = viewer.organisation_id
    query = select(Team).where(Team.organisation_id == org_id)
    if (led := led_team_ids(viewer)) is not None:
        query = query.where(Team.id.in_(led))
    teams = list(db.session.scalars(query.order_by(Team.name)))
    goals = list(
        db.session.scalars(select(CompanyGoal).where(CompanyGoal.organisation_id == org_id).order_by(CompanyGoal.title))
    )
    return teams, goals


def need_in_organisation(viewer: User, need_id: int) -> Need:
    """The need if it is in the viewer's scope (their organisation; for a leader, a team they
    lead); 404 otherwise (no hint it exists)."""
    need = db.session.scalar(
        select(Need)
        .where(Need.id == need_id)
        .options(selectinload(Need.skills).selectinload(NeedSkill.skill), joinedload(Need.goal), joinedload(Need.team))
    )
    if need is None or viewer.role is Role.FREELANCER or not sees_team(viewer, need.organisation_id, need.team_id):
        abort(404)
    return need


def save_need(data: NeedInput, *, actor: User, need: Need | None = None) -> tuple[Need, list[Unrecognised]]:
    """Creates or updates a need, with its vector, in one commit; returns it and the skills kept
    as free text."""
    teams, goals = teams_and_goals(actor)
    if data.team_id not in {team.id for team in teams}:
        raise NeedError("Pick one of your organisation's teams.")
    if data.goal_id is not None and data.goal_id not in {goal.id for goal in goals}:
        raise NeedError("Pick one of your organisation's goals.")
    entries, free_text = normalise_entries(data.skills)
    creating = need is None
    if need is None:
        need = Need(
            organisation_id=actor.organisation_id,
            created_by=actor,
            status=NeedStatus.DRAFT if data.draft else NeedStatus.OPEN,
        )
        db.session.add(need)
    opening = not creating and need.status is NeedStatus.DRAFT and not data.draft
    for name in (
        "title",
        "description",
        "team_id",
        "goal_id",
        "intent",
        "learning_goals",
        "duration_weeks",
        "hours_per_week",
        "budget_min",
        "budget_max",
        "budget_firm",
        "team_gap",
        "remote",
        "internal_notes",
    ):
        setattr(need, name, getattr(data, name))
    need.timezone = data.timezone or None
    replace_skills(
        need,
        [
            NeedSkill(label=entry.label, skill=entry.skill, importance=entry.weight, position=position)
            for position, entry in enumerate(entries)
        ],
    )
    record(actor, "need", need.id, "created" if creating else "edited", to_state=need.status.value)
    if opening:
        need.status = NeedStatus.OPEN
        record(actor, "need", need.id, "status_changed", from_state="draft", to_state="open")
    commit_with_vectors(ItemKind.NEED, [need.id])
    return need, free_text


def change_status(need: Need, new_status: NeedStatus, *, actor: User) -> None:
    """Moves the need with a conditional UPDATE (from the state it was read in); a closed need
    takes back its waiting invitations in the same commit."""
    old = need.status
    if new_status not in TRANSITIONS[old]:
        raise NeedError(f"A {old.value} need can't be moved to {new_status.value}.")
    moved = db.session.execute(
        update(Need).where(Need.id == need.id, Need.status == old).values(status=new_status),
        execution_options={"synchronize_session": False},
    ).rowcount  # type: ignore[attr-defined]  # an UPDATE returns a CursorResult
    if moved != 1:
        db.session.rollback()
        raise NeedError("Someone changed this need's status a moment ago: look again before changing it.")
    need.status = new_status  # through the ORM as well, so the index learns of it (search/changes.py)
    if new_status is NeedStatus.CLOSED:
        withdraw_open_invitations(need, actor=actor)
    record(actor, "need", need.id, "status_changed", from_state=old.value, to_state=new_status.value)
    db.session.commit()


@dataclass(frozen=True)
class NeedSummary:
    need: Need
    interested: int
    shortlisted: int
    invited: int
    accepted: int


STATUS_ORDER = [NeedStatus.OPEN, NeedStatus.DRAFT, NeedStatus.PAUSED, NeedStatus.CLOSED]
SORTS = {
    "newest": ("Newest first", lambda s: (s.need.created_at, s.need.id), True),
    "oldest": ("Oldest first", lambda s: (s.need.created_at, s.need.id), False),
    "title": ("Title", lambda s: s.need.title.lower(), False),
    "team": ("Team", lambda s: (s.need.team.name.lower(), s.need.title.lower()), False),
    "status": ("Status", lambda s: (STATUS_ORDER.index(s.need.status), s.need.title.lower()), False),
    "interested": ("Most interested", lambda s: (s.interested, s.need.created_at), True),
    "shortlisted": ("Most shortlisted", lambda s: (s.shortlisted, s.need.created_at), True),
    "invited": ("Most invited", lambda s: (s.invited, s.need.created_at), True),
    "accepted": ("Most accepted", lambda s: (s.accepted, s.need.created_at), True),
}


@dataclass(frozen=True)
class NeedList:
    """A page of the leader's home: the needs shown, and how many there are of each status."""

    summaries: list[NeedSummary]
    by_status: dict[NeedStatus, int]
    status: NeedStatus | None
    sort: str

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def need_list(viewer: User, *, status: NeedStatus | None = None, sort: str = "newest") -> NeedList:
    """The organisation's needs with their counts, of one status (all when None), sorted."""
    summaries = needs_with_counts(viewer)
    by_status = {state: sum(s.need.status is state for s in summaries) for state in STATUS_ORDER}
    shown = [s for s in summaries if status is None or s.need.status is status]
    _, key, newest_first = SORTS.get(sort, SORTS["newest"])
    shown.sort(key=key, reverse=newest_first)
    return NeedList(shown, by_status, status, sort if sort in SORTS else "newest")


def needs_with_counts(viewer: User) -> list[NeedSummary]:
    query = select(Need).where(Need.organisation_id == viewer.organisation_id)
    if (led := led_team_ids(viewer)) is not None:
        query = query.where(Need.team_id.in_(led))
    needs = list(
        db.session.scalars(
            query.options(selectinload(Need.team), selectinload(Need.goal)).order_by(
                Need.created_at.desc(), Need.id.desc()
            )
        )
    )
    ids = [need.id for need in needs]
    # Counted over the freelancers the viewer may see, as the lists behind the counts show them.
    seen = _visible_profile_ids(viewer, ids)
    shortlisted = _count_by_need(ShortlistEntry, ids, seen)
    interested = _count_by_need(Interest, ids, seen)
    invited: dict[int, int] = {}
    accepted: dict[int, int] = {}
    for need_id, status, count in db.session.execute(
        select(Invitation.need_id, Invitation.status, func.count())
        .where(Invitation.need_id.in_(ids))
        .where(Invitation.profile_id.in_(seen))
        .group_by(Invitation.need_id, Invitation.status)
    ):
        invited[need_id] = invited.get(need_id, 0) + count
        if status is InvitationStatus.ACCEPTED:
            accepted[need_id] = count
    return [
        NeedSummary(n, interested.get(n.id, 0), shortlisted.get(n.id, 0), invited.get(n.id, 0), accepted.get(n.id, 0))
        for n in needs
    ]


def _count_by_need(model, need_ids: list[int], profile_ids: set[int]) -> dict[int, int]:
    return dict(
        db.session.execute(
            select(model.need_id, func.count())
            .where(model.need_id.in_(need_ids), model.profile_id.in_(profile_ids))
            .group_by(model.need_id)
        ).all()
    )


def _visible_profile_ids(viewer: User, need_ids: list[int]) -> set[int]:
    """The freelancers related to these needs that the viewer may see."""
    related = set()
    for model in (ShortlistEntry, Interest, Invitation):
        related |= set(db.session.scalars(select(model.profile_id).where(model.need_id.in_(need_ids))))
    rows = db.session.scalars(
        select(FreelancerProfile).where(FreelancerProfile.id.in_(related)).options(selectinload(FreelancerProfile.user))
    )
    return set(visible_profiles(viewer, {profile.id: profile for profile in rows}))


def interested_profile_ids(need: Need) -> set[int]:
    return set(db.session.scalars(select(Interest.profile_id).where(Interest.need_id == need.id)))


@dataclass(frozen=True)
class InterestedFreelancer:
    profile: FreelancerProfile
    note: str
    said_at: datetime


def interested_freelancers(need: Need, *, viewer: User) -> list[InterestedFreelancer]:
    """Freelancers who said they want to work on the need, newest first, as far as the viewer
    may see them (a profile hidden since is left out)."""
    rows = db.session.execute(
        select(Interest, FreelancerProfile)
        .join(FreelancerProfile, Interest.profile_id == FreelancerProfile.id)
        .where(Interest.need_id == need.id)
        .order_by(Interest.created_at.desc(), Interest.id.desc())
    ).all()
    visible = visible_profiles(viewer, {profile.id: profile for _, profile in rows})
    return [
        InterestedFreelancer(profile, interest.note, interest.created_at)
        for interest, profile in rows
        if profile.id in visible
    ]


def read_lean(doc: NeedDoc) -> AugmentationFocus:
    """How a need's words lean (augment 1 .. automate 0), with the words behind it: what a need
    whose leader states no intent is ranked with."""
    return need_lean(doc, embedder(), skill_leans=taxonomy().leans)


def stored_lean(need: Need | None) -> AugmentationFocus | None:
    """The lean read when the need was last saved, or None."""
    if need is None or need.augment_lean is None:
        return None
    return AugmentationFocus(need.augment_lean, tuple(Evidence(**e) for e in need.lean_evidence or ()))
