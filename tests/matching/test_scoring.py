"""Scoring one pair: hand-computed parts, renormalisation, the augmentation gate, fit and filters."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.calibration import CALIBRATION, PARTIAL_SCORE, STRONG_SCORE, Calibration, fitted
from matching.fit import FitFilters, fit_part, timezone_gap_hours
from matching.related_skills import BROADER_CREDIT, RELATED_CREDIT, RelatedSkills, credit_for_similarity
from matching.scoring import Weights, augmentation_factor, augmentation_part, score_pair
from matching.skill_vectors import RELATED_MIN
from matching.taxonomy import SkillTaxonomy, TaxonomySkill
from matching.types import AugmentationFocus, NeedDoc, ProfileDoc, SkillRef

from .conftest import AI, URI

NEUTRAL_FOCUS = AugmentationFocus(0.5)
WINTER = datetime(2025, 1, 15, 12, tzinfo=UTC)


def relevance(lift: float) -> float:
    return CALIBRATION.score(lift)


def test_hand_computed_pair():
    need = NeedDoc(
        1,
        "Data pipelines",
        skills=(SkillRef("Python", weight=3), SkillRef("SQL", weight=1)),
        augment_intent=1.0,
        budget_max=100,
        hours_per_week=20,
        timezone="UTC",
    )
    profile = ProfileDoc(
        7,
        "Data engineer",
        skills=(SkillRef("python", weight=5),),
        hourly_rate=120,
        weekly_hours=10,
        timezone="Asia/Tokyo",
    )
    match = score_pair(need, profile, 0.65, background=0.3, augmentation=AugmentationFocus(0.8), at=WINTER)
    # lift 0.35; skills 3*1.0/(3+1) = 0.75 shifts it by 0.15 * (0.75 - 0.5); augmentation 1*0.8 = 0.8;
    # fit mean(rate 1-0.2/0.5 = 0.6, hours 10/20 = 0.5, 9 h apart -> 0) = 0.3667.
    assert match.raw == pytest.approx({"semantic": 0.35, "skills": 0.75, "augmentation": 0.8, "fit": 1.1 / 3})
    assert match.parts == pytest.approx(
        {"relevance": relevance(0.35 + 0.0375), "augmentation": (1 + 0.3 * 0.8) / 1.15, "fit": 1 - 0.3 * (1 - 1.1 / 3)}
    )
    assert match.score == pytest.approx(match.parts["relevance"] * match.parts["augmentation"] * match.parts["fit"])
    assert match.id == 7
    assert match.matched_skills == ("Python",) and match.missing_skills == ("SQL",)
    assert {
        "asks 120/h, above the budget of 100/h",
        "available 10 h/week of the 20 wanted",
        "9 hours' time difference",
    } <= set(match.notes)
    assert match.flags == ("over budget", "fewer hours")
    assert match.augmentation == AugmentationFocus(0.8)
    assert match.label == CALIBRATION.label(match.score)


def test_an_unexplained_score_is_the_same_score_without_lists_or_notes():
    need = NeedDoc(
        1,
        "Data pipelines",
        skills=(SkillRef("Python", weight=3), SkillRef("data warehouse", weight=1)),
        augment_intent=0.8,
        budget_max=100,
        hours_per_week=20,
        timezone="UTC",
    )
    profile = ProfileDoc(
        7,
        "Data engineer",
        skills=(SkillRef("python"), SkillRef("warehouse design")),
        hourly_rate=120,
        weekly_hours=10,
        timezone="Asia/Tokyo",
    )
    full = score_pair(need, profile, 0.55, augmentation=AugmentationFocus(0.8), at=WINTER)
    bare = score_pair(need, profile, 0.55, augmentation=AugmentationFocus(0.8), at=WINTER, explain=False)
    assert (bare.score, bare.parts, bare.raw) == (full.score, full.parts, full.raw)
    assert full.notes and full.matched_skills and full.missing_skills
    assert bare.notes == () and bare.matched_skills == () and bare.missing_skills == ()


def test_parts_without_information_are_left_out_and_count_as_neutral():
    need = NeedDoc(1, "Anything")  # no skills, budget, hours or time zone
    match = score_pair(need, ProfileDoc(2, "Someone"), 0.6, background=0.3, augmentation=NEUTRAL_FOCUS)
    assert set(match.raw) == {"semantic", "augmentation"}
    assert match.parts == pytest.approx({"relevance": relevance(0.3), "augmentation": 1.0, "fit": 1.0})
    assert match.score == pytest.approx(relevance(0.3))
    assert any("skills part left out" in note for note in match.notes)
    assert any("fit part left out" in note for note in match.notes)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -0.1, "0.5", None, True])
def test_weights_must_be_finite_non_negative_numbers(bad):
    with pytest.raises(ValueError, match="skills"):
        Weights(skills=bad)


def test_weight_messages_say_what_is_wrong():
    with pytest.raises(ValueError, match=r"'fit' is nan; weights must be finite"):
        Weights(fit=float("nan"))
    with pytest.raises(ValueError, match="at most everything"):
        Weights(fit=1.5)
    assert Weights(skills=0, augmentation=0, fit=0).fit == 0


def test_nan_semantic_is_refused():
    with pytest.raises(ValueError, match="finite"):
        score_pair(NeedDoc(1, "x"), ProfileDoc(2, "y"), float("nan"), augmentation=NEUTRAL_FOCUS)
    with pytest.raises(ValueError, match="finite"):
        score_pair(NeedDoc(1, "x"), ProfileDoc(2, "y"), 0.5, background=float("inf"), augmentation=NEUTRAL_FOCUS)


def test_the_score_reads_the_lift_above_the_needs_background_not_the_cosine():
    """A nonsense need sits close to everyone: its best cosine means nothing."""
    nonsense = score_pair(NeedDoc(1, "T" * 200), ProfileDoc(2, "y"), 0.55, background=0.45, augmentation=NEUTRAL_FOCUS)
    real = score_pair(NeedDoc(3, "Claims"), ProfileDoc(2, "y"), 0.55, background=0.15, augmentation=NEUTRAL_FOCUS)
    assert nonsense.score < PARTIAL_SCORE <= STRONG_SCORE <= real.score
    assert (nonsense.label, real.label) == ("weak", "strong")


def test_the_calibration_curve_rises_and_its_labels_follow_it():
    assert CALIBRATION.score(-0.2) < CALIBRATION.score(0.1) < CALIBRATION.score(0.3) < CALIBRATION.score(0.6)
    assert PARTIAL_SCORE < CALIBRATION.good < STRONG_SCORE
    labels = [CALIBRATION.label(score) for score in (0.1, 0.45, CALIBRATION.good, 0.8)]
    assert labels == ["weak", "partial", "good", "strong"]


def test_a_fitted_calibration_puts_partial_and_strong_where_the_evidence_sits():
    rng = __import__("numpy").random.default_rng(0)
    same, unrelated = rng.normal(0.35, 0.1, 5_000), rng.normal(0.0, 0.1, 50_000)
    curve = fitted(same, unrelated)
    assert (unrelated < _lift_at(curve, PARTIAL_SCORE)).mean() == pytest.approx(0.95, abs=0.01)
    assert (same >= _lift_at(curve, STRONG_SCORE)).mean() == pytest.approx(0.5, abs=0.02)
    assert isinstance(curve, Calibration) and PARTIAL_SCORE < curve.good < STRONG_SCORE


def _lift_at(curve: Calibration, score: float) -> float:
    return curve.centre + math.log(score / (1 - score)) / curve.slope


def test_irrelevant_augmenter_never_beats_relevant_automator():
    need = NeedDoc(1, "Claims triage", skills=(SkillRef("insurance claims", weight=3),), augment_intent=1.0)
    relevant = ProfileDoc(2, "Claims analyst", skills=(SkillRef("insurance claims", weight=4),))
    irrelevant = ProfileDoc(3, "Pastry chef", skills=(SkillRef("bake bread", weight=5),))
    r = score_pair(need, relevant, 0.6, background=0.2, augmentation=AugmentationFocus(0.0))
    i = score_pair(need, irrelevant, 0.25, background=0.2, augmentation=AugmentationFocus(1.0))
    assert r.score > 2 * i.score


@settings(max_examples=300, deadline=None)
@given(st.floats(-0.2, 0.8), st.floats(-0.2, 0.8), st.floats(0, 1), st.floats(0, 1))
def test_augmentation_only_reorders_candidates_within_thirty_percent(lift_a, lift_b, skill_a, skill_b):
    """A (focus 1) can only beat B (focus 0) if A's relevance is within 1/1.3 of B's."""
    need = NeedDoc(1, "x", skills=(SkillRef("s1", weight=2), SkillRef("s2", weight=2)), augment_intent=1.0)

    def profile(pid: int, coverage: float) -> ProfileDoc:
        level = 1 + round(coverage * 4)
        return ProfileDoc(
            pid, "p", skills=(SkillRef("s1", weight=level), SkillRef("s2", weight=level)) if coverage > 0.05 else ()
        )

    a = score_pair(need, profile(1, skill_a), lift_a, augmentation=AugmentationFocus(1.0))
    b = score_pair(need, profile(2, skill_b), lift_b, augmentation=AugmentationFocus(0.0))
    assert augmentation_factor(1.0, 0.3) / augmentation_factor(0.0, 0.3) == pytest.approx(1.3)
    if a.score > b.score:
        assert a.parts["relevance"] * 1.3 >= b.parts["relevance"] - 1e-9


def test_equally_relevant_candidates_are_ordered_by_augmentation_for_an_augment_need():
    need = NeedDoc(1, "Help our analysts use AI", skills=(SkillRef("data analysis", weight=3),), augment_intent=0.8)
    twin = dict(headline="Analyst", skills=(SkillRef("data analysis", weight=4),))
    coach = score_pair(need, ProfileDoc(2, **twin), 0.6, augmentation=AugmentationFocus(0.9))
    automator = score_pair(need, ProfileDoc(3, **twin), 0.6, augmentation=AugmentationFocus(0.2))
    assert coach.score > automator.score


def test_automate_leaning_need_does_not_punish_either_focus():
    need = NeedDoc(1, "Automate invoice capture", augment_intent=0.0)
    high = score_pair(need, ProfileDoc(2, "a"), 0.6, augmentation=AugmentationFocus(0.95))
    low = score_pair(need, ProfileDoc(3, "b"), 0.6, augmentation=AugmentationFocus(0.05))
    assert high.score == low.score
    assert augmentation_part(0.0, 0.95) == 0.5 and augmentation_part(1.0, 0.95) == 0.95


def test_a_candidate_far_over_budget_loses_up_to_the_fit_weight():
    need = NeedDoc(1, "x", budget_max=100)
    within = score_pair(need, ProfileDoc(2, "y", hourly_rate=90), 0.6, background=0.2, augmentation=NEUTRAL_FOCUS)
    over = score_pair(need, ProfileDoc(3, "y", hourly_rate=175), 0.6, background=0.2, augmentation=NEUTRAL_FOCUS)
    assert over.score == pytest.approx(within.score * 0.7)
    assert over.flags == ("over budget",) and within.flags == ()


def test_match_id_can_be_the_needs():
    match = score_pair(NeedDoc(11, "x"), ProfileDoc(22, "y"), 0.5, augmentation=NEUTRAL_FOCUS, match_id="need")
    assert match.id == 11
    with pytest.raises(ValueError, match="match_id"):
        score_pair(NeedDoc(11, "x"), ProfileDoc(22, "y"), 0.5, augmentation=NEUTRAL_FOCUS, match_id="needs")


def test_taxonomy_joins_differently_written_skills():
    taxonomy = SkillTaxonomy([TaxonomySkill(URI + "py", "Python (computer programming)", ("Python",))])
    need = NeedDoc(1, "x", skills=(SkillRef("python programming", uri=URI + "py", weight=2),))  # mapped when saved
    profile = ProfileDoc(2, "y", skills=(SkillRef("Python", weight=5),))  # an alternative label
    with_taxonomy = score_pair(need, profile, 0.5, augmentation=NEUTRAL_FOCUS, taxonomy=taxonomy)
    unmapped = NeedDoc(1, "x", skills=(SkillRef("python programming", weight=2),))
    without = score_pair(unmapped, profile, 0.5, augmentation=NEUTRAL_FOCUS)
    assert with_taxonomy.raw["skills"] == 1.0
    assert with_taxonomy.matched_skills == ("Python (computer programming)",)
    assert without.raw["skills"] == pytest.approx(0.6 * 0.5 * 1.0)  # partial: half the words shared
    assert without.related_skills == (("python programming", "Python", "similar name"),)
    assert any("partly covered by Python (similar name)" in note for note in without.notes)


def test_a_needs_skills_are_read_again_when_the_taxonomy_changes():
    taxonomy = SkillTaxonomy([TaxonomySkill(URI + "py", "Python (computer programming)", ("Python",))])
    profile = ProfileDoc(2, "y", skills=(SkillRef("Python", weight=5),))
    for knowledge in (None, taxonomy, None, taxonomy):
        need = NeedDoc(1, "x", skills=(SkillRef("python programming", uri=URI + "py", weight=2),))  # a new, equal tuple
        match = score_pair(need, profile, 0.5, augmentation=NEUTRAL_FOCUS, taxonomy=knowledge)
        assert match.raw["skills"] == (1.0 if knowledge else pytest.approx(0.3))


def test_a_related_skill_partly_covers_a_wanted_one_both_ways(taxonomy, vectors):
    related = RelatedSkills(taxonomy, vectors)
    sql, server = SkillRef("SQL", URI + "sql", 3), SkillRef("SQL Server", URI + "sqls", 3)
    for wanted, offered in ((server, sql), (sql, server)):
        match = score_pair(
            NeedDoc(1, "x", skills=(wanted,)),
            ProfileDoc(2, "y", skills=(offered,)),
            0.5,
            augmentation=NEUTRAL_FOCUS,
            taxonomy=taxonomy,
            related=related,
        )
        assert 0.2 < match.raw["skills"] < 0.6
        assert match.related_skills == ((wanted.label, offered.label, "related"),)
        assert f"{wanted.label}: partly covered by {offered.label} (related)" in match.notes
        assert match.missing_skills == ()
    unrelated = score_pair(
        NeedDoc(1, "x", skills=(sql,)),
        ProfileDoc(2, "y", skills=(SkillRef("C++", URI + "cpp"),)),
        0.5,
        augmentation=NEUTRAL_FOCUS,
        taxonomy=taxonomy,
        related=related,
    )
    assert unrelated.raw["skills"] == 0.0 and unrelated.missing_skills == ("SQL",)


def test_an_extension_skill_and_its_broader_esco_skill_are_related(taxonomy):
    related = RelatedSkills(taxonomy)  # the taxonomy's links alone, no vectors
    assert related.of(AI + "rag") == {URI + "ml": BROADER_CREDIT}
    assert related.of(URI + "ml") == {AI + "rag": BROADER_CREDIT}
    assert related.of(None) == {} and related.of("urn:unknown") == {}


def test_credit_for_similarity_rises_between_its_thresholds():
    assert credit_for_similarity(0.3) == 0.0 and credit_for_similarity(RELATED_MIN) == 0.0
    assert 0.0 < credit_for_similarity(0.74) < credit_for_similarity(0.8) < RELATED_CREDIT
    assert credit_for_similarity(0.99) == RELATED_CREDIT


def test_skill_levels_and_importance_weigh_coverage():
    need = NeedDoc(1, "x", skills=(SkillRef("a", weight=3), SkillRef("b", weight=1)))
    aware = score_pair(need, ProfileDoc(2, "y", skills=(SkillRef("A", weight=1),)), 0.5, augmentation=NEUTRAL_FOCUS)
    expert_of_minor = score_pair(
        need, ProfileDoc(3, "y", skills=(SkillRef("b", weight=5),)), 0.5, augmentation=NEUTRAL_FOCUS
    )
    assert aware.raw["skills"] == pytest.approx(3 * 0.6 / 4)
    assert expert_of_minor.raw["skills"] == pytest.approx(1 / 4)


def test_profile_with_two_hundred_skills():
    skills = tuple(SkillRef(f"skill number {i}", weight=1 + i % 5) for i in range(200))
    need = NeedDoc(1, "x", skills=(SkillRef("skill number 42", weight=3), SkillRef("welding", weight=1)))
    match = score_pair(need, ProfileDoc(2, "y", skills=skills), 0.5, augmentation=NEUTRAL_FOCUS)
    assert match.matched_skills == ("skill number 42",)
    assert match.missing_skills == ("welding",)
    assert match.raw["skills"] == pytest.approx(3 * 0.8 / 4)  # skill 42 is at level 1 + 42 % 5 = 3


def test_empty_texts_and_other_scripts_score_without_error():
    need = NeedDoc(1, "", skills=(SkillRef("機械学習", weight=3), SkillRef("Обработка данных", weight=1)))
    profile = ProfileDoc(2, "", skills=(SkillRef("機械学習", weight=4),))
    match = score_pair(need, profile, 0.3, augmentation=NEUTRAL_FOCUS)
    assert match.matched_skills == ("機械学習",) and match.missing_skills == ("Обработка данных",)
    assert 0 <= match.score <= 1


def test_score_stays_within_bounds_at_the_extremes():
    need = NeedDoc(
        1, "x", skills=(SkillRef("a"),), augment_intent=1.0, budget_max=50, hours_per_week=10, timezone="UTC"
    )
    best = ProfileDoc(2, "y", skills=(SkillRef("a", weight=5),), hourly_rate=10, weekly_hours=40, timezone="UTC")
    worst = ProfileDoc(3, "y", hourly_rate=1000, weekly_hours=0, timezone="Pacific/Kiritimati")
    assert score_pair(need, best, 1.0, augmentation=AugmentationFocus(1.0)).score == pytest.approx(1.0, abs=1e-3)
    assert score_pair(need, worst, -1.0, background=1.0, augmentation=AugmentationFocus(0.0)).score == pytest.approx(
        0.0, abs=1e-6
    )


def test_timezone_gap_uses_utc_offsets_and_wraps_around_the_date_line():
    assert timezone_gap_hours("Europe/London", "America/New_York", WINTER) == 5
    assert timezone_gap_hours("Asia/Kolkata", "UTC", WINTER) == 5.5
    assert timezone_gap_hours("Pacific/Auckland", "Pacific/Honolulu", WINTER) == 1  # +13 and -10
    assert timezone_gap_hours("Mars/Olympus", "UTC") is None
    assert timezone_gap_hours(None, "UTC") is None


def test_unknown_profile_data_is_neutral_in_fit():
    need = NeedDoc(1, "x", budget_max=100, hours_per_week=20, timezone="Europe/Berlin")
    fit, notes = fit_part(need, ProfileDoc(2, "y", timezone="Not/AZone"))
    assert fit == 0.5
    assert notes == ["no rate stated", "no weekly hours stated", "no time zone stated"]
    assert fit_part(NeedDoc(1, "x", timezone="Bad/Zone"), ProfileDoc(2, "y")) == (None, [])


def test_fit_filters_drop_profiles_outside_hard_limits():
    filters = FitFilters(
        max_rate=100, min_weekly_hours=10, timezone="UTC", max_timezone_gap_hours=3, min_augmentation=0.6
    )
    ok = ProfileDoc(1, "a", hourly_rate=90, weekly_hours=20, timezone="Europe/Lisbon")
    assert filters.admits_profile(ok, AugmentationFocus(0.7))
    assert not filters.admits_profile(ok, AugmentationFocus(0.5))
    assert not filters.admits_profile(ProfileDoc(2, "b", hourly_rate=101), AugmentationFocus(0.7))
    assert not filters.admits_profile(ProfileDoc(3, "c", weekly_hours=5), AugmentationFocus(0.7))
    assert not filters.admits_profile(ProfileDoc(4, "d", timezone="Asia/Tokyo"), AugmentationFocus(0.7))
    assert filters.admits_profile(ProfileDoc(5, "e"), AugmentationFocus(0.7))  # unstated data passes
    assert filters.admits_need(NeedDoc(6, "n", augment_intent=0.9, timezone="Europe/Paris"))
    assert not filters.admits_need(NeedDoc(7, "n", augment_intent=0.3))
    with pytest.raises(ValueError, match="max_rate"):
        FitFilters(max_rate=math.nan)
