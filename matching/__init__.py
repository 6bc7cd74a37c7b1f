"""Tandem's matching: plain data in, plain data out. The web app imports from here and nowhere else.

It reads no environment and imports neither Flask nor SQLAlchemy (an import-linter contract in
`make lint` holds that line): every setting comes in as an argument. What it offers, by task:

- encode: `new_embedder` (one of EMBEDDER_KINDS), the `Embedder` protocol and its kinds,
  `text_hash`, `normalise`; `RememberingEmbedder` and the machine's `SharedVectors` of long
  texts; `OccupationBridge`; a document's fields, text and vectors
  (`need_fields`, `profile_fields`, `embedded_text`, `encode_needs`, `encode_profiles`);
- index: `build_index`, `VectorIndex`, `IndexUnusable`, INDEX_KINDS, MANIFEST (the file a save replaces last);
- rank: `rank_profiles_for_need`, `rank_needs_for_profile`, `FitFilters`, and the types in and
  out (`NeedDoc`, `ProfileDoc`, `SkillRef`, `Match`, `Evidence`, `AugmentationFocus`);
- score: `Weights`, `augmentation_factor`, `CALIBRATION`, `STRONG_SCORE`, `PARTIAL_SCORE`; the transfer
  record (`transfer_record`, `TrackRecord`, `EngagementResult`, `population_prior`,
  `describe_record`, `record_bucket`) and the team's gap (`weigh_by_team_gap`, `TeamGap`,
  `describe_team_gap`);
- normalise skills: `SkillTaxonomy` and its rows, `read_catalogue`, `SkillVectors`,
  `SkillNormaliser` (with PHRASES_A_CALL, the budget a request's normaliser reads), `SkillReader`,
  `RelatedSkills`;
- read augmentation: `augmentation_focus`, `augmentation_focuses`, `need_lean`;
- evaluate: `evaluate_ranking` and `mean_scores` (loaded on first use: the evaluation's
  baselines need the evaluation extra, which the web app does not install); `memory_of`, a
  process's Rss and Pss (the benchmarks' and the load test's measure of memory).

Importing this package is cheap: torch and ONNX Runtime load on the first real encode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matching.augmentation import augmentation_focus, augmentation_focuses, need_lean, sentences_of
from matching.bench_serving import memory_of
from matching.calibration import CALIBRATION, PARTIAL_SCORE, STRONG_SCORE
from matching.documents import embedded_text, encode_needs, encode_profiles, need_fields, profile_fields
from matching.embedder import (
    EMBEDDER_KINDS,
    Embedder,
    FakeEmbedder,
    SentenceTransformerEmbedder,
    bundled_model_path,
    new_embedder,
    normalise,
    text_hash,
)
from matching.fit import FitFilters
from matching.index import KINDS as INDEX_KINDS
from matching.index import MANIFEST, IndexUnusable, VectorIndex, build_index
from matching.known_texts import KnownTexts
from matching.known_texts import unpack as unpack_text_vectors
from matching.occupations import OccupationBridge
from matching.onnx_embedder import OnnxEmbedder
from matching.ranking import rank_needs_for_profile, rank_profiles_for_need
from matching.related_skills import RelatedSkills
from matching.remembering_embedder import RememberingEmbedder
from matching.scoring import Weights, augmentation_factor
from matching.shared_vectors import SharedVectors
from matching.skill_catalogue import Catalogue, read_catalogue
from matching.skill_normaliser import PHRASES_A_CALL, Normalised, SkillNormaliser
from matching.skill_reader import SkillReader, Suggestion
from matching.skill_vectors import SkillVectors
from matching.taxonomy import RowError, SkillTaxonomy, TaxonomySkill
from matching.team_gap import TeamGap
from matching.team_gap import describe as describe_team_gap
from matching.team_gap import team_gap as weigh_by_team_gap
from matching.track_record import MIN_ENGAGEMENTS, PRIOR_STRENGTH, EngagementResult, TrackRecord, population_prior
from matching.track_record import bucket as record_bucket
from matching.track_record import describe as describe_record
from matching.track_record import track_record as transfer_record
from matching.types import AugmentationFocus, Evidence, Match, NeedDoc, ProfileDoc, SkillRef

if TYPE_CHECKING:
    from matching.evaluate import mean_scores
    from matching.evaluate import run as evaluate_ranking

__all__ = [
    "CALIBRATION",
    "EMBEDDER_KINDS",
    "INDEX_KINDS",
    "MANIFEST",
    "MIN_ENGAGEMENTS",
    "PARTIAL_SCORE",
    "PHRASES_A_CALL",
    "PRIOR_STRENGTH",
    "STRONG_SCORE",
    "AugmentationFocus",
    "Catalogue",
    "Embedder",
    "EngagementResult",
    "Evidence",
    "FakeEmbedder",
    "FitFilters",
    "IndexUnusable",
    "KnownTexts",
    "Match",
    "NeedDoc",
    "Normalised",
    "OccupationBridge",
    "OnnxEmbedder",
    "ProfileDoc",
    "RelatedSkills",
    "RememberingEmbedder",
    "RowError",
    "SentenceTransformerEmbedder",
    "SharedVectors",
    "SkillNormaliser",
    "SkillReader",
    "SkillRef",
    "SkillTaxonomy",
    "SkillVectors",
    "Suggestion",
    "TaxonomySkill",
    "TeamGap",
    "TrackRecord",
    "VectorIndex",
    "Weights",
    "augmentation_factor",
    "augmentation_focus",
    "augmentation_focuses",
    "build_index",
    "bundled_model_path",
    "describe_record",
    "describe_team_gap",
    "embedded_text",
    "encode_needs",
    "encode_profiles",
    "evaluate_ranking",
    "mean_scores",
    "memory_of",
    "need_fields",
    "need_lean",
    "new_embedder",
    "normalise",
    "population_prior",
    "profile_fields",
    "rank_needs_for_profile",
    "rank_profiles_for_need",
    "read_catalogue",
    "record_bucket",
    "sentences_of",
    "text_hash",
    "transfer_record",
    "unpack_text_vectors",
    "weigh_by_team_gap",
]

_LAZY = {"evaluate_ranking": "run", "mean_scores": "mean_scores"}


def __getattr__(name: str) -> object:
    """The evaluation's names, imported when first asked for (see the module docstring)."""
    if name in _LAZY:
        from matching import evaluate

        return getattr(evaluate, _LAZY[name])
    raise AttributeError(f"module 'matching' has no attribute {name!r}")
