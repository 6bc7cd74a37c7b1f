"""A freelancer's transfer record: what their completed engagements left behind, shrunk towards
the population so that one great engagement does not outrank ten good ones.

Each completed engagement gives an outcome in [0, 1], the mean of what it has of:
- knowledge transferred: the share of the plan's skill gap closed (0-1);
- capability kept: the share of that closed gap still held at the follow-up (0-1);
- connection health's change during the engagement, in points: 0.5 + change / 50, clamped
  (a fall of 25 points or more gives 0, a rise of 25 or more gives 1);
- the outcome rating: (rating - 1) / 4.
The record is the Bayesian mean (PRIOR_STRENGTH x prior + Σ outcomes) / (PRIOR_STRENGTH + n),
the prior being the population's mean outcome: the population counts as PRIOR_STRENGTH
engagements, so a single engagement moves the record a fifth of the way from the prior to its
own outcome, and ten move it five sevenths of the way. Its uncertainty is the posterior spread
sqrt(r (1 - r) / (PRIOR_STRENGTH + n + 1)) of a Beta with the same mean and weight.

Records count in ranking, and show to other organisations, only from MIN_ENGAGEMENTS on (fewer
could point at one team's engagement); below that a freelancer is ranked at the prior: a factor
of exactly 1, never a penalty.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import fmean

PRIOR_STRENGTH = 4.0  # the population's mean counts as this many engagements
MIN_ENGAGEMENTS = 3  # a record counts (ranking, other organisations) from this many engagements
DEFAULT_PRIOR = 0.5  # the prior before any engagement on Tandem has an outcome
HEALTH_SPAN = 50.0  # points of connection-health change that span the whole outcome scale
RECORD_SPAN = 0.2  # a record this far above the prior gets the factor's whole range
LONG_RECORD = 6  # "a long record" (exposure report) from this many engagements


@dataclass(frozen=True)
class EngagementResult:
    """One completed engagement's outcomes; None where it has no figure."""

    transferred: float | None = None  # share of the skill gap closed, 0-1
    kept: float | None = None  # share of the closed gap held at follow-up, 0-1
    health_change: float | None = None  # connection-health points, last round minus first
    rating: int | None = None  # 1-5

    @property
    def outcome(self) -> float | None:
        """The engagement's outcome in [0, 1] (the module doc), None when it has no figure at all."""
        parts = [
            _unit(self.transferred),
            _unit(self.kept),
            None if self.health_change is None else _unit(0.5 + self.health_change / HEALTH_SPAN),
            None if self.rating is None else _unit((self.rating - 1) / 4),
        ]
        known = [part for part in parts if part is not None]
        return fmean(known) if known else None


def _unit(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return min(1.0, max(0.0, float(value)))


@dataclass(frozen=True)
class TrackRecord:
    """A freelancer's record: how many completed engagements, their plain means, and the shrunk
    score with its spread. `prior` is the population mean the score shrinks towards."""

    engagements: int
    score: float
    spread: float
    prior: float
    transferred: float | None = None
    kept: float | None = None
    health_change: float | None = None
    rating: float | None = None

    @property
    def counts(self) -> bool:
        """Whether the record may rank and show to other organisations."""
        return self.engagements >= MIN_ENGAGEMENTS

    @property
    def ranking_score(self) -> float:
        """What ranking uses: the shrunk score once the record counts, the prior before."""
        return self.score if self.counts else self.prior


def track_record(
    results: Iterable[EngagementResult], prior: float = DEFAULT_PRIOR, strength: float = PRIOR_STRENGTH
) -> TrackRecord:
    """The record of these completed engagements (never pass cancelled ones: they count nothing)."""
    results = list(results)
    unit_prior = _unit(prior)
    if unit_prior is None or not math.isfinite(strength) or strength <= 0:
        raise ValueError(f"a prior in [0, 1] and a positive strength are needed, got {prior!r}, {strength!r}")
    outcomes = [r.outcome for r in results if r.outcome is not None]
    prior = unit_prior
    score = (strength * prior + sum(outcomes)) / (strength + len(outcomes))
    spread = math.sqrt(score * (1 - score) / (strength + len(outcomes) + 1))
    return TrackRecord(
        engagements=len(results),
        score=score,
        spread=spread,
        prior=prior,
        transferred=_mean(r.transferred for r in results),
        kept=_mean(r.kept for r in results),
        health_change=_mean(r.health_change for r in results),
        rating=_mean(r.rating for r in results),
    )


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return fmean(known) if known else None


def population_prior(results: Iterable[EngagementResult]) -> float:
    """The mean outcome of every completed engagement on the platform; DEFAULT_PRIOR without any."""
    outcomes = [r.outcome for r in results if r.outcome is not None]
    return fmean(outcomes) if outcomes else DEFAULT_PRIOR


def record_factor(record: TrackRecord | None, weight: float, span: float = RECORD_SPAN) -> float:
    """1 + w x clamp((r - p) / span, -1, 1): exactly 1 at the prior p (no record, or one that
    doesn't count yet), up to 1 + w for a record `span` or more above the population's, down to
    1 - w for one as far below. Records sit close to the prior (that is what shrinkage does), so
    the factor reads their distance from it on the scale records actually spread over."""
    if record is None:
        return 1.0
    return 1 + weight * min(1.0, max(-1.0, (record.ranking_score - record.prior) / span))


def record_applies(augment_intent: float, learning_goals: str) -> bool:
    """The record ranks only for needs that lean to augmenting people or state what the team
    must learn: for automation, the capability a freelancer leaves behind is not what is asked."""
    return (math.isfinite(augment_intent) and augment_intent > 0.5) or bool(learning_goals.strip())


def bucket(engagements: int) -> str:
    """The exposure report's groups: "none" (no completed engagement), "little" (1 to
    LONG_RECORD - 1) or "long" (LONG_RECORD or more)."""
    if engagements <= 0:
        return "none"
    return "long" if engagements >= LONG_RECORD else "little"


def is_newcomer(record: TrackRecord | None) -> bool:
    """A newcomer has no record that counts yet: the floor keeps a slot for them."""
    return record is None or not record.counts


def describe(record: TrackRecord | None, *, own: bool = False) -> str:
    """The record in plain words, n and uncertainty included, never a bare number. `own`: said to
    the freelancer, who sees their record whatever its size."""
    if record is None or record.engagements == 0:
        return (
            "No completed engagements on Tandem yet: ranked as the average freelancer "
            "(no record is never held against anyone)."
        )
    if not record.counts and not own:
        return (
            f"Fewer than {MIN_ENGAGEMENTS} completed engagements on Tandem: too few to show a record; "
            "ranked as the average freelancer."
        )
    n = record.engagements
    words = [f"{n} engagement{'s' if n != 1 else ''}"]
    if record.kept is not None:
        words.append(f"teams kept {_share_words(record.kept)} of what they learned")
    elif record.transferred is not None:
        words.append(f"teams closed {_share_words(record.transferred)} of their skill gap")
    return "; ".join(words) + f" ({_sureness(record)})."


def _share_words(share: float) -> str:
    if share >= 0.8:
        return "most"
    if share >= 0.5:
        return "much"
    if share >= 0.2:
        return "some"
    return "little"


def _sureness(record: TrackRecord) -> str:
    if record.engagements < MIN_ENGAGEMENTS:
        return "too few engagements to be sure; other organisations don't see it yet"
    if record.spread < 0.12:
        return f"a fairly sure estimate, {_comparison(record)}"
    return f"still an uncertain estimate, {_comparison(record)}"


def _comparison(record: TrackRecord) -> str:
    gap = record.score - record.prior
    if abs(gap) < 0.03:
        return "about the average freelancer's"
    return "above the average freelancer's" if gap > 0 else "below the average freelancer's"
