"""The production ranking: retrieval, hard filters, re-ranking, paging, both directions."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from matching.embedder import FakeEmbedder
from matching.fit import FitFilters
from matching.index import build_index
from matching.ranking import rank_needs_for_profile, rank_profiles_for_need
from matching.types import AugmentationFocus, NeedDoc, ProfileDoc, SkillRef

EMBEDDER = FakeEmbedder(384)


class ListIndex:
    """A stand-in index returning fixed (id, cosine) hits, recording how many were asked for."""

    def __init__(self, hits: list[tuple[int, float]], dim: int = 4) -> None:
        self.hits, self.dim, self.asked = hits, dim, []
        self.centroid = np.zeros(dim, dtype=np.float32)  # no vectors behind the hits: a background of 0

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        self.asked.append(k)
        return self.hits[:k]

    def __len__(self) -> int:
        return len(self.hits)


def lookup_from(docs):
    by_id = {doc.id: doc for doc in docs}
    return lambda ids: {i: by_id[i] for i in ids if i in by_id}


PROFILES = [
    ProfileDoc(1, "Data engineer building Python pipelines", skills=(SkillRef("Python", weight=5),), hourly_rate=90),
    ProfileDoc(2, "Pastry chef and baker", skills=(SkillRef("bake bread", weight=5),), hourly_rate=40),
    ProfileDoc(
        3,
        "Python data engineer who coaches teams",
        skills=(SkillRef("Python", weight=4),),
        hourly_rate=150,
        ai_usage="I coach and mentor analysts.",
    ),
    ProfileDoc(4, "Wedding photographer", hourly_rate=70),
    ProfileDoc(5, "Data engineer for Python pipelines and SQL", skills=(SkillRef("SQL", weight=3),), hourly_rate=80),
]
NEED = NeedDoc(
    100,
    "Python data engineer",
    description="Build data pipelines in Python",
    skills=(SkillRef("Python", weight=3),),
    augment_intent=0.9,
)


def profile_index(profiles=PROFILES):
    vectors = EMBEDDER.encode([p.headline for p in profiles])
    return build_index([p.id for p in profiles], vectors)


def need_vector(need=NEED):
    return EMBEDDER.encode([need.title + " " + need.description])[0]


def test_relevant_profiles_come_first_with_explanations():
    matches = rank_profiles_for_need(NEED, need_vector(), profile_index(), lookup_from(PROFILES), k=3)
    assert len(matches) == 3
    assert {m.id for m in matches} <= {1, 3, 5}
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert all(set(m.parts) == {"relevance", "augmentation", "fit"} and m.label for m in matches)
    assert all(set(m.raw) == {"semantic", "skills", "augmentation"} for m in matches)
    assert next(m for m in matches if m.id == 1).matched_skills == ("Python",)


def test_hard_filters_drop_candidates():
    matches = rank_profiles_for_need(
        NEED, need_vector(), profile_index(), lookup_from(PROFILES), k=5, filters=FitFilters(max_rate=100)
    )
    assert {m.id for m in matches} == {1, 2, 4, 5}


def test_pool_grows_when_filters_remove_too_many():
    hits = [(i, 0.9 - i / 100) for i in range(1, 41)]
    profiles = [ProfileDoc(i, "p", hourly_rate=500 if i <= 30 else 50) for i in range(1, 41)]
    index = ListIndex(hits)
    matches = rank_profiles_for_need(
        NEED, np.ones(4), index, lookup_from(profiles), k=5, pool=4, filters=FitFilters(max_rate=100)
    )
    assert [m.id for m in matches] == [31, 32, 33, 34, 35]
    assert index.asked == [8, 16, 32, 64]  # a page of 5 needs two pools of 4; then doubling


def test_ids_the_lookup_no_longer_knows_are_skipped():
    matches = rank_profiles_for_need(NEED, need_vector(), profile_index(), lookup_from(PROFILES[1:]), k=5)
    assert 1 not in {m.id for m in matches} and len(matches) == 4


def test_pages_follow_on_from_each_other():
    hits = [(i, 0.3 + (i * 7 % 11) / 20) for i in range(1, 30)]
    profiles = [ProfileDoc(i, "p") for i in range(1, 30)]
    lookup = lookup_from(profiles)
    everything = rank_profiles_for_need(NEED, np.ones(4), ListIndex(hits), lookup, k=29, pool=50)
    pages = [
        rank_profiles_for_need(NEED, np.ones(4), ListIndex(hits), lookup, k=10, offset=o, pool=50)
        for o in (0, 10, 20, 30)
    ]
    assert [m.id for page in pages for m in page] == [m.id for m in everything]
    assert [len(page) for page in pages] == [10, 10, 9, 0]


def test_ties_are_broken_by_id():
    hits = [(9, 0.5), (3, 0.5), (7, 0.5)]
    matches = rank_profiles_for_need(
        NEED, np.ones(4), ListIndex(hits), lookup_from([ProfileDoc(i, "same") for i in (3, 7, 9)])
    )
    assert [m.id for m in matches] == [3, 7, 9]


def test_augmentation_orders_equally_similar_candidates():
    focus = {1: AugmentationFocus(0.1), 2: AugmentationFocus(0.95)}
    matches = rank_profiles_for_need(
        NEED,
        np.ones(4),
        ListIndex([(1, 0.6), (2, 0.6)]),
        lookup_from([ProfileDoc(1, "x"), ProfileDoc(2, "x")]),
        focus_of=lambda p: focus[p.id],
    )
    assert [m.id for m in matches] == [2, 1]
    assert matches[0].augmentation == focus[2]


def test_min_augmentation_filter_uses_the_given_focus():
    focus = {1: AugmentationFocus(0.4), 2: AugmentationFocus(0.8)}
    matches = rank_profiles_for_need(
        NEED,
        np.ones(4),
        ListIndex([(1, 0.6), (2, 0.5)]),
        lookup_from([ProfileDoc(1, "x"), ProfileDoc(2, "x")]),
        focus_of=lambda p: focus[p.id],
        filters=FitFilters(min_augmentation=0.6),
    )
    assert [m.id for m in matches] == [2]


@pytest.mark.parametrize(
    "vector, message",
    [(np.ones(3), "dimension 4"), (np.ones((2, 4)), "dimension 4"), (np.array([1.0, np.nan, 0, 0]), "NaN")],
)
def test_bad_query_vectors_are_refused(vector, message):
    with pytest.raises(ValueError, match=message):
        rank_profiles_for_need(NEED, vector, ListIndex([(1, 0.5)]), lookup_from([ProfileDoc(1, "x")]))


def test_nothing_to_rank():
    lookup = lookup_from(PROFILES)
    assert rank_profiles_for_need(NEED, np.ones(4), ListIndex([]), lookup) == []
    assert rank_profiles_for_need(NEED, need_vector(), profile_index(), lookup, k=0) == []


def test_needs_for_a_profile_use_each_needs_intent():
    profile = ProfileDoc(7, "Data coach", ai_usage="I coach and mentor analysts; humans in the loop.")
    needs = [
        NeedDoc(10, "Automate invoices", augment_intent=0.0),
        NeedDoc(11, "Upskill analysts", augment_intent=1.0),
        NeedDoc(12, "Something far away", augment_intent=1.0),
    ]
    index = ListIndex([(10, 0.6), (11, 0.6), (12, 0.12)])
    matches = rank_needs_for_profile(profile, np.ones(4), index, lookup_from(needs))
    assert [m.id for m in matches] == [11, 10, 12]
    assert matches[0].augmentation.score > 0.8  # the profile's own focus, read from its text
    assert matches[0].raw["augmentation"] == pytest.approx(matches[0].augmentation.score)
    assert matches[1].raw["augmentation"] == 0.5


def test_needs_for_a_profile_with_real_index_filters_and_text():
    needs = [
        NeedDoc(20, "Python data pipelines", timezone="Europe/Paris"),
        NeedDoc(21, "Python data pipelines for a team in Tokyo", timezone="Asia/Tokyo"),
        NeedDoc(22, "Bake sourdough bread", timezone="Europe/Paris"),
    ]
    index = build_index([n.id for n in needs], EMBEDDER.encode([n.title for n in needs]))
    profile = ProfileDoc(8, "Python data pipelines engineer", timezone="Europe/Lisbon")
    vector = EMBEDDER.encode([profile.headline])[0]
    matches = rank_needs_for_profile(
        profile,
        vector,
        index,
        lookup_from(needs),
        k=2,
        filters=FitFilters(timezone="Europe/Lisbon", max_timezone_gap_hours=3),
    )
    assert [m.id for m in matches] == [20, 22]
    assert matches[0].score > matches[1].score


def test_a_firm_budget_leaves_candidates_above_it_out():
    over = ProfileDoc(9, "Python data engineer", skills=(SkillRef("Python", weight=5),), hourly_rate=500)
    index = build_index([9], EMBEDDER.encode([over.headline]))
    firm = NeedDoc(1, "Python data pipelines", budget_max=100, budget_firm=True)
    assert rank_profiles_for_need(firm, need_vector(firm), index, lookup_from([over]), k=3) == []
    soft = rank_profiles_for_need(replace(firm, budget_firm=False), need_vector(firm), index, lookup_from([over]), k=3)
    assert [m.flags for m in soft] == [("over budget",)]


def test_the_background_is_the_querys_mean_cosine_to_the_index():
    index = profile_index()
    vector = need_vector()
    match = rank_profiles_for_need(NEED, vector, index, lookup_from(PROFILES), k=1)[0]
    cosine = float(index.vector(match.id) @ vector)
    assert match.raw["semantic"] == pytest.approx(cosine - float(vector @ index.centroid), abs=1e-5)
