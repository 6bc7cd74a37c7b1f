"""Ranking exposure, logged as aggregates and reported to program managers.

Each time a leader's match page shows its first page, the top ten are counted by group: how much
record they have (none, little, long: matching.track_record.bucket) and their time-zone region
(the part of the IANA name before the slash). Only counts per organisation and day are kept,
one row per group: no user, no need, no profile, no time of day; rows older than RETAIN_DAYS
are deleted as new ones are written. The report sets each group's share of top-ten appearances
beside its share of the candidates (the rankable freelancers today).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from matching import record_bucket

from ..extensions import db
from ..models import Engagement, EngagementStatus, ExposureCount, FreelancerProfile, Need, User, Visibility

RETAIN_DAYS = 90
TOP = 10
RECORD_GROUPS = {"none": "No record", "little": "Little record (1–5 engagements)", "long": "Long record (6 or more)"}
ANYWHERE = "Not stated"


def region(timezone: str | None) -> str:
    """ "Europe/Berlin" -> "Europe"; no time zone -> "Not stated"."""
    return timezone.split("/", 1)[0] if timezone and "/" in timezone else (timezone or ANYWHERE)


FLUSH_SECONDS = 30.0  # counts wait in the process at most this long (or FLUSH_VIEWS views) before they are written
FLUSH_VIEWS = 50
_pending: dict[str, Counter] = {}  # per database (and engine): counts not written yet
_pending_lock = threading.Lock()
_last_flush: dict[str, float] = {}


def log_top(need: Need, matches, rows: dict, today: date | None = None) -> None:
    """Counts one view of the need's first page and its top ten by group. The counts gather in
    the process and are written every FLUSH_SECONDS or FLUSH_VIEWS views: a commit per page view
    cost a fifth of the match page's time on SQLite, and a report needs no second-by-second count
    (a process that dies loses at most that many seconds of counts)."""
    day = today or date.today()
    counts = Counter({(need.organisation_id, day, "views", "all"): 1})
    for match in matches[:TOP]:
        counts[
            (need.organisation_id, day, "record", record_bucket(match.record.engagements if match.record else 0))
        ] += 1
        profile = rows.get(match.id)
        counts[
            (need.organisation_id, day, "region", region(profile.timezone if profile is not None else None)[:64])
        ] += 1
    key = f"{db.engine.url}#{id(db.engine)}"
    with _pending_lock:
        pending = _pending.setdefault(key, Counter())
        pending.update(counts)
        last = _last_flush.setdefault(key, time.monotonic())
        due = (
            time.monotonic() - last >= FLUSH_SECONDS
            or sum(n for k, n in pending.items() if k[2] == "views") >= FLUSH_VIEWS
        )
    if due:
        flush(day)


def flush(today: date | None = None) -> None:
    """Writes the counts gathered in this process, in a transaction of its own on its own
    connection (the request's session and the rows its page shows stay as they are), and deletes
    counts older than RETAIN_DAYS."""
    today = today or date.today()
    key = f"{db.engine.url}#{id(db.engine)}"
    with _pending_lock:
        counts = dict(_pending.pop(key, {}))
        _last_flush[key] = time.monotonic()
    with db.engine.begin() as connection:
        for (organisation_id, day, dimension, group), n in counts.items():
            _add(connection, organisation_id, day, dimension, group, n)
        connection.execute(delete(ExposureCount).where(ExposureCount.day < today - timedelta(days=RETAIN_DAYS)))


def _add(connection, organisation_id: int, day: date, dimension: str, group: str, n: int) -> None:
    where = (
        ExposureCount.organisation_id == organisation_id,
        ExposureCount.day == day,
        ExposureCount.dimension == dimension,
        ExposureCount.bucket == group,
    )
    for _ in range(2):
        changed = connection.execute(update(ExposureCount).where(*where).values(count=ExposureCount.count + n))
        if changed.rowcount:
            return
        try:
            with connection.begin_nested():
                connection.execute(
                    insert(ExposureCount).values(
                        organisation_id=organisation_id, day=day, dimension=dimension, bucket=group, count=n
                    )
                )
            return
        except IntegrityError:  # another request inserted the row first: add to it
            continue


@dataclass(frozen=True)
class GroupShare:
    group: str
    label: str
    exposure: float | None  # share of top-ten appearances
    candidates: float | None  # share of the candidates

    @property
    def ratio(self) -> float | None:
        if self.exposure is None or not self.candidates:
            return None
        return self.exposure / self.candidates


@dataclass(frozen=True)
class ExposureReport:
    views: int
    appearances: int
    record: list[GroupShare]
    region: list[GroupShare]
    candidates: int


def exposure_report(organisation_id: int, today: date | None = None) -> ExposureReport:
    today = today or date.today()
    flush(today)  # this process's latest counts first
    rows = db.session.execute(
        select(ExposureCount.dimension, ExposureCount.bucket, func.sum(ExposureCount.count))
        .where(
            ExposureCount.organisation_id == organisation_id, ExposureCount.day >= today - timedelta(days=RETAIN_DAYS)
        )
        .group_by(ExposureCount.dimension, ExposureCount.bucket)
    ).all()
    seen = {(dimension, group): int(n) for dimension, group, n in rows}
    views = seen.pop(("views", "all"), 0)
    by_record, by_region = _population()
    total = sum(by_record.values())
    record_seen = {g: n for (d, g), n in seen.items() if d == "record"}
    region_seen = {g: n for (d, g), n in seen.items() if d == "region"}
    appearances = sum(record_seen.values())
    return ExposureReport(
        views=views,
        appearances=appearances,
        candidates=total,
        record=[_share(g, label, record_seen, by_record, appearances, total) for g, label in RECORD_GROUPS.items()],
        region=[
            _share(g, g, region_seen, by_region, appearances, total) for g in sorted(set(region_seen) | set(by_region))
        ],
    )


def _share(group: str, label: str, seen: dict, population: Counter, appearances: int, total: int) -> GroupShare:
    return GroupShare(
        group,
        label,
        seen.get(group, 0) / appearances if appearances else None,
        population.get(group, 0) / total if total else None,
    )


def _population() -> tuple[Counter, Counter]:
    """The rankable freelancers today by record group and by region."""
    completed = (
        select(Engagement.profile_id, func.count(Engagement.id).label("n"))
        .where(Engagement.status == EngagementStatus.COMPLETED)
        .group_by(Engagement.profile_id)
        .subquery()
    )
    rows = db.session.execute(
        select(FreelancerProfile.timezone, func.coalesce(completed.c.n, 0))
        .join(User, FreelancerProfile.user_id == User.id)
        .outerjoin(completed, completed.c.profile_id == FreelancerProfile.id)
        .where(
            User.is_active_account.is_(True),
            FreelancerProfile.visibility != Visibility.HIDDEN,
            FreelancerProfile.headline != "",
        )
    ).all()
    return Counter(record_bucket(n) for _, n in rows), Counter(region(tz) for tz, _ in rows)
