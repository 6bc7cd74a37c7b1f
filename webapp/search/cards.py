"""Profiles as the ranking reads them: plain columns, no ORM objects, kept between requests.

A match page re-ranks a pool of a couple of hundred candidates to show ten. Loading the pool as
full ORM rows with their skills and taxonomy entries cost more than everything else on the
page, so the pool is read here as plain columns and only the page shown is loaded as ORM rows.
Cards are kept in a bounded per-process cache that the change sequence keeps honest: whatever
changes a card (profile fields, skills, focus, the account) records an IndexChange, and the
catch-up that applies it to the index calls `forget` for those profiles first."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from matching import AugmentationFocus, Evidence, ProfileDoc, SkillRef

from ..extensions import db
from ..models import FreelancerProfile, ProfileSkill, Skill, User, Visibility
from .engine import index_dir


@dataclass(frozen=True)
class ProfileCard:
    doc: ProfileDoc
    visibility: Visibility
    focus: AugmentationFocus


CACHED_CARDS = 50_000  # ~1 KB each


class CardCache:
    """Least recently used cards. A read that overlapped a `forget` is not kept: it may hold
    what was there before the change."""

    def __init__(self, size: int = CACHED_CARDS) -> None:
        self.size = size
        self._cards: OrderedDict[int, ProfileCard] = OrderedDict()
        self._generation = 0
        self._lock = threading.Lock()

    def get(self, ids: list[int]) -> tuple[dict[int, ProfileCard], int]:
        """The cards held for `ids`, and the generation to hand back to `put`."""
        with self._lock:
            found = {pid: self._cards[pid] for pid in ids if pid in self._cards}
            for pid in found:
                self._cards.move_to_end(pid)
            return found, self._generation

    def put(self, cards: dict[int, ProfileCard], generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return
            self._cards.update(cards)
            while len(self._cards) > self.size:
                self._cards.popitem(last=False)

    def forget(self, ids: Iterable[int] | None = None) -> None:
        """Drops the given profiles' cards (every card with None)."""
        with self._lock:
            self._generation += 1
            if ids is None:
                self._cards.clear()
            for pid in ids or ():
                self._cards.pop(pid, None)


_caches: dict[tuple[str, str], CardCache] = {}
_caches_lock = threading.Lock()


def card_cache() -> CardCache:
    """This process's cache for the current database and index folder (as the indexes are)."""
    key = (str(db.engine.url), str(index_dir()))
    with _caches_lock:
        return _caches.setdefault(key, CardCache())


def profile_cards(ids: Iterable[int]) -> dict[int, ProfileCard]:
    """The cards of the given profiles whose accounts are active (closed ones never rank)."""
    ids = list(ids)
    cache = card_cache()
    cards, generation = cache.get(ids)
    fresh = read_cards([pid for pid in ids if pid not in cards])
    cache.put(fresh, generation)
    return cards | fresh


def read_cards(ids: list[int]) -> dict[int, ProfileCard]:
    """Cards straight from the database."""
    if not ids:
        return {}
    profiles = db.session.execute(
        select(
            FreelancerProfile.id,
            FreelancerProfile.headline,
            FreelancerProfile.hourly_rate,
            FreelancerProfile.weekly_hours,
            FreelancerProfile.timezone,
            FreelancerProfile.visibility,
            FreelancerProfile.augmentation_focus,
            FreelancerProfile.augmentation_evidence,
        )
        .join(User, FreelancerProfile.user_id == User.id)
        .where(FreelancerProfile.id.in_(ids), User.is_active_account.is_(True))
    ).all()
    skills = _skills_of([row.id for row in profiles])
    return {
        row.id: ProfileCard(
            doc=ProfileDoc(
                id=row.id,
                headline=row.headline,
                skills=skills.get(row.id, ()),
                hourly_rate=float(row.hourly_rate) if row.hourly_rate is not None else None,
                weekly_hours=row.weekly_hours,
                timezone=row.timezone,
            ),
            visibility=row.visibility,
            focus=stored_focus(row.augmentation_focus, row.augmentation_evidence),
        )
        for row in profiles
    }


def _skills_of(profile_ids: list[int]) -> dict[int, tuple[SkillRef, ...]]:
    rows = db.session.execute(
        select(ProfileSkill.profile_id, ProfileSkill.label, Skill.uri, ProfileSkill.level)
        .outerjoin(Skill, ProfileSkill.skill_id == Skill.id)
        .where(ProfileSkill.profile_id.in_(profile_ids))
        .order_by(ProfileSkill.profile_id, ProfileSkill.position)
    )
    skills: dict[int, list[SkillRef]] = {}
    for profile_id, label, uri, level in rows:
        skills.setdefault(profile_id, []).append(SkillRef(label, uri, level))
    return {profile_id: tuple(refs) for profile_id, refs in skills.items()}


def stored_focus(score: float | None, evidence: list[dict] | None) -> AugmentationFocus:
    """The stored focus; 0.5 (no evidence either way) until the profile has been embedded."""
    if score is None:
        return AugmentationFocus(0.5)
    return AugmentationFocus(score, tuple(Evidence(e["source"], e["text"], e["weight"]) for e in evidence or ()))
