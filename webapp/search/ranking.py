"""Ranking services: freelancers for a need, needs for a freelancer, free-text search.
They read only; visibility and roles are applied here, before anything reaches a template."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

import numpy as np
from flask import abort, current_app

from matching import (
    AugmentationFocus,
    FitFilters,
    Match,
    NeedDoc,
    ProfileDoc,
    VectorIndex,
    Weights,
    encode_needs,
    encode_profiles,
    rank_needs_for_profile,
    rank_profiles_for_need,
)

from ..freelancers.records import records_for
from ..models import FreelancerProfile, ItemKind, Need, User
from ..paging import Page
from ..scope import visible_ids, visible_profiles
from ..skills.taxonomy import related_skills, taxonomy
from .cards import stored_focus
from .docs import need_doc, profile_doc
from .engine import embedder, occupation_bridge
from .indexes import live_index, stored_vector
from .kinds import cards_of, load_needs, load_profiles
from .team_gap import gap_of, gap_sentence, with_team_gap

PER_PAGE = 10
MAX_PAGE = 10  # ranked lists end here: deeper pages are better reached by narrowing the filters
MAX_POOL = 400  # candidates one request may score, however restrictive its filters


def page_number(raw: int | None) -> int:
    """A requested page, kept within 1..MAX_PAGE."""
    return max(1, min(raw or 1, MAX_PAGE))


@dataclass(frozen=True)
class CappedPool:
    """An index as one ranking request sees it: a search asks for at most MAX_POOL neighbours, so
    filters that keep few candidates stop the pool from doubling through the whole index."""

    index: VectorIndex
    cap: int = MAX_POOL

    @property
    def dim(self) -> int:
        return self.index.dim

    @property
    def centroid(self) -> np.ndarray:
        """The index's mean vector: a query's background, which a calibrated score is read from."""
        return self.index.centroid

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        return self.index.search(query, min(k, self.cap))

    def __len__(self) -> int:
        return len(self.index)


@dataclass(frozen=True)
class CandidateFilters:
    """What a leader can narrow the candidates by; every field comes from the query string."""

    max_rate: Decimal | None = None
    min_weekly_hours: int | None = None
    max_timezone_gap: int | None = None
    min_augmentation: float | None = None
    page: int = 1

    def fit_filters(self, need: Need) -> FitFilters:
        return FitFilters(
            max_rate=float(self.max_rate) if self.max_rate is not None else None,
            min_weekly_hours=self.min_weekly_hours,
            timezone=need.timezone if self.max_timezone_gap is not None else None,
            max_timezone_gap_hours=self.max_timezone_gap,
            min_augmentation=self.min_augmentation,
        )


@dataclass(frozen=True, kw_only=True)
class RankedPage(Page[Match]):
    """A page of ranked matches: the one Page every pager reads, with what a ranking adds."""

    rows: dict[int, object] = field(default_factory=dict)  # id -> Need or FreelancerProfile, in rank order
    notes: list[str] = field(default_factory=list)
    team_gap: str | None = None  # "Your team already has SQL; the gap is LLM evaluation."

    @property
    def matches(self) -> list[Match]:
        return self.items


def _ranked(matches: list[Match], rows: dict, page: int, per_page: int, notes: list[str] | None = None) -> RankedPage:
    """Matches fetched one past the page (`per_page + 1`): the extra one says a next page exists."""
    shown = matches[:per_page]
    return RankedPage(
        shown, page, len(matches) > per_page, per_page, rows={m.id: rows[m.id] for m in shown}, notes=notes or []
    )


def visible_profile(viewer: User, profile_id: int) -> FreelancerProfile:
    """The profile if the viewer may see it; 404 otherwise, by URL or crafted POST alike."""
    profile = visible_profiles(viewer, load_profiles([profile_id])).get(profile_id)
    if profile is None:
        abort(404)
    return profile


def candidates_for_need(need: Need, filters: CandidateFilters, *, viewer: User) -> RankedPage:
    vector = stored_vector(ItemKind.NEED, need.id)
    if vector is None:
        return _ranked([], {}, filters.page, PER_PAGE, ["This need has no text to match on yet."])
    gap = gap_of(need)
    page = rank_candidates(
        with_team_gap(need_doc(need), gap), vector, filters.fit_filters(need), page_number(filters.page), viewer=viewer
    )
    return replace(page, team_gap=gap_sentence(gap))


STRONG_MATCH_POOL = 100


def _matching_doc(need: Need) -> NeedDoc:
    """The need as ranking reads it: its skills weighted by the team's gap unless switched off."""
    return with_team_gap(need_doc(need), gap_of(need))


def strong_match_count(need: Need, *, viewer: User) -> int:
    """How many of the freelancers nearest to the need are a strong fit (matching.calibration)."""
    vector = stored_vector(ItemKind.NEED, need.id)
    if vector is None:
        return 0
    matches = _ranked_profiles(_matching_doc(need), vector, None, viewer=viewer, k=STRONG_MATCH_POOL)
    return sum(match.label == "strong" for match in matches)


def candidate_count(need: Need, *, viewer: User) -> int:
    """How many of the freelancers nearest to the need fit its terms: rate within the budget,
    enough hours a week (what a profile leaves out is not held against it)."""
    vector = stored_vector(ItemKind.NEED, need.id)
    if vector is None:
        return 0
    terms = FitFilters(
        max_rate=float(need.budget_max) if need.budget_max is not None else None, min_weekly_hours=need.hours_per_week
    )
    matches = _ranked_profiles(_matching_doc(need), vector, None, viewer=viewer, k=STRONG_MATCH_POOL)
    cards = cards_of(ItemKind.PROFILE, [match.id for match in matches])
    return sum(terms.admits_profile(card.doc, card.focus) for m in matches if (card := cards.get(m.id)))


def _ranked_profiles(
    doc: NeedDoc, vector, fit: FitFilters | None, *, viewer: User, k: int, offset: int = 0
) -> list[Match]:
    """Ranked from cards, within what the viewer may see, each with its transfer record
    (webapp/freelancers/records.py), newcomers kept a floor of slots (TANDEM_NEWCOMER_FLOOR)."""

    def lookup(ids):
        cards = cards_of(ItemKind.PROFILE, ids)
        allowed = visible_ids(viewer, {pid: card.visibility for pid, card in cards.items()})
        records = records_for(allowed)
        return {pid: replace(cards[pid].doc, record=records[pid]) for pid in allowed}

    return rank_profiles_for_need(
        doc,
        vector,
        CappedPool(live_index(ItemKind.PROFILE)),
        lookup,
        k=k,
        offset=offset,
        filters=fit,
        weights=Weights(),
        taxonomy=taxonomy(),
        related=related_skills(),
        newcomer_floor=current_app.config.get("TANDEM_NEWCOMER_FLOOR", 0),
    )


def rank_candidates(
    doc: NeedDoc, vector, fit: FitFilters | None, page: int, *, viewer: User, per_page: int = PER_PAGE
) -> RankedPage:
    """The pool is scored from cards; only the profiles shown are loaded as ORM rows."""
    matches = _ranked_profiles(doc, vector, fit, viewer=viewer, k=per_page + 1, offset=(page - 1) * per_page)
    return _ranked(matches, load_profiles([m.id for m in matches[:per_page]]), page, per_page)


def needs_for_profile(profile: FreelancerProfile, page: int = 1, per_page: int = PER_PAGE) -> RankedPage:
    page = page_number(page)
    vector = stored_vector(ItemKind.PROFILE, profile.id)
    if vector is None:
        return _ranked([], {}, page, per_page, ["Add a headline and skills to see needs ranked for you."])
    focus = stored_focus(profile.augmentation_focus, profile.augmentation_evidence)
    return _rank_needs(profile_doc(profile), vector, focus, page, per_page)


def _rank_needs(doc: ProfileDoc, vector, focus: AugmentationFocus, page: int, per_page: int = PER_PAGE) -> RankedPage:
    def lookup(ids):
        return {nid: card.doc for nid, card in cards_of(ItemKind.NEED, ids).items() if card.is_open}

    matches = rank_needs_for_profile(
        doc,
        vector,
        CappedPool(live_index(ItemKind.NEED)),
        lookup,
        k=per_page + 1,
        offset=(page - 1) * per_page,
        weights=Weights(),
        taxonomy=taxonomy(),
        related=related_skills(),
        focus=focus,
    )
    return _ranked(matches, load_needs([m.id for m in matches[:per_page]], shown=True), page, per_page)


def preview_candidates(doc: NeedDoc, *, viewer: User, limit: int = 5) -> RankedPage:
    """Top matches for a need still being written (embeds the draft: one short query)."""
    vector = encode_needs([doc], embedder(), occupation_bridge())[0]
    return rank_candidates(doc, vector, None, 1, viewer=viewer, per_page=limit)


def search_profiles(text: str, page: int, *, viewer: User) -> RankedPage:
    """Freelancers for a free-text description, ranked as if it were a need."""
    doc = NeedDoc(id=0, title=text)
    vector = encode_needs([doc], embedder(), occupation_bridge())[0]
    return rank_candidates(doc, vector, None, page_number(page), viewer=viewer)


def search_needs(text: str, page: int) -> RankedPage:
    """Open needs for a free-text description, ranked as if it were a profile."""
    doc = ProfileDoc(id=0, headline=text)
    vector = encode_profiles([doc], embedder(), occupation_bridge())[0]
    return _rank_needs(doc, vector, AugmentationFocus(0.5), page_number(page))
