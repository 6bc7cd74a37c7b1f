"""What differs between the two kinds of ranked item, needs and profiles, in one table: how
their rows are loaded, made into documents, encoded, and what reading of their words is stored
beside their vectors. The rest of webapp/search is written once, for either kind."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from matching import (
    AugmentationFocus,
    Embedder,
    OccupationBridge,
    augmentation_focuses,
    encode_needs,
    encode_profiles,
    need_fields,
    need_lean,
    profile_fields,
)

from ..extensions import db
from ..models import FreelancerProfile, ItemKind, Need, NeedSkill, NeedStatus, ProfileSkill
from ..skills.taxonomy import taxonomy
from .cards import NeedCard, cached_cards, read_profile_cards
from .docs import need_doc, profile_doc
from .state import search_state


def load_needs(ids: Iterable[int], *, shown: bool = False) -> dict[int, Need]:
    """The needs with what scoring reads; `shown` needs also with the team and organisation a
    card names, in the same query (each would otherwise be asked for row by row)."""
    query = (
        select(Need)
        .where(Need.id.in_(list(ids)))
        .options(selectinload(Need.skills).selectinload(NeedSkill.skill), selectinload(Need.goal))
    )
    if shown:
        query = query.options(joinedload(Need.team), joinedload(Need.organisation))
    return {need.id: need for need in db.session.scalars(query)}


def load_profiles(ids: Iterable[int]) -> dict[int, FreelancerProfile]:
    rows = db.session.scalars(
        select(FreelancerProfile)
        .where(FreelancerProfile.id.in_(list(ids)))
        .options(
            selectinload(FreelancerProfile.skills).selectinload(ProfileSkill.skill), joinedload(FreelancerProfile.user)
        )
    )
    return {profile.id: profile for profile in rows}


def read_need_cards(ids: list[int]) -> dict[int, NeedCard]:
    return {
        need_id: NeedCard(need_doc(need), need.status is NeedStatus.OPEN) for need_id, need in load_needs(ids).items()
    }


def evidence_json(read: AugmentationFocus) -> list[dict]:
    """A reading's evidence as stored: source, words, weight."""
    return [{"source": e.source, "text": e.text, "weight": e.weight} for e in read.evidence]


def _store_focuses(rows: Sequence[FreelancerProfile], docs: Sequence, model: Embedder) -> None:
    focuses = augmentation_focuses(list(docs), model, skill_leans=taxonomy().leans)
    for row, focus in zip(rows, focuses):
        row.augmentation_focus, row.augmentation_evidence = focus.score, evidence_json(focus)


def _store_leans(rows: Sequence[Need], docs: Sequence, model: Embedder) -> None:
    leans = taxonomy().leans
    for row, doc in zip(rows, docs):
        lean = need_lean(doc, model, skill_leans=leans)
        row.augment_lean, row.lean_evidence = lean.score, evidence_json(lean)


@dataclass(frozen=True)
class Kind:
    model: type[Need] | type[FreelancerProfile]
    load: Callable[[Iterable[int]], dict[int, Any]]
    doc: Callable[[Any], Any]  # row -> NeedDoc or ProfileDoc
    fields: Callable[[Any], Any]  # document -> the fields embedded
    encode: Callable[[list, Embedder, OccupationBridge | None], np.ndarray]
    store_readings: Callable[[Sequence[Any], Sequence[Any], Embedder], None]  # rows, their docs
    read_cards: Callable[[list[int]], dict[int, Any]]  # what ranking reads, kept (webapp.search.cards)


KINDS: dict[ItemKind, Kind] = {
    ItemKind.NEED: Kind(Need, load_needs, need_doc, need_fields, encode_needs, _store_leans, read_need_cards),
    ItemKind.PROFILE: Kind(
        FreelancerProfile,
        load_profiles,
        profile_doc,
        profile_fields,
        encode_profiles,
        _store_focuses,
        read_profile_cards,
    ),
}


def cards_of(kind: ItemKind, ids: Iterable[int]) -> dict[int, Any]:
    """The cards of `ids`, kept between requests; call after `live_index(kind)`, whose catch-up
    forgets the cards of what changed."""
    return cached_cards(ids, search_state().cards[kind], KINDS[kind].read_cards)
