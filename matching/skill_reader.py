"""Skills read from text: a need's description, a profile's headline, bio and AI-usage text.

The text is cut into clauses, each clause into runs of content words, and every run's phrases
of one to MAX_PHRASE_WORDS words become candidate mentions, with each clause itself when it is
short. All are encoded in one call and matched to the taxonomy's names (`SkillVectors`). A skill
is suggested by its best phrase, one skill a phrase: "build retrieval-augmented generation
pipelines" suggests the skill and quotes those words. Nothing is added to anything here: the
caller shows suggestions for a person to accept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from matching.taxonomy import TaxonomySkill

if TYPE_CHECKING:
    from matching.skill_normaliser import SkillNormaliser

MAX_PHRASE_WORDS = 3
MAX_PHRASES = 100  # about 1,000 characters of prose
MAX_CLAUSE_WORDS = 6
SUGGEST_MIN = 0.5  # the confidence a phrase needs to suggest a skill
ONE_WORD_MIN = 0.8  # a lone word ("data", "team") must be much nearer a skill's name
LIMIT = 10
_CLAUSE = re.compile(r"[.!?;:,()\[\]\n\"“”]+|\s[-–—]\s|\b(?:and|or|but|while|so that|as well as)\b", re.IGNORECASE)
_NAME_LIKE = re.compile(r"^[A-Z]|.[A-Z]|[#+.\d]")  # Python, RAG, iOS, C#, .NET, GPT-4
_WORD = re.compile(r"[\w#+][\w#+.'/-]*[\w#+]|[\w#+]")
_BREAK = frozenset(
    """a an the this that these those our your their my his her its we you they i he she it
us them who which what when where how why is are was were be been being am will would shall should can
could may might must do does did have has had having not no also very really just only more most some any
all each every such than then there here about into onto from for with without to of in on at by as
need needs needed want wants looking seeking someone somebody anyone help helps helping able ability
experience experienced strong excellent good great proven solid knowledge skills skill expertise
familiarity familiar understanding including include includes etc e.g i.e like using use
so over under across through within via per plus because if too well both either itself themselves
whose whom make makes made stay stays keep keeps get gets got let lets matter matters""".split()
)


@dataclass(frozen=True)
class Suggestion:
    skill: TaxonomySkill
    score: float  # the confidence of the phrase's match, 0-1
    words: str  # the words of the text it came from
    via: str  # the skill's name the words matched


class SkillReader:
    def __init__(self, normaliser: SkillNormaliser) -> None:
        self.normaliser = normaliser

    def read(self, text: str, limit: int = LIMIT, exclude: set[str] | None = None) -> list[Suggestion]:
        """Up to `limit` skills the text speaks of, best first, without those in `exclude` (URIs)."""
        return self.read_phrases(candidate_phrases(text), limit, exclude)

    def read_phrases(self, phrases: list[str], limit: int = LIMIT, exclude: set[str] | None = None) -> list[Suggestion]:
        """`read` for a text already cut into its `candidate_phrases`."""
        normaliser = self.normaliser
        if not phrases or normaliser.vectors is None or normaliser.embedder is None:
            return []
        vectors = normaliser.encode(phrases)
        best: dict[str, Suggestion] = {}
        for phrase, candidates in zip(phrases, normaliser.candidates_for_vectors(phrases, vectors, 2, quick=True)):
            floor = ONE_WORD_MIN if " " not in phrase else SUGGEST_MIN
            for candidate in candidates[:1]:
                uri = candidate.skill.uri
                if (
                    candidate.score >= floor
                    and uri not in (exclude or ())
                    and (uri not in best or candidate.score > best[uri].score)
                ):
                    best[uri] = Suggestion(candidate.skill, candidate.score, phrase, candidate.via)
        return _one_skill_a_phrase(sorted(best.values(), key=lambda s: -s.score))[:limit]


def _one_skill_a_phrase(suggestions: list[Suggestion]) -> list[Suggestion]:
    """Of suggestions from overlapping words, the best: "prompt design" and "design" name one skill."""
    kept: list[Suggestion] = []
    for suggestion in suggestions:
        words = set(suggestion.words.lower().split())
        if not any(words <= set(k.words.lower().split()) or set(k.words.lower().split()) <= words for k in kept):
            kept.append(suggestion)
    return kept


def candidate_phrases(text: str) -> list[str]:
    """The text's candidate mentions: each short clause, the phrases of two to MAX_PHRASE_WORDS
    words of its content-word runs, the runs of one word ("Python, SQL and vector databases":
    "Python", "SQL", "vector databases"), and words inside longer runs that look like names
    ("build RAG pipelines": "RAG"); other lone words inside runs are only part of their phrases."""
    phrases: dict[str, None] = {}
    for clause in _CLAUSE.split(text or ""):
        words = _trimmed(_WORD.findall(clause))
        if not words:
            continue
        if 2 <= len(words) <= MAX_CLAUSE_WORDS and sum(w.lower() not in _BREAK for w in words) >= 2:
            phrases.setdefault(" ".join(words), None)
        for run in _content_runs(words):
            for size in range(min(MAX_PHRASE_WORDS, len(run)), 1, -1):
                for start in range(len(run) - size + 1):
                    phrases.setdefault(" ".join(run[start : start + size]), None)
            for word in run:
                if len(run) == 1 or (_NAME_LIKE.search(word) and word != words[0]):
                    phrases.setdefault(word, None)
        if len(phrases) >= MAX_PHRASES:
            break
    return list(phrases)[:MAX_PHRASES]


def _trimmed(words: list[str]) -> list[str]:
    """The words without the function words that open or close them ("to teach our analysts")."""
    start, end = 0, len(words)
    while start < end and words[start].lower() in _BREAK:
        start += 1
    while end > start and words[end - 1].lower() in _BREAK:
        end -= 1
    return words[start:end]


def _content_runs(words: list[str]) -> list[list[str]]:
    runs: list[list[str]] = []
    current: list[str] = []
    for word in words:
        if word.lower() in _BREAK or word.isdigit():
            if current:
                runs.append(current)
            current = []
        else:
            current.append(word)
    if current:
        runs.append(current)
    return runs
