"""How a profile's skills cover a need's: exact skills, related skills, and shared words.

Each wanted skill earns the level factor of the profile skill with its URI or label; else the
best of a related skill (`matching.related_skills`: its credit x level) and shared words
(PARTIAL_SKILL x word overlap x level, for skills that one side typed as free text).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from matching.bounded_cache import BoundedCache
from matching.related_skills import RelatedSkills
from matching.taxonomy import SkillTaxonomy, label_key, label_tokens
from matching.types import SkillRef

PARTIAL_SKILL = 0.6  # a skill matched only by shared words counts at most this much
PARTIAL_MIN_OVERLAP = 0.5  # token-set overlap below which two skill labels are different skills


def level_factor(level: float) -> float:
    """A profile skill's level 1-5 as credit: 0.6 for 'aware' up to 1.0 for 'expert'."""
    return 0.6 + 0.1 * (min(5, max(1, int(level))) - 1)


_LEVEL_FACTORS = {level: level_factor(level) for level in range(1, 6)}


@dataclass(frozen=True)
class SkillCoverage:
    """How a profile covers a need's skills: the share (None without need skills) and why."""

    share: float | None
    matched: tuple[str, ...] = ()
    # (wanted skill, the profile's skill that partly covers it, "related" or "similar name")
    related: tuple[tuple[str, str, str], ...] = ()
    missing: tuple[str, ...] = ()


def skills_part(
    need_skills: tuple[SkillRef, ...],
    profile_skills: tuple[SkillRef, ...],
    taxonomy: SkillTaxonomy | None = None,
    *,
    related: RelatedSkills | None = None,
    explain: bool = True,
) -> SkillCoverage:
    """The share of the need's skills (weighted by importance) the profile covers; without
    `explain` the lists stay empty.

    Each wanted skill earns the level factor of the profile skill with its URI or label; else
    the best of a related skill (`matching.related_skills`: credit x level) and shared words
    (PARTIAL_SKILL x word overlap x level, for skills at least one side typed as free text).
    """
    if not need_skills:
        return SkillCoverage(None)
    wanted = _prepared_wanted.get(need_skills, (taxonomy, related))
    exact, by_uri, offered = _prepared_offer(profile_skills, taxonomy)
    earned = total = 0.0
    matched, partly, missing = [], [], []
    for label, uri, key, words, importance, neighbours in wanted:
        credit = max(exact.get(uri or "", 0.0), exact.get(key, 0.0))
        if credit and explain:
            matched.append(label)
        if not credit:
            credit, near = _related_credit(neighbours, by_uri)
            how = "related"
            word_credit, word_near = _partial_credit(words, offered)
            if word_credit > credit:
                credit, near, how = word_credit, word_near, "similar name"
            if explain:
                (partly.append((label, near, how)) if credit else missing.append(label))
        earned, total = earned + importance * credit, total + importance
    return SkillCoverage(earned / total, tuple(matched), tuple(partly), tuple(missing))


def _importance(weight: float) -> float:
    """A wanted skill's importance, 1-3; team-gap weighting (matching.team_gap) may scale it down
    to a tenth of its stated importance, never to nothing."""
    return min(3.0, max(0.1, float(weight)))


def _wanted_skills(
    skills: tuple[SkillRef, ...], knowledge: tuple[SkillTaxonomy | None, RelatedSkills | None]
) -> list[tuple[Any, ...]]:
    """(label, uri, key, words, importance, related URI -> credit) per need skill, most important first."""
    taxonomy, related = knowledge
    if taxonomy is not None:
        skills = taxonomy.canonical_refs(skills)
    return [
        (
            s.label,
            s.uri,
            label_key(s.label),
            label_tokens(s.label),
            _importance(s.weight),
            related.of(s.uri) if related is not None else {},
        )
        for s in sorted(skills, key=lambda s: -s.weight)
    ]


Offer = tuple[dict[str, float], dict[str, tuple[float, str]], list[tuple[Any, float, str]]]


def _offered_skills(skills: tuple[SkillRef, ...], taxonomy: SkillTaxonomy | None) -> Offer:
    """A profile's credit per URI and per label key, (factor, label) per URI, and (words, credit,
    label) per skill."""
    if taxonomy is not None:
        skills = taxonomy.canonical_refs(skills)
    exact: dict[str, float] = {}
    by_uri: dict[str, tuple[float, str]] = {}
    offered: list[tuple[Any, float, str]] = []
    for skill in skills:
        factor = _LEVEL_FACTORS.get(int(skill.weight)) or level_factor(skill.weight)
        key = label_key(skill.label)
        for name in (skill.uri, key):
            if name and exact.get(name, 0.0) < factor:
                exact[name] = factor
        if skill.uri and by_uri.get(skill.uri, (0.0,))[0] < factor:
            by_uri[skill.uri] = (factor, skill.label)
        offered.append((label_tokens(skill.label, key=key), factor, skill.label))
    return exact, by_uri, offered


def _related_credit(neighbours: dict[str, float], by_uri: dict[str, tuple[float, str]]) -> tuple[float, str]:
    best, label = 0.0, ""
    for uri, (factor, name) in by_uri.items():
        credit = neighbours.get(uri, 0.0) * factor
        if credit > best:
            best, label = credit, name
    return best, label


WANTED_KEPT = 4096  # needs' prepared skills, a few hundred bytes each


class _PreparedWanted:
    """Needs' prepared skills by value, for one taxonomy and one set of related skills: a ranking
    passes the same need's skills with every candidate (the tuple each thread saw last is
    recognised by identity), and *Needs for me* the same needs request after request. Other
    knowledge starts an empty store."""

    def __init__(self) -> None:
        self._slot: tuple[tuple[Any, ...], BoundedCache[tuple[SkillRef, ...], list[tuple[Any, ...]]]] = (
            (None, None),
            BoundedCache(WANTED_KEPT),
        )
        self._last = threading.local()

    def get(self, skills: tuple[SkillRef, ...], knowledge: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        last = self._last
        if getattr(last, "skills", None) is skills and last.knowledge == knowledge:
            held_value: list[tuple[Any, ...]] = last.value
            return held_value
        held, store = self._slot  # one read: another thread may replace the slot
        if held != knowledge:  # the elements compare by identity
            store = BoundedCache(WANTED_KEPT)
            self._slot = (knowledge, store)
        value = store.get(skills)
        if value is None:
            value = _wanted_skills(skills, knowledge)
            store.put(skills, value)
        last.skills, last.knowledge, last.value = skills, knowledge, value
        return value


_prepared_wanted = _PreparedWanted()

# Prepared profile skills by the identity of their tuple (held, so the id stays theirs): the web
# app keeps its candidates' documents between requests, so a profile is prepared once, not per
# ranking. Emptied when full rather than ordered: it only saves work, it never decides anything.
_PREPARED_OFFERS = 1 << 16
_prepared_offers: dict[int, tuple[tuple[Any, ...], SkillTaxonomy | None, Offer]] = {}


def _prepared_offer(skills: tuple[SkillRef, ...], taxonomy: SkillTaxonomy | None) -> Offer:
    entry = _prepared_offers.get(id(skills))
    if entry is not None and entry[0] is skills and entry[1] is taxonomy:
        return entry[2]
    prepared = _offered_skills(skills, taxonomy)
    if len(_prepared_offers) >= _PREPARED_OFFERS:
        _prepared_offers.clear()
    _prepared_offers[id(skills)] = (skills, taxonomy, prepared)
    return prepared


def _partial_credit(wanted: frozenset[str], offered: list[tuple[frozenset[str], float, str]]) -> tuple[float, str]:
    best, label = 0.0, ""
    for tokens, factor, name in offered:
        if not wanted or not tokens or wanted.isdisjoint(tokens):
            continue
        shared = len(wanted & tokens)
        overlap = shared / (len(wanted) + len(tokens) - shared)
        if overlap >= PARTIAL_MIN_OVERLAP and PARTIAL_SKILL * overlap * factor > best:
            best, label = PARTIAL_SKILL * overlap * factor, name
    return best, label
