"""One need and one profile in, one explained score out.

The score is a weighted sum of four parts, each first put in [0, 1] (`Match.raw`):
- semantic: the embeddings' cosine, max(0, (cos - 0.1) / 0.9): unrelated texts sit near 0.1
  with the sentence models we use; linear above it (no ceiling below 1), so the index's order
  among close candidates survives;
- skills: how much of the need's skills the profile covers, weighted by importance and by level;
- augmentation: intent * focus + (1 - intent) * 0.5, the need's wish to augment times the
  profile's augmentation focus. An automate-leaning need (intent 0) scores every profile 0.5
  here: augmentation-minded people are not punished, automation-minded ones not rewarded;
- fit: rate against budget, weekly hours against the hours wanted, time-zone gap.
A part the need gives no information for (no skills; no budget, hours or time zone) is left out
and the other weights are scaled up to sum to 1 again; the notes say so.

Augmentation is gated by relevance: its weighted value is multiplied by the relevance
R = (w_sem * semantic + w_skills * skills) / (w_sem + w_skills). The score is then
relevance_sum * (1 + w_aug * augmentation / (w_sem + w_skills)) + w_fit * fit, so augmentation
can multiply a candidate's relevance by at most 1 + 0.12 / 0.80 = 1.15 at the default weights:
it reorders candidates whose relevance is within 15% of each other and can never lift an
irrelevant profile above a relevant one.
"""
from __future__ import annotations

import functools
import math
import numbers
import threading
from dataclasses import dataclass, fields
from datetime import datetime, timezone as dt_timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from matching.related_skills import RelatedSkills
from matching.taxonomy import SkillTaxonomy, label_key, label_tokens
from matching.types import AugmentationFocus, Match, NeedDoc, ProfileDoc, SkillRef

PARTS = ("semantic", "skills", "augmentation", "fit")
SEMANTIC_FLOOR = 0.1
PARTIAL_SKILL = 0.6  # a skill matched only by shared words counts at most this much
PARTIAL_MIN_OVERLAP = 0.5  # token-set overlap below which two skill labels are different skills
NEUTRAL = 0.5  # a fit component the profile says nothing about
OVER_BUDGET_TO_ZERO = 0.5  # a rate 50% above the budget's top scores 0 on rate
TZ_FREE_HOURS, TZ_ZERO_HOURS = 3.0, 9.0  # up to 3 h apart costs nothing; 9 h apart scores 0


@dataclass(frozen=True)
class Weights:
    """How much each part counts; any non-negative finite numbers, not all zero."""

    semantic: float = 0.55
    skills: float = 0.25
    augmentation: float = 0.12
    fit: float = 0.08

    def __post_init__(self) -> None:
        for name in PARTS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValueError(f"weight {name!r} must be a number, got {value!r}")
            if math.isnan(value) or math.isinf(value):
                raise ValueError(f"weight {name!r} is {value}; weights must be finite numbers >= 0")
            if value < 0:
                raise ValueError(f"weight {name!r} is {value}; weights must be >= 0")
        if not any(getattr(self, name) for name in PARTS):
            raise ValueError("all weights are 0; at least one part must count")


@dataclass(frozen=True)
class FitFilters:
    """Hard limits: a candidate outside them is not ranked at all. What a profile or need does
    not state (no rate, no time zone) is not held against it: the fit part scores that instead."""

    max_rate: float | None = None
    min_weekly_hours: float | None = None
    timezone: str | None = None  # the place gaps are measured from
    max_timezone_gap_hours: float | None = None
    min_augmentation: float | None = None

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, float) and math.isnan(value):
                raise ValueError(f"filter {field.name!r} is NaN")

    def admits_profile(self, profile: ProfileDoc, focus: AugmentationFocus) -> bool:
        """Whether a freelancer passes: rate, weekly hours, time-zone gap, augmentation focus."""
        return (_at_most(profile.hourly_rate, self.max_rate)
                and _at_most(self.min_weekly_hours, profile.weekly_hours)
                and _at_most(self.min_augmentation, focus.score)
                and self._near(profile.timezone))

    def admits_need(self, need: NeedDoc) -> bool:
        """Whether a need passes, for a freelancer browsing: its time-zone gap, and for
        `min_augmentation` its intent to augment (rate and hours limits are the leader's)."""
        return _at_most(self.min_augmentation, need.augment_intent) and self._near(need.timezone)

    def _near(self, other: str | None) -> bool:
        if self.timezone is None or self.max_timezone_gap_hours is None:
            return True
        gap = timezone_gap_hours(self.timezone, other)
        return gap is None or gap <= self.max_timezone_gap_hours


def _at_most(value: float | None, limit: float | None) -> bool:
    return value is None or limit is None or value <= limit


def timezone_gap_hours(a: str | None, b: str | None, at: datetime | None = None) -> float | None:
    """Hours between two IANA zones' clocks at `at` (now by default), 0-12; None if either is unknown."""
    minute = int((at or datetime.now(dt_timezone.utc)).timestamp() // 60)
    try:
        offsets = [_utc_offset_hours(name, minute) for name in (a, b)]
    except TypeError:  # not a hashable name
        return None
    if None in offsets:
        return None
    difference = abs(offsets[0] - offsets[1]) % 24
    return min(difference, 24 - difference)


@functools.lru_cache(maxsize=4096)
def _utc_offset_hours(name: str | None, minute: int) -> float | None:
    """A zone's UTC offset during one minute (offsets change only on whole minutes); a ranking
    asks for the same few zones hundreds of times."""
    try:
        return datetime.fromtimestamp(minute * 60, ZoneInfo(name)).utcoffset().total_seconds() / 3600
    except (ZoneInfoNotFoundError, ValueError, TypeError, AttributeError):
        return None


def semantic_part(cosine: float) -> float:
    """The cosine mapped to [0, 1]."""
    if not math.isfinite(cosine):
        raise ValueError(f"semantic similarity must be a finite number, got {cosine}")
    return min(1.0, max(0.0, (cosine - SEMANTIC_FLOOR) / (1 - SEMANTIC_FLOOR)))


def level_factor(level: int) -> float:
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


def skills_part(need_skills: tuple[SkillRef, ...], profile_skills: tuple[SkillRef, ...],
                taxonomy: SkillTaxonomy | None = None, *, related: RelatedSkills | None = None,
                explain: bool = True) -> SkillCoverage:
    """The share of the need's skills (weighted by importance) the profile covers; without
    `explain` the lists stay empty.

    Each wanted skill earns the level factor of the profile skill with its URI or label; else
    the best of a related skill (`matching.related_skills`: credit x level) and shared words
    (PARTIAL_SKILL x word overlap x level, for skills at least one side typed as free text).
    """
    if not need_skills:
        return SkillCoverage(None)
    wanted = _last_wanted.get(need_skills, (taxonomy, related), _wanted_skills)
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


def _wanted_skills(skills: tuple[SkillRef, ...], knowledge: tuple[SkillTaxonomy | None, RelatedSkills | None]) -> list[tuple]:
    """(label, uri, key, words, importance, related URI -> credit) per need skill, most important first."""
    taxonomy, related = knowledge
    if taxonomy is not None:
        skills = taxonomy.canonical_refs(skills)
    return [(s.label, s.uri, label_key(s.label), label_tokens(s.label), min(3, max(1, int(s.weight))),
             related.of(s.uri) if related is not None else {})
            for s in sorted(skills, key=lambda s: -s.weight)]


def _offered_skills(skills: tuple[SkillRef, ...], taxonomy: SkillTaxonomy | None):
    """A profile's credit per URI and per label key, (factor, label) per URI, and (words, credit,
    label) per skill."""
    if taxonomy is not None:
        skills = taxonomy.canonical_refs(skills)
    exact: dict[str, float] = {}
    by_uri: dict[str, tuple[float, str]] = {}
    offered = []
    for skill in skills:
        factor = _LEVEL_FACTORS.get(skill.weight) or level_factor(skill.weight)
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


class _LastCall(threading.local):
    """A need's prepared skills, kept per thread for as long as the same tuple comes back: a
    ranking passes the same need's skills with every candidate."""

    def __init__(self) -> None:
        self.skills: tuple | None = None
        self.knowledge: tuple | None = None
        self.value = None

    def get(self, skills: tuple, knowledge: tuple, prepare):
        if skills is not self.skills or knowledge != self.knowledge:
            self.value, self.skills, self.knowledge = prepare(skills, knowledge), skills, knowledge
        return self.value


_last_wanted = _LastCall()

# Prepared profile skills by the identity of their tuple (held, so the id stays theirs): the web
# app keeps its candidates' documents between requests, so a profile is prepared once, not per
# ranking. Emptied when full rather than ordered: it only saves work, it never decides anything.
_PREPARED_OFFERS = 1 << 16
_prepared_offers: dict[int, tuple[tuple, SkillTaxonomy | None, tuple]] = {}


def _prepared_offer(skills: tuple[SkillRef, ...], taxonomy: SkillTaxonomy | None):
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


def fit_part(need: NeedDoc, profile: ProfileDoc, at: datetime | None = None, *,
             explain: bool = True) -> tuple[float | None, list[str]]:
    """(mean of the rate, hours and time-zone scores the need asks about, or None; remarks, left
    empty with explain=False)."""
    scores, notes = [], []
    if need.budget_max is not None:
        rate = profile.hourly_rate
        if rate is None:
            scores.append(NEUTRAL)
            notes.append("rate not stated")
        else:
            over = max(0.0, rate - need.budget_max) / max(need.budget_max, 1e-9)
            scores.append(max(0.0, 1 - over / OVER_BUDGET_TO_ZERO))
            if over:
                notes.append(f"rate {rate:g} above budget {need.budget_max:g}")
    if need.hours_per_week:
        hours = profile.weekly_hours
        scores.append(NEUTRAL if hours is None else min(1.0, hours / need.hours_per_week))
        if hours is None:
            notes.append("weekly hours not stated")
        elif hours < need.hours_per_week:
            notes.append(f"{hours:g} h/week available, {need.hours_per_week:g} wanted")
    if need.timezone and timezone_gap_hours(need.timezone, "UTC") is not None:
        gap = timezone_gap_hours(need.timezone, profile.timezone, at)
        if gap is None:
            scores.append(NEUTRAL)
            notes.append("time zone not stated")
        else:
            scores.append(min(1.0, max(0.0, 1 - (gap - TZ_FREE_HOURS) / (TZ_ZERO_HOURS - TZ_FREE_HOURS))))
            if gap >= TZ_FREE_HOURS:
                notes.append(f"{gap:g} h time-zone gap")
    return (sum(scores) / len(scores) if scores else None), notes if explain else []


def augmentation_part(intent: float, focus: float) -> float:
    """intent * focus + (1 - intent) * 0.5: neutral for a need that only wants automation."""
    intent = 0.5 if not math.isfinite(intent) else min(1.0, max(0.0, intent))
    return intent * focus + (1 - intent) * 0.5


def score_pair(need: NeedDoc, profile: ProfileDoc, semantic: float, *, augmentation: AugmentationFocus,
               weights: Weights = Weights(), taxonomy: SkillTaxonomy | None = None,
               related: RelatedSkills | None = None, match_id: str = "profile", at: datetime | None = None,
               explain: bool = True) -> Match:
    """The explained score of `profile` for `need`; Match.id is the profile's id, or the need's
    with match_id="need". `semantic` is the cosine of their vectors. With explain=False the same
    score and parts come without the skill lists and notes (a ranking explains only its page)."""
    if match_id not in ("profile", "need"):
        raise ValueError(f'match_id must be "profile" or "need", not {match_id!r}')
    coverage = skills_part(need.skills, profile.skills, taxonomy, related=related, explain=explain)
    skills, notes = coverage.share, [f"{wanted}: partly covered by {near} ({how})" for wanted, near, how in coverage.related]
    fit, fit_notes = fit_part(need, profile, at, explain=explain)
    raw = {"semantic": semantic_part(semantic), "skills": skills,
           "augmentation": augmentation_part(need.augment_intent, augmentation.score), "fit": fit}
    present = {name: value for name, value in raw.items() if value is not None}
    if explain:
        notes += [f"{name} part left out: the need {why}" for name, why in
                  (("skills", "lists no skills"), ("fit", "states no budget, hours or time zone")) if raw[name] is None]
    total = sum(getattr(weights, name) for name in present)
    share = {name: getattr(weights, name) / total if total else 0.0 for name in present}
    relevance_weight = share.get("semantic", 0.0) + share.get("skills", 0.0)
    relevance = (sum(share.get(n, 0.0) * present.get(n, 0.0) for n in ("semantic", "skills")) / relevance_weight
                 if relevance_weight else 1.0)
    parts = {name: share[name] * value for name, value in present.items()}
    parts["augmentation"] *= relevance
    if explain:
        notes.append(f"augmentation added {parts['augmentation']:.3f} (intent {need.augment_intent:.2f}, "
                     f"focus {augmentation.score:.2f}, scaled by relevance {relevance:.2f})")
    return Match(
        id=need.id if match_id == "need" else profile.id,
        score=min(1.0, max(0.0, sum(parts.values()))),
        parts=parts, raw=present, matched_skills=coverage.matched, related_skills=coverage.related,
        missing_skills=coverage.missing,
        augmentation=augmentation, notes=tuple(notes + fit_notes),
    )
