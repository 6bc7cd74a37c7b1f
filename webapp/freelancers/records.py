"""Transfer records from the database: each freelancer's completed engagements (never cancelled
ones, never a closed account's) as `matching.track_record` results, shrunk towards the
population's mean outcome. The maths is in matching/track_record.py; here are the rows and who
may see what:
- the freelancer sees their own record and the engagements behind it, whatever their number;
- everyone else sees only the aggregate, and only from MIN_ENGAGEMENTS engagements on;
- ranking uses the record only from MIN_ENGAGEMENTS on (below, the prior: a factor of 1).
Nothing is stored: each process reads every record's inputs once and again whenever a completed
engagement or an account changes (`_version`), so a change (a rating, a follow-up level, a
deleted account) is in the next ranking at once.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, false, func, select

from matching import EngagementResult, TrackRecord, population_prior, transfer_record

from ..engagements import indicators
from ..extensions import db
from ..models import Engagement, EngagementStatus, FreelancerProfile, Need, Organisation, User, utcnow
from ..programs.facts import plan_levels_of, rounds_of


@dataclass(frozen=True)
class RecordEngagement:
    """One engagement behind a record, as its freelancer sees it."""

    engagement_id: int
    need_title: str
    organisation: str
    completed_on: date | None
    result: EngagementResult


def _completed(profile_ids: Iterable[int] | None) -> Select:
    query = (
        select(Engagement.id)
        .join(FreelancerProfile, Engagement.profile_id == FreelancerProfile.id)
        .join(User, FreelancerProfile.user_id == User.id)
        .where(Engagement.status == EngagementStatus.COMPLETED, User.is_active_account.is_(True))
    )
    if profile_ids is not None:
        query = query.where(Engagement.profile_id.in_(list(profile_ids)))
    return query


def _results(ids: Select, now: datetime) -> dict[int, EngagementResult]:
    """Engagement id -> its result: transferred, kept, health change (last round with results
    minus the first) and rating."""
    levels, rounds = plan_levels_of(ids), rounds_of(ids, now)
    ratings = dict(
        db.session.execute(select(Engagement.id, Engagement.outcome_rating).where(Engagement.id.in_(ids))).all()
    )
    results = {}
    for engagement_id, rating in ratings.items():
        plan = list(levels.get(engagement_id, []))
        healths = [r.health for r in rounds.get(engagement_id, [])]
        results[engagement_id] = EngagementResult(
            transferred=indicators.transfer_progress(plan).share,
            kept=indicators.capability_kept(plan).share,
            health_change=healths[-1] - healths[0] if len(healths) > 1 else None,
            rating=rating,
        )
    return results


@dataclass(frozen=True)
class _Snapshot:
    version: tuple
    prior: float
    results: dict[int, list[EngagementResult]]  # profile id -> its completed engagements' results


_snapshots: dict[str, _Snapshot] = {}
_snapshot_lock = threading.Lock()


def _version() -> tuple:
    """What changes whenever any record can: completed engagements (their number and latest
    change: completion, rating, follow-up levels touch the engagement) and closed accounts
    (an account is closed, never reopened: their number moves when one closes)."""
    completed = db.session.execute(
        select(func.count(Engagement.id), func.max(Engagement.updated_at)).where(
            Engagement.status == EngagementStatus.COMPLETED
        )
    ).one()
    closed = db.session.scalar(select(func.count(User.id)).where(User.is_active_account == false()))
    return (completed[0], str(completed[1]), closed)


def _snapshot() -> _Snapshot:
    """Every record's inputs, read once per process and again only when `_version` moves: a
    ranking looks up a pool of a hundred candidates or more, several times a page."""
    key, version = f"{db.engine.url}#{id(db.engine)}", _version()
    with _snapshot_lock:
        cached = _snapshots.get(key)
    if cached is not None and cached.version == version:
        return cached
    ids = _completed(None)
    results = _results(ids, utcnow())
    owners = defaultdict(list)
    for engagement_id, profile_id in db.session.execute(
        select(Engagement.id, Engagement.profile_id).where(Engagement.id.in_(ids)).order_by(Engagement.id)
    ):
        owners[profile_id].append(results[engagement_id])
    snapshot = _Snapshot(version, population_prior(results.values()), dict(owners))
    with _snapshot_lock:
        _snapshots[key] = snapshot
    return snapshot


def prior() -> float:
    """The population's mean outcome over every completed engagement."""
    return _snapshot().prior


def forget_prior() -> None:
    with _snapshot_lock:
        _snapshots.clear()


def records_for(profile_ids: Iterable[int]) -> dict[int, TrackRecord]:
    """Every given profile's record (one of 0 engagements for those without any)."""
    snapshot = _snapshot()
    return {pid: transfer_record(snapshot.results.get(pid, []), snapshot.prior) for pid in profile_ids}


def record_of(profile: FreelancerProfile) -> TrackRecord:
    return records_for([profile.id])[profile.id]


def engagements_behind(profile: FreelancerProfile) -> list[RecordEngagement]:
    """The freelancer's own completed engagements with their figures, newest first: for their eyes
    only (per-engagement figures of one team could point at that team)."""
    ids = _completed([profile.id])
    results = _results(ids, utcnow())
    rows = db.session.execute(
        select(Engagement.id, Need.title, Organisation.name, Engagement.completed_at)
        .join(Need, Engagement.need_id == Need.id)
        .join(Organisation, Need.organisation_id == Organisation.id)
        .where(Engagement.id.in_(ids))
        .order_by(Engagement.completed_at.desc(), Engagement.id.desc())
    ).all()
    return [
        RecordEngagement(eid, title, org, done.date() if done else None, results[eid]) for eid, title, org, done in rows
    ]
