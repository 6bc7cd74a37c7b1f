"""One need and one profile in, one explained score out.

The score is a fit a person can read, the same number meaning about the same fit for any need:
1. relevance: the semantic lift (the cosine above the need's background, see
   `matching.calibration`), shifted by skill coverage (all the need's skills covered adds
   `Weights.skills` / 2 to the lift, none takes as much away), through the calibration curve;
2. times the augmentation factor: (1 + w * a) / (1 + w / 2) with a = intent * focus +
   (1 - intent) * 0.5, the need's wish to augment times the profile's augmentation focus. It is
   1 for a profile of neutral focus and for a need that only wants automation; at the default
   w = 0.30 it moves a score by at most 13% up or down, so it reorders candidates of about equal
   relevance (within 30% of each other). 0.30 replaced 0.15 because it costs nothing on the
   O*NET benchmark, whose needs lean neither way (nDCG@10 0.4753 at 0.15, 0.4767 at 0.30), and on
   the augment-leaning needs of tests/data/augment_pairs took MRR@10 from 0.917 to 0.954 (a
   choice made on those 40 needs: not a held-out figure);
3. times the fit factor: 1 - w_fit * (1 - fit), fit being the mean of the rate, hours and
   time-zone scores the need asks about: a candidate far over budget loses up to 30%;
4. times the track-record factor, for needs that lean to augmenting or state a learning goal:
   1 + w_rec * clamp((r - p) / 0.2, -1, 1), r the freelancer's transfer record and p the
   population's prior (`matching.track_record`). It is exactly 1 for a freelancer with no record
   (or fewer than 3 engagements): the prior, never a penalty. At the default w_rec = 0.2 it moves
   a score by at most 20% up or down, so like augmentation it reorders candidates of about equal
   relevance and does not lift an irrelevant one over a relevant one.
A part the need gives no information for (no skills; no budget, hours or time zone) is left
out and counts as neutral; the notes say so.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, fields
from datetime import datetime

from matching.calibration import CALIBRATION, Calibration
from matching.coverage import skills_part
from matching.fit import fit_part
from matching.related_skills import RelatedSkills
from matching.taxonomy import SkillTaxonomy
from matching.track_record import record_applies, record_factor
from matching.types import AugmentationFocus, Match, NeedDoc, ProfileDoc

SKILLS_NEUTRAL = 0.5  # the coverage that neither adds to the lift nor takes from it


@dataclass(frozen=True)
class Weights:
    """How much each part moves a score; finite numbers >= 0."""

    skills: float = 0.15  # lift gained from no coverage to full coverage
    augmentation: float = 0.30  # the augmentation factor's range (see the module docstring)
    fit: float = 0.30  # the most a candidate outside every term loses
    # The track record's range. In the simulation (matching.simulate, seeds 0-4) 0.2 gave +10.4% to
    # +12.3% gap closed over semantic and skills alone; 0.15 gave +9.8% on seed 1 (below the 10%
    # target), 0.3 gave +12.4% there for half again the power to outrank more relevant people.
    record: float = 0.20

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValueError(f"weight {field.name!r} must be a number, got {value!r}")
            if math.isnan(value) or math.isinf(value):
                raise ValueError(f"weight {field.name!r} is {value}; weights must be finite numbers >= 0")
            if value < 0:
                raise ValueError(f"weight {field.name!r} is {value}; weights must be >= 0")
        if self.fit > 1:
            raise ValueError(f"weight 'fit' is {self.fit}; a factor can take away at most everything (1)")


def augmentation_part(intent: float, focus: float) -> float:
    """intent * focus + (1 - intent) * 0.5: neutral for a need that only wants automation."""
    intent = 0.5 if not math.isfinite(intent) else min(1.0, max(0.0, intent))
    return intent * focus + (1 - intent) * 0.5


def augmentation_factor(part: float, weight: float) -> float:
    """1 at a neutral part (0.5); 1 +/- weight / (2 + weight) at the ends."""
    return (1 + weight * part) / (1 + weight * 0.5)


def score_pair(
    need: NeedDoc,
    profile: ProfileDoc,
    semantic: float,
    *,
    augmentation: AugmentationFocus,
    background: float = 0.0,
    weights: Weights = Weights(),
    calibration: Calibration = CALIBRATION,
    taxonomy: SkillTaxonomy | None = None,
    related: RelatedSkills | None = None,
    match_id: str = "profile",
    at: datetime | None = None,
    explain: bool = True,
) -> Match:
    """The explained score of `profile` for `need`; Match.id is the profile's id, or the need's
    with match_id="need". `semantic` is the cosine of their vectors and `background` the query's
    mean cosine to the index it came from. With explain=False the same score and parts come
    without the skill lists and notes (a ranking explains only its page)."""
    if match_id not in ("profile", "need"):
        raise ValueError(f'match_id must be "profile" or "need", not {match_id!r}')
    if not math.isfinite(semantic) or not math.isfinite(background):
        raise ValueError(f"semantic similarity must be a finite number, got {semantic} (background {background})")
    coverage = skills_part(need.skills, profile.skills, taxonomy, related=related, explain=explain)
    fit, fit_notes = fit_part(need, profile, at, explain=explain)
    lift = semantic - background
    shift = 0.0 if coverage.share is None else weights.skills * (coverage.share - SKILLS_NEUTRAL)
    relevance = calibration.score(lift + shift)
    lean = augmentation_part(need.augment_intent, augmentation.score)
    factors = {
        "augmentation": augmentation_factor(lean, weights.augmentation),
        "fit": 1.0 if fit is None else 1 - weights.fit * (1 - fit),
    }
    record = profile.record if record_applies(need.augment_intent, need.learning_goals) else None
    if record is not None:
        factors["record"] = record_factor(record, weights.record)
    score = min(1.0, max(0.0, relevance * math.prod(factors.values())))
    raw = {
        name: value
        for name, value in {
            "semantic": lift,
            "skills": coverage.share,
            "augmentation": lean,
            "fit": fit,
            "record": record.ranking_score if record is not None else None,
        }.items()
        if value is not None
    }
    notes = []
    if explain:
        notes = [f"{wanted}: partly covered by {near} ({how})" for wanted, near, how in coverage.related]
        notes += [
            f"{name} part left out: the need {why}"
            for name, why in (("skills", "lists no skills"), ("fit", "states no budget, hours or time zone"))
            if name not in raw
        ]
    return Match(
        id=need.id if match_id == "need" else profile.id,
        score=score,
        parts={"relevance": relevance, **factors},
        raw=raw,
        matched_skills=coverage.matched,
        related_skills=coverage.related,
        missing_skills=coverage.missing,
        augmentation=augmentation,
        notes=tuple(notes + fit_notes),
        label=calibration.label(score),
        flags=fit_flags(need, profile),
        record=profile.record,
    )


def fit_flags(need: NeedDoc, profile: ProfileDoc) -> tuple[str, ...]:
    """What a card marks: "over budget" (rate above the budget's top), "fewer hours" (available
    weekly hours below the hours wanted)."""
    flags = []
    if need.budget_max is not None and profile.hourly_rate is not None and profile.hourly_rate > need.budget_max:
        flags.append("over budget")
    if need.hours_per_week and profile.weekly_hours is not None and profile.weekly_hours < need.hours_per_week:
        flags.append("fewer hours")
    return tuple(flags)
