"""The production ranking, used by the web app and by the evaluation alike.

The index retrieves a pool of nearest candidates by cosine; hard filters drop some; the scoring
parts re-rank the rest; a page of `k` is returned after `offset`. The pool is a multiple of `pool`
large enough for the page, so every page inside the first `pool` candidates comes from the same
pool and pages agree with each other; when filters (or ids the lookup no longer knows) leave too
few candidates, the pool doubles until the page is full or the index is exhausted.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Protocol, TypeVar

import numpy as np

from matching.augmentation import augmentation_focus
from matching.fit import FitFilters
from matching.related_skills import RelatedSkills
from matching.scoring import Weights, score_pair
from matching.taxonomy import SkillTaxonomy
from matching.track_record import is_newcomer
from matching.types import AugmentationFocus, Match, NeedDoc, ProfileDoc

Doc = TypeVar("Doc")


class SearchableIndex(Protocol):
    """What ranking needs of an index (matching.index.VectorIndex has it), its `centroid` (the
    mean of its vectors: a query's background) included, so that a wrapper can't hide it."""

    @property
    def dim(self) -> int: ...

    @property
    def centroid(self) -> np.ndarray: ...

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]: ...

    def __len__(self) -> int: ...


def rank_profiles_for_need(
    need: NeedDoc,
    need_vector: np.ndarray,
    index: SearchableIndex,
    lookup_profiles: Callable[[Sequence[int]], Mapping[int, ProfileDoc]],
    *,
    k: int = 20,
    pool: int = 100,
    filters: FitFilters | None = None,
    weights: Weights = Weights(),
    taxonomy: SkillTaxonomy | None = None,
    related: RelatedSkills | None = None,
    focus_of: Callable[[ProfileDoc], AugmentationFocus] | None = None,
    offset: int = 0,
    newcomer_floor: int = 0,
) -> list[Match]:
    """Freelancers for a need, best first; Match.id is the profile id. Each profile's focus is
    `focus_of(profile)` when given, else the one its document carries, else read from its text by
    the lexicon (no embedder). With newcomer_floor=N, each N slots hold at least one newcomer
    where one is about as relevant (`floor_newcomers`)."""
    focus_of = focus_of or _carried_focus
    filters = _with_firm_budget(filters, need)
    background = _background(need_vector, index)

    def score(profile: ProfileDoc, cosine: float, explain: bool) -> Match | None:
        focus = focus_of(profile)
        if filters is not None and not filters.admits_profile(profile, focus):
            return None
        return score_pair(
            need,
            profile,
            cosine,
            augmentation=focus,
            background=background,
            weights=weights,
            taxonomy=taxonomy,
            related=related,
            at=now,
            explain=explain,
        )

    now = datetime.now(UTC)
    reorder = None
    if newcomer_floor > 0:

        def reorder(kept: list[Match], seen: Mapping[int, tuple[ProfileDoc, float]]) -> list[Match]:
            newcomers = {pid for pid, (doc, _) in seen.items() if is_newcomer(doc.record)}
            return floor_newcomers(kept, newcomers, newcomer_floor)

    return _rank(need_vector, index, lookup_profiles, score, k=k, pool=pool, offset=offset, reorder=reorder)


FLOOR_TOLERANCE = 0.15  # "about equally relevant": within 15% of the score of the slot given up


def floor_newcomers(
    matches: list[Match], newcomers: set[int], every: int, tolerance: float = FLOOR_TOLERANCE
) -> list[Match]:
    """Best first, with at least one newcomer in each block of `every` slots where one scores
    within `tolerance` of the block's last slot: the best such newcomer ranked below moves up
    into that slot, and everyone it passes moves down one. A block that has a newcomer, or finds
    none close enough, is left as it is."""
    if every <= 0:
        return list(matches)
    ranked = list(matches)
    for start in range(0, len(ranked), every):
        block_end = min(start + every, len(ranked)) - 1
        if any(m.id in newcomers for m in ranked[start : block_end + 1]):
            continue
        floor = ranked[block_end].score * (1 - tolerance)
        chosen = next(
            (i for i in range(block_end + 1, len(ranked)) if ranked[i].id in newcomers and ranked[i].score >= floor),
            None,
        )
        if chosen is not None:
            ranked.insert(block_end, ranked.pop(chosen))
    return ranked


def rank_needs_for_profile(
    profile: ProfileDoc,
    profile_vector: np.ndarray,
    need_index: SearchableIndex,
    lookup_needs: Callable[[Sequence[int]], Mapping[int, NeedDoc]],
    *,
    k: int = 20,
    pool: int = 100,
    filters: FitFilters | None = None,
    weights: Weights = Weights(),
    taxonomy: SkillTaxonomy | None = None,
    related: RelatedSkills | None = None,
    focus: AugmentationFocus | None = None,
    offset: int = 0,
) -> list[Match]:
    """Needs for a freelancer, best first; Match.id is the need id. The augmentation part is each
    need's intent times this profile's `focus` (read from its text when not given)."""
    focus = focus or augmentation_focus(profile)
    background = _background(profile_vector, need_index)

    def score(need: NeedDoc, cosine: float, explain: bool) -> Match | None:
        if filters is not None and not filters.admits_need(need):
            return None
        if need.budget_firm and not FitFilters(max_rate=need.budget_max).admits_profile(profile, focus):
            return None
        return score_pair(
            need,
            profile,
            cosine,
            augmentation=focus,
            background=background,
            weights=weights,
            taxonomy=taxonomy,
            related=related,
            match_id="need",
            at=now,
            explain=explain,
        )

    now = datetime.now(UTC)

    return _rank(profile_vector, need_index, lookup_needs, score, k=k, pool=pool, offset=offset)


def _rank(
    vector: np.ndarray,
    index: SearchableIndex,
    lookup: Callable[[Sequence[int]], Mapping[int, Doc]],
    score: Callable[[Doc, float, bool], Match | None],
    *,
    k: int,
    pool: int,
    offset: int,
    reorder: Callable[[list[Match], Mapping[int, tuple[Doc, float]]], list[Match]] | None = None,
) -> list[Match]:
    """The pool is scored without explanations; the page returned is scored again with them
    (the same numbers: the explanation is the only difference)."""
    query = _query(vector, index)
    if k <= 0 or offset < 0 or not len(index):
        return []
    wanted = offset + k
    size = max(1, pool) * math.ceil(wanted / max(1, pool))
    scored: dict[int, Match | None] = {}
    seen: dict[int, tuple[Doc, float]] = {}
    while True:
        hits = index.search(query, size)
        new = [(item, cosine) for item, cosine in hits if item not in scored]
        docs = lookup([item for item, _ in new]) if new else {}
        for item, cosine in new:
            scored[item] = score(docs[item], cosine, False) if item in docs else None
            if item in docs:
                seen[item] = (docs[item], cosine)
        kept = [match for match in scored.values() if match is not None]
        if len(kept) >= wanted or len(hits) < size or size >= len(index):
            break
        size *= 2
    kept.sort(key=lambda match: (-match.score, match.id))
    if reorder is not None:
        kept = reorder(kept, seen)
    explained = [score(*seen[match.id], True) for match in kept[offset:wanted]]
    return [match for match in explained if match is not None]  # scored once already: none drop out


def _background(vector: np.ndarray, index: SearchableIndex) -> float:
    """The query's mean cosine to everything in the index: where its calibrated lift starts."""
    return float(_query(vector, index) @ index.centroid) if len(index) else 0.0


def _with_firm_budget(filters: FitFilters | None, need: NeedDoc) -> FitFilters | None:
    """The filters, with the need's budget as a hard limit when the leader called it firm."""
    if not need.budget_firm or need.budget_max is None:
        return filters
    limit = need.budget_max if filters is None or filters.max_rate is None else min(filters.max_rate, need.budget_max)
    return replace(filters or FitFilters(), max_rate=limit)


def _query(vector: np.ndarray, index: SearchableIndex) -> np.ndarray:
    """The vector as one float32 row; ValueError if its dimension is wrong or it is not finite."""
    array = np.asarray(vector, dtype=np.float32)
    if array.ndim == 2 and array.shape[0] == 1:
        array = array[0]
    if array.ndim != 1 or array.shape[0] != index.dim:
        raise ValueError(f"query vector has shape {np.shape(vector)}; the index holds vectors of dimension {index.dim}")
    if not np.isfinite(array).all():
        raise ValueError("query vector contains NaN or infinity")
    return array


def _carried_focus(profile: ProfileDoc) -> AugmentationFocus:
    return profile.focus if profile.focus is not None else augmentation_focus(profile)
