"""Free-text skills to taxonomy skills: exact names first, then meaning, with a confidence.

`SkillNormaliser.normalise_many(texts)` gives each text a `Normalised`: the skill it is mapped to
automatically (confidence ≥ AUTO_CONFIDENCE), else None with "did you mean" suggestions, and the
text as typed either way. The order of evidence:
1. the preferred label, ignoring case, spacing and punctuation (confidence 1);
2. a clean alternative label (ESCO's own, a former preferred label, the extension's) (0.98);
3. the nearest names by meaning (`SkillVectors`), for every text in one encode call. The
   confidence grows with the best name's cosine, with its lead over the next skill, and when
   the skill's preferred label is also the nearest label.
A text of more than PHRASE_READ_WORDS words (a sentence, not a skill's name) is also read phrase
by phrase (`matching.skill_reader`), and the skills its phrases name take turns with those its
whole meaning is nearest, the whole's first only when it is sure: "we want someone to build RAG
pipelines and then help our team grow" ranks retrieval-augmented generation (from its words),
then coaching (from the whole).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import zip_longest

import numpy as np

from matching.bounded_cache import BoundedCache
from matching.embedder import Embedder
from matching.remembering_embedder import RememberingEmbedder
from matching.skill_reader import MAX_PHRASES, SkillReader, candidate_phrases
from matching.skill_vectors import NameHit, SkillVectors
from matching.taxonomy import SkillTaxonomy, TaxonomySkill

MAX_CHARS = 300  # a skill is a short text: the rest of a longer one is not read
PHRASE_READ_WORDS = 6
# A budget of phrases read in one call, for a normaliser that answers requests (two descriptions'
# worth, ~400 ms): the texts after it, as in a form of 40 sentence-long skills, are ranked by
# their whole meaning only. Without one (evaluations, imports) every long text is read.
PHRASES_A_CALL = 2 * MAX_PHRASES
SUGGESTIONS = 5
# Answers kept per process: the same skills are typed on profile after profile, and a description
# being written is re-read every few keystrokes with mostly the same phrases. A normalised text
# is a few hundred bytes, a phrase's vector 1.5 KB: about 4 MB for both at most.
REMEMBERED_TEXTS = 4096
REMEMBERED_VECTORS = 2048
AUTO_CONFIDENCE = 0.5895  # the fitted threshold (see CONFIDENCE)
# Nor is anything mapped by meaning whose best name is less near than this, however far ahead
# of the rest (a small taxonomy has few rivals). No right match on the validation spans was below it.
MIN_AUTO_SIMILARITY = 0.7
EXACT_LABEL, EXACT_ALTERNATIVE = 1.0, 0.98
# The confidence of a match by meaning: a logistic curve over the best name's (weighted)
# cosine, its lead over the next skill's best name, and whether the nearest preferred label
# among the skills found is this one's (the labels' channel agreeing with the names'). Fitted on
# the benchmark's validation spans with its threshold for precision >= 0.85; held out (5-fold,
# 10 shuffles, and each split fitted on the other) it maps 47-50% of the spans at 0.81-0.87
# (`python -m matching.evaluate_skills --fit-confidence FILES`; figures in the README).
CONFIDENCE = {"bias": -3.91, "score": 3.083, "lead": 7.086, "label_agrees": 1.548}


@dataclass(frozen=True)
class Candidate:
    skill: TaxonomySkill
    score: float  # the confidence this skill is the one meant, in [0, 1]
    via: str  # "label", "alternative label", or the name matched by meaning
    words: str = ""  # the words of the text it came from (for text read phrase by phrase)
    similarity: float = 1.0  # the name's cosine (weighted by its kind), for matches by meaning

    @property
    def sure(self) -> bool:
        """Whether the skill is mapped automatically: a skill one phrase of a longer text names is
        only suggested, since the confidence is fitted on whole mentions."""
        return not self.words and self.score >= AUTO_CONFIDENCE and self.similarity >= MIN_AUTO_SIMILARITY


@dataclass(frozen=True)
class Normalised:
    text: str  # as typed, spacing collapsed
    skill: TaxonomySkill | None  # mapped automatically, or None
    confidence: float
    candidates: tuple[Candidate, ...] = ()  # best first; "did you mean" when skill is None

    @property
    def suggestions(self) -> tuple[TaxonomySkill, ...]:
        return tuple(c.skill for c in self.candidates)


def clean(text: str) -> str:
    """The text with control characters gone and spacing collapsed, at most MAX_CHARS long."""
    kept = "".join(c for c in str(text) if unicodedata.category(c)[0] != "C" or c in "\t\n")
    return " ".join(kept.split())[:MAX_CHARS].strip()


# Words job ads wrap around a skill ("strong communication skills", "experience with Docker"):
# they pull a mention towards whatever skill names contain them. Taken off before the mention is
# embedded; on the validation spans +3 HOUSE spans, TECH unchanged.
_WRAPPING = re.compile(
    r"\b(?:skills?|abilit(?:y|ies)(?: to)?|experience(?:d)?(?: (?:in|with|of))?|knowledge(?: (?:of|in))?|"
    r"strong|excellent|good|proven|solid|demonstrated|understanding(?: of)?|proficien(?:cy|t)(?: (?:in|with))?|"
    r"familiarity(?: with)?|expertise(?: in)?|workstyle)\b",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"[\s?.!;:,)(-]+$")


def mention_core(text: str) -> str:
    """The mention without the words job ads wrap around skills, or the text itself if nothing is left."""
    core = " ".join(_TRAILING.sub("", _WRAPPING.sub(" ", text)).split())
    return core if has_words(core) else text


def has_words(text: str) -> bool:
    """Whether the text holds a letter or digit in any script (emoji and punctuation alone don't)."""
    return any(c.isalnum() for c in text)


class SkillNormaliser:
    """Maps mentions to taxonomy skills; without vectors or an embedder, by exact names only."""

    def __init__(
        self,
        taxonomy: SkillTaxonomy,
        vectors: SkillVectors | None = None,
        embedder: Embedder | None = None,
        *,
        phrase_budget: int | None = None,
    ) -> None:
        self.taxonomy = taxonomy
        self.phrase_budget = phrase_budget  # phrases read in one call at most (see PHRASES_A_CALL)
        self.vectors = vectors if embedder is not None else None
        self.embedder = embedder
        self._normalised: BoundedCache[str, Normalised] = BoundedCache(REMEMBERED_TEXTS)
        self._remembering = (
            RememberingEmbedder(embedder, REMEMBERED_VECTORS, largest_call=MAX_PHRASES)
            if embedder is not None
            else None
        )

    def forget(self) -> None:
        """Drops what was remembered of texts seen before (benchmarks time fresh texts)."""
        self._normalised.clear()
        if self._remembering is not None:
            self._remembering.forget()

    def normalise(self, text: str) -> Normalised:
        return self.normalise_many([text])[0]

    def normalise_many(self, texts: Sequence[str]) -> list[Normalised]:
        """Each text's normalisation; all that need meaning and were not seen lately are encoded in one call."""
        cleaned = [clean(text) for text in texts]
        results = [self._normalised.get(text) for text in cleaned]
        fresh = list(dict.fromkeys(text for text, result in zip(cleaned, results) if result is None))
        found = dict(zip(fresh, self._normalise_fresh(fresh)))
        for text, result in found.items():
            self._normalised.put(text, result)
        return [result or found[text] for result, text in zip(results, cleaned)]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """The embedder's unit vectors for texts, those of texts encoded lately remembered."""
        if self._remembering is None:
            raise ValueError("encoding needs an embedder")
        return self._remembering.encode(texts)

    def _normalise_fresh(self, cleaned: list[str]) -> list[Normalised]:
        results: list[Normalised | None] = [self._exact(text) for text in cleaned]
        pending = [i for i, result in enumerate(results) if result is None and has_words(cleaned[i])]
        for i, candidates in zip(pending, self.rank([cleaned[i] for i in pending])):
            best = candidates[0].score if candidates else 0.0
            auto = candidates[0].skill if candidates and candidates[0].sure else None
            results[i] = Normalised(cleaned[i], auto, best, tuple(candidates))
        return [result or Normalised(text, None, 0.0) for result, text in zip(results, cleaned)]

    def rank(self, texts: Sequence[str], k: int = SUGGESTIONS) -> list[list[Candidate]]:
        """The k skills each text most likely means, best first (empty without vectors)."""
        if self.vectors is None or self.embedder is None or not texts:
            return [[] for _ in texts]
        vectors = self.encode([mention_core(text) for text in texts])
        ranked = [self._candidates(hits, text)[:k] for text, hits in zip(texts, self.vectors.search(vectors, k + 1))]
        reader, budget = SkillReader(self), self.phrase_budget
        for i, text in enumerate(texts):
            if len(text.split()) > PHRASE_READ_WORDS and (budget is None or budget > 0):
                read = candidate_phrases(text)
                budget = None if budget is None else budget - len(read)
                phrases = [Candidate(s.skill, s.score, s.via, s.words) for s in reader.read_phrases(read, limit=k)]
                whole = ranked[i]
                if whole and whole[0].sure:
                    ranked[i] = _taking_turns(whole, phrases)[:k]
                else:
                    ranked[i] = _taking_turns(phrases, whole)[:k]
        return ranked

    def _exact(self, text: str) -> Normalised | None:
        skill = self.taxonomy.by_label(text) or self.taxonomy.by_label(mention_core(text))
        if skill is not None:
            return Normalised(text, skill, EXACT_LABEL, (Candidate(skill, EXACT_LABEL, "label"),))
        skill = self.taxonomy.exact(text) or self.taxonomy.exact(mention_core(text))
        if skill is not None:
            return Normalised(
                text, skill, EXACT_ALTERNATIVE, (Candidate(skill, EXACT_ALTERNATIVE, "alternative label"),)
            )
        return None

    def _candidates(self, hits: list[NameHit], text: str = "") -> list[Candidate]:
        return [
            Candidate(
                self.taxonomy.skills[hit.skill],
                confidence(match_features(text, hits, n)),
                hit.name,
                similarity=hit.score,
            )
            for n, hit in enumerate(hits)
        ]

    def candidates_for_vectors(
        self, texts: Sequence[str], vectors: np.ndarray, k: int, *, quick: bool = False
    ) -> list[list[Candidate]]:
        """`rank` for texts already encoded."""
        if self.vectors is None:
            return [[] for _ in texts]
        found = self.vectors.search(vectors, k + 1, quick=quick)
        return [self._candidates(hits, text)[:k] for text, hits in zip(texts, found)]


def _taking_turns(first: list[Candidate], second: list[Candidate]) -> list[Candidate]:
    """One from each list in turn, starting with `first`, each skill once."""
    turns: dict[str, Candidate] = {}
    for pair in zip_longest(first, second):
        for candidate in pair:
            if candidate is not None:
                turns.setdefault(candidate.skill.uri, candidate)
    return list(turns.values())


def match_features(text: str, hits: Sequence[NameHit], n: int = 0) -> dict[str, float]:
    """What the confidence that hits[n] is the skill meant is read from: its best name's cosine,
    its lead over the next skill, and whether the preferred labels alone agree, i.e. the nearest
    preferred label among the skills found is this skill's. (Also tried, and left out because
    they did not raise the cross-validated share mapped at precision 0.85: how many of the skill's
    names lie near the mention, the words shared with the name, the mention's length.)"""
    hit = hits[n]
    next_score = hits[n + 1].score if n + 1 < len(hits) else 0.0
    nearest_label = max(range(len(hits)), key=lambda i: hits[i].label_score)
    return {
        "score": hit.score,
        "lead": max(0.0, hit.score - next_score),
        "label_agrees": float(nearest_label == n and hit.label_score > 0),
    }


def confidence(features: dict[str, float], coefficients: dict[str, float] | None = None) -> float:
    """How likely a match by meaning is the skill meant: the logistic curve over its features
    (CONFIDENCE unless other coefficients are given; a feature without one counts nothing)."""
    coefficients = coefficients or CONFIDENCE
    x = coefficients["bias"] + sum(
        weight * features.get(name, 0.0) for name, weight in coefficients.items() if name != "bias"
    )
    return round(1 / (1 + math.exp(-max(-50.0, min(50.0, x)))), 4)
