"""Profiles and needs as the ranking reads them, kept between requests.

A match page re-ranks a pool of a couple of hundred candidates to show ten, and *Needs for me*
a pool of needs. Loading the pool as full ORM rows with their skills and taxonomy entries cost
more than everything else on the page, so the pool is read as cards (a profile's as plain
columns) and only the page shown is loaded as ORM rows. Cards are kept in a bounded per-app
cache per kind that the change sequence keeps honest: whatever changes a card (a profile's
fields, skills or account; a need's fields, skills, status or goal) records an IndexChange, and
the catch-up that applies it calls `forget` for those items first, then embeds them, storing
what is derived from their text before any card is read again."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from sqlalchemy import select

from matching import AugmentationFocus, Evidence, NeedDoc, ProfileDoc, SkillRef

from ..extensions import db
from ..models import FreelancerProfile, ProfileSkill, Skill, Visibility
from .docs import profile_doc


@dataclass(frozen=True)
class ProfileCard:
    doc: ProfileDoc  # its stored augmentation focus included
    visibility: Visibility

    @property
    def focus(self) -> AugmentationFocus:
        assert self.doc.focus is not None  # read_cards always gives the doc its stored focus
        return self.doc.focus


@dataclass(frozen=True)
class NeedCard:
    doc: NeedDoc
    is_open: bool  # only open needs are offered to freelancers


Card = TypeVar("Card")
CACHED_CARDS = 20_000  # per kind; ~2.5 KB each, a profile's bio and AI-usage text included


class CardCache(Generic[Card]):
    """Least recently used cards. A read that overlapped a `forget` is not kept: it may hold
    what was there before the change."""

    def __init__(self, size: int = CACHED_CARDS) -> None:
        self.size = size
        self._cards: OrderedDict[int, Card] = OrderedDict()
        self._generation = 0
        self._lock = threading.Lock()

    def get(self, ids: list[int]) -> tuple[dict[int, Card], int]:
        """The cards held for `ids`, and the generation to hand back to `put`."""
        with self._lock:
            found = {pid: self._cards[pid] for pid in ids if pid in self._cards}
            for pid in found:
                self._cards.move_to_end(pid)
            return found, self._generation

    def put(self, cards: dict[int, Card], generation: int) -> None:
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


def cached_cards(
    ids: Iterable[int], cache: CardCache[Card], read: Callable[[list[int]], dict[int, Card]]
) -> dict[int, Card]:
    """The cards of `ids` that `read` finds, those not held read and kept."""
    ids = list(ids)
    cards, generation = cache.get(ids)
    missing = [item_id for item_id in ids if item_id not in cards]
    fresh = read(missing) if missing else {}
    cache.put(fresh, generation)
    return cards | fresh


def read_profile_cards(ids: list[int]) -> dict[int, ProfileCard]:
    """Rankable profiles' cards (a closed account's never are) straight from the database."""
    if not ids:
        return {}
    profiles = db.session.execute(
        select(
            FreelancerProfile.id,
            FreelancerProfile.headline,
            FreelancerProfile.bio,
            FreelancerProfile.ai_usage,
            FreelancerProfile.hourly_rate,
            FreelancerProfile.weekly_hours,
            FreelancerProfile.timezone,
            FreelancerProfile.visibility,
            FreelancerProfile.augmentation_focus,
            FreelancerProfile.augmentation_evidence,
        ).where(FreelancerProfile.id.in_(ids), FreelancerProfile.is_rankable)
    ).all()
    skills = _skills_of([row.id for row in profiles])
    return {
        row.id: ProfileCard(
            doc=replace(
                profile_doc(row, skills.get(row.id, ())),
                focus=stored_focus(row.augmentation_focus, row.augmentation_evidence),
            ),
            visibility=row.visibility,
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
