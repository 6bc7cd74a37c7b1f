"""What a score means: the same number for about the same fit, whatever the need.

A cosine alone means little: one need's texts sit closer to everyone than another's (a need
full of generic words, a row of T's blended into occupations). So the evidence is the LIFT, the
cosine minus the need's mean cosine to everyone in the index (its inner product with the index's
centroid). The lift becomes the score a person sees through one logistic curve,

    fit = 1 / (1 + exp(-SLOPE * (lift - CENTRE)))

whose two constants place the labels at round numbers (`labels_for`): "partial" at 40, where
only 1 in 20 profiles of unrelated occupations reaches; "strong" at 75, where the median profile
of the need's own occupation sits; "good" falls where a quarter of same-occupation profiles sit
below. Those points are measured on the O*NET benchmark (`python -m matching.evaluate DIR --cv K`
fits them on four fifths of the occupations and checks them on the rest).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

PARTIAL_SCORE, STRONG_SCORE = 0.40, 0.75
UNRELATED_SHARE_ABOVE_PARTIAL = 0.05
STRONG_SAME_QUANTILE, GOOD_SAME_QUANTILE = 0.50, 0.25


@dataclass(frozen=True)
class Calibration:
    """The curve from lift to score, and the scores that start each label."""

    centre: float
    slope: float
    good: float  # the score from which a match is "good" ("partial" and "strong" are fixed)

    def score(self, lift: float) -> float:
        return 1 / (1 + math.exp(-max(-50.0, min(50.0, self.slope * (lift - self.centre)))))

    def label(self, score: float) -> str:
        """strong, good, partial or weak."""
        if score >= STRONG_SCORE:
            return "strong"
        if score >= self.good:
            return "good"
        return "partial" if score >= PARTIAL_SCORE else "weak"


# Fitted on all 24 occupations of ../shared/eval/onet (lifts: partial 0.183, good 0.243, strong
# 0.345); five folds of held-out occupations gave centres 0.222-0.231 and slopes 8.6-10.1.
CALIBRATION = Calibration(centre=0.227, slope=9.28, good=0.54)


def fitted(same_occupation_lifts: Sequence[float], unrelated_lifts: Sequence[float]) -> Calibration:
    """The calibration these lifts give: partial at the lift only 5% of unrelated profiles
    reach, strong at the median same-occupation lift, good at its lower quartile."""
    same, unrelated = np.asarray(same_occupation_lifts, float), np.asarray(unrelated_lifts, float)
    partial_lift = float(np.quantile(unrelated, 1 - UNRELATED_SHARE_ABOVE_PARTIAL))
    strong_lift = float(np.quantile(same, STRONG_SAME_QUANTILE))
    good_lift = float(np.quantile(same, GOOD_SAME_QUANTILE))
    slope = (_logit(STRONG_SCORE) - _logit(PARTIAL_SCORE)) / max(strong_lift - partial_lift, 1e-6)
    centre = partial_lift - _logit(PARTIAL_SCORE) / slope
    curve = Calibration(round(centre, 4), round(slope, 3), 0.0)
    good = min(max(curve.score(good_lift), PARTIAL_SCORE + 0.01), STRONG_SCORE - 0.01)
    return Calibration(curve.centre, curve.slope, round(good, 3))


def _logit(p: float) -> float:
    return math.log(p / (1 - p))
