"""What the demo builders share: the random generator, "now", the people who act, and the audit
helper that dates each event when it happened in the story rather than when it was seeded."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from ..audit import record
from ..models import Need, Organisation, TeamMember, User
from .skills import SkillBook


@dataclass
class World:
    rng: random.Random
    now: datetime
    skills: SkillBook
    leaders: dict[int, User] = field(default_factory=dict)  # organisation id -> its leader
    program_manager: User | None = None
    organisations: list[Organisation] = field(default_factory=list)
    members: dict[int, list[TeamMember]] = field(default_factory=dict)  # team id -> members
    work_of: dict[Need, str] = field(default_factory=dict)  # the work a need is about, in words

    @property
    def today(self) -> date:
        return self.now.date()

    def moment_between(self, earliest: datetime, latest: datetime) -> datetime:
        """A random moment in [earliest, latest], never later than an hour ago."""
        latest = min(latest, self.now - timedelta(hours=1))
        return earliest + (latest - earliest) * self.rng.random() if latest > earliest else latest


def at(day: date, hour: int = 10) -> datetime:
    """A moment on a given day, in UTC."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


def audit(when: datetime, actor: User | None, entity_type: str, entity_id: int, action: str, **fields) -> None:
    record(actor, entity_type, entity_id, action, **fields).created_at = when
