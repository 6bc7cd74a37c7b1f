"""The transfer record: shrinkage, the prior for newcomers, the bounded factor, plain words."""

from __future__ import annotations

import json
import math

import pytest

from matching import simulate
from matching.ranking import floor_newcomers
from matching.scoring import Weights, score_pair
from matching.team_gap import describe as describe_gap
from matching.team_gap import gap_factor, team_gap
from matching.track_record import (
    MIN_ENGAGEMENTS,
    PRIOR_STRENGTH,
    EngagementResult,
    bucket,
    describe,
    is_newcomer,
    population_prior,
    record_applies,
    record_factor,
    track_record,
)
from matching.types import AugmentationFocus, Match, NeedDoc, ProfileDoc, SkillRef

GOOD = EngagementResult(transferred=0.8, kept=0.8, health_change=15, rating=4)
GREAT = EngagementResult(transferred=1.0, kept=1.0, health_change=25, rating=5)


def test_outcome_is_the_mean_of_what_is_known():
    assert GREAT.outcome == 1.0
    assert EngagementResult(transferred=0.5).outcome == 0.5
    assert EngagementResult(health_change=-40, rating=1).outcome == 0.0
    assert EngagementResult().outcome is None


def test_shrinkage_is_a_bayesian_mean_with_the_documented_strength():
    record = track_record([GREAT], prior=0.5)
    assert record.score == pytest.approx((PRIOR_STRENGTH * 0.5 + 1.0) / (PRIOR_STRENGTH + 1))


def test_one_great_engagement_does_not_outrank_ten_good_ones():
    one_great = track_record([GREAT] * MIN_ENGAGEMENTS, prior=0.5)
    ten_good = track_record([GOOD] * 10, prior=0.5)
    single = track_record([GREAT], prior=0.5)
    assert ten_good.score > single.score
    assert ten_good.spread < one_great.spread


def test_no_record_is_the_prior_never_a_penalty():
    assert record_factor(None, 0.2) == 1.0
    assert record_factor(track_record([], prior=0.6), 0.2) == 1.0


def test_fewer_than_three_engagements_rank_at_the_prior():
    bad_pair = track_record([EngagementResult(transferred=0.0, rating=1)] * (MIN_ENGAGEMENTS - 1), prior=0.6)
    assert record_factor(bad_pair, 0.2) == 1.0
    assert is_newcomer(bad_pair)


def test_factor_is_bounded_both_ways():
    best = track_record([GREAT] * 50, prior=0.2)
    worst = track_record([EngagementResult(transferred=0.0, kept=0.0, rating=1)] * 50, prior=0.9)
    assert record_factor(best, 0.2) == pytest.approx(1.2)
    assert record_factor(worst, 0.2) == pytest.approx(0.8)


def test_an_empty_record_counts_nothing():
    """Cancelled engagements are never passed in; an engagement without any figure adds nothing."""
    record = track_record([EngagementResult()] * 5, prior=0.4)
    assert record.score == pytest.approx(0.4)


def test_bad_prior_or_strength_is_refused():
    with pytest.raises(ValueError):
        track_record([], prior=math.nan)
    with pytest.raises(ValueError):
        track_record([], prior=0.5, strength=0)
    assert track_record([], prior=2.0).prior == 1.0  # clamped to the outcome scale


def test_population_prior_defaults_to_half():
    assert population_prior([]) == 0.5
    assert population_prior([GREAT, EngagementResult(transferred=0.0)]) == pytest.approx(0.5)


def test_plain_words_carry_n_and_uncertainty():
    words = describe(track_record([GOOD] * 3, prior=0.5))
    assert words.startswith("3 engagements; teams kept most of what they learned")
    assert "estimate" in words
    assert "too few" in describe(track_record([GOOD], prior=0.5))
    assert "1 engagement" in describe(track_record([GOOD], prior=0.5), own=True)
    assert "No completed engagements" in describe(None)


def test_record_applies_to_augmenting_or_learning_needs_only():
    assert record_applies(0.8, "")
    assert record_applies(0.2, "prompt evaluation")
    assert not record_applies(0.2, "  ")
    assert not record_applies(math.nan, "")


def test_buckets():
    assert [bucket(n) for n in (0, 1, 5, 6, 20)] == ["none", "little", "little", "long", "long"]


NEED = NeedDoc(1, "Coach analysts", augment_intent=0.9)


def test_score_carries_the_record_part_for_augmenting_needs():
    profile = ProfileDoc(2, "Coach", record=track_record([GREAT] * 10, prior=0.5))
    match = score_pair(NEED, profile, 0.6, augmentation=AugmentationFocus(0.5))
    assert match.parts["record"] > 1
    plain = score_pair(NEED, ProfileDoc(2, "Coach"), 0.6, augmentation=AugmentationFocus(0.5))
    assert match.score > plain.score
    automate = NeedDoc(1, "Automate invoices", augment_intent=0.1)
    assert "record" not in score_pair(automate, profile, 0.6, augmentation=AugmentationFocus(0.5)).parts


def test_newcomer_score_equals_no_record_score():
    newcomer = ProfileDoc(2, "Coach", record=track_record([], prior=0.7))
    with_prior = score_pair(NEED, newcomer, 0.6, augmentation=AugmentationFocus(0.5))
    without = score_pair(NEED, ProfileDoc(2, "Coach"), 0.6, augmentation=AugmentationFocus(0.5))
    assert with_prior.score == pytest.approx(without.score)


def test_weights_refuse_a_bad_record_weight():
    with pytest.raises(ValueError):
        Weights(record=-0.1)


def _matches(scores):
    return [Match(id=i, score=s) for i, s in enumerate(scores)]


def test_floor_moves_a_close_newcomer_into_the_block():
    ranked = floor_newcomers(_matches([1.0, 0.99, 0.98, 0.97, 0.9]), newcomers={4}, every=3)
    assert [m.id for m in ranked] == [0, 1, 4, 2, 3]


def test_floor_leaves_far_newcomers_where_they_are():
    ranked = floor_newcomers(_matches([1.0, 0.99, 0.98, 0.5]), newcomers={3}, every=3)
    assert [m.id for m in ranked] == [0, 1, 2, 3]


def test_floor_off_or_already_met_changes_nothing():
    matches = _matches([1.0, 0.9, 0.8, 0.7])
    assert floor_newcomers(matches, {3}, 0) == matches
    assert floor_newcomers(matches, {1}, 3) == matches


def test_team_gap_weights_skills_the_team_lacks():
    skills = (SkillRef("SQL", weight=3), SkillRef("LLM evaluation", weight=3))
    gap = team_gap(skills, {"sql": 4})
    assert [s.weight for s in gap.skills] == [pytest.approx(0.75), 3]
    assert describe_gap(gap) == "your team already has SQL; the gap is LLM evaluation"
    assert describe_gap(team_gap(skills, {})) is None
    assert gap_factor(1) == 1 and gap_factor(5) == pytest.approx(0.1)


def test_simulation_prints_the_documented_json(capsys):
    assert simulate.main(["--rounds", "6", "--seed", "3", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"seed", "rounds", "policies"} and report["seed"] == 3 and report["rounds"] == 6
    assert set(report["policies"]) == {"semantic", "record", "record_floor"}
    for figures in report["policies"].values():
        assert set(figures) == {"gap_closed", "newcomer_exposure_ratio", "best_teacher_top3"}


def test_simulation_refuses_too_few_rounds(capsys):
    with pytest.raises(SystemExit) as exit_:
        simulate.main(["--rounds", "1"])
    assert exit_.value.code == 2
    assert "--rounds" in capsys.readouterr().err
