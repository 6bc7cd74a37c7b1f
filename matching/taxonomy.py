"""The skills taxonomy in memory: ESCO and Tandem's AI-skills extension, exact lookup, autocomplete.

Labels are compared in one normal form (`label_key`). Finding the skill a free-text mention means
is `matching.skill_normaliser`'s work; this module knows only labels as they are written.
Nothing here caches text it is given: request-supplied labels never grow the process.
"""

from __future__ import annotations

import bisect
import heapq
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from matching.types import SkillRef

STOPWORDS = frozenset("a an and as at by for from in into of on or the to with".split())
# Punctuation becomes a space, except what names things: '#' and '+' (C#, C++), and a '.' that
# starts a word (.NET); "Node.js" and "node js" are one key.
_DOT_STARTING_A_WORD = re.compile(r"(?<!\w)\.(?=\w)")
_KEPT_DOT = "\ue000"
_NOT_WORD = re.compile(r"[^\w#+\ue000]+|_+")
SUBSTRING_MIN = 4  # autocomplete looks inside labels only for queries this long ("etl" is in "discreetly")


@dataclass(frozen=True)
class TaxonomySkill:
    uri: str
    label: str  # the preferred label, as shown
    alt_labels: tuple[str, ...] = ()  # other names for it, from clean data: matched exactly
    description: str = ""
    skill_type: str = ""
    # Names found by taking run-together text apart (ESCO's "hidden labels" idea: searched,
    # never shown): good enough to embed and to complete words from, not to match exactly.
    hidden_labels: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()  # URIs of broader skills (the extension's links into ESCO)
    augment_lean: float | None = None  # +1 the skill amplifies people, -1 it automates tasks away


@dataclass(frozen=True)
class RowError:
    line: int  # 1-based line of the file where the row starts (the header is line 1)
    message: str


def label_key(label: str) -> str:
    """The form labels are compared in: NFKC, case-folded, punctuation as spaces (see _NOT_WORD)."""
    text = _DOT_STARTING_A_WORD.sub(_KEPT_DOT, unicodedata.normalize("NFKC", label).casefold())
    return " ".join(_NOT_WORD.sub(" ", text).split()).replace(_KEPT_DOT, ".")


def stem(word: str) -> str:
    """A crude stem that joins inflections: 'managing', 'manages', 'manage' -> 'manag'."""
    word = word.strip("(),.;:'\"").lower()
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


def label_tokens(label: str, *, key: str | None = None) -> frozenset[str]:
    """The stemmed content words of a label (or of its precomputed `key`), for token-set comparisons."""
    return frozenset(stem(t) for t in (key if key is not None else label_key(label)).split() if t not in STOPWORDS)


class SkillTaxonomy:
    """Skills by URI and by every label's key, with the word lists autocomplete searches."""

    def __init__(self, skills: Iterable[TaxonomySkill]) -> None:
        unique: dict[str, TaxonomySkill] = {}
        for skill in skills:
            unique.setdefault(skill.uri, skill)
        self.skills = tuple(unique.values())
        self._by_uri = {s.uri: i for i, s in enumerate(self.skills)}
        self._by_label: dict[str, int] = {}  # preferred labels only
        self._by_alt: dict[str, int] = {}
        label_words: set[tuple[str, int]] = set()
        alt_words: set[tuple[str, int]] = set()
        for i, skill in enumerate(self.skills):
            key = label_key(skill.label)
            self._by_label.setdefault(key, i)
            label_words.update((word, i) for word in key.split())
        for i, skill in enumerate(self.skills):
            for alt in skill.alt_labels:
                key = label_key(alt)
                if key and key not in self._by_label:
                    self._by_alt.setdefault(key, i)
                alt_words.update((word, i) for word in key.split())
            for hidden in skill.hidden_labels:
                alt_words.update((word, i) for word in label_key(hidden).split())
        self._label_words, self._alt_words = sorted(label_words), sorted(alt_words)
        self._label_keys = [label_key(s.label) for s in self.skills]
        # URI -> the skill's own lean (+1 amplifies people, -1 automates tasks), where it has one.
        self.leans = {s.uri: s.augment_lean for s in self.skills if s.augment_lean}

    def __len__(self) -> int:
        return len(self.skills)

    def __iter__(self) -> Iterator[TaxonomySkill]:
        return iter(self.skills)

    def get(self, uri: str | None) -> TaxonomySkill | None:
        at = self._by_uri.get(uri or "")
        return None if at is None else self.skills[at]

    def position(self, uri: str) -> int | None:
        """The skill's row in `skills` (and in the taxonomy's vectors), None if unknown."""
        return self._by_uri.get(uri)

    def by_label(self, label: str) -> TaxonomySkill | None:
        """The skill whose preferred label this is, ignoring case, spacing and punctuation."""
        at = self._by_label.get(label_key(label))
        return None if at is None else self.skills[at]

    def exact(self, label: str) -> TaxonomySkill | None:
        """The skill with this preferred label, else the one with this alternative label."""
        key = label_key(label)
        at = self._by_label.get(key, self._by_alt.get(key))
        return None if at is None else self.skills[at]

    def canonical_refs(self, refs: Iterable[SkillRef]) -> tuple[SkillRef, ...]:
        """The refs with URI and preferred label filled in where the URI or an exact label is known."""
        result = []
        for ref in refs:
            skill = self.get(ref.uri) if ref.uri else self.exact(ref.label)
            result.append(SkillRef(skill.label, skill.uri, ref.weight) if skill else ref)
        return tuple(result)

    def search(self, query: str, limit: int = 10) -> list[TaxonomySkill]:
        """Autocomplete: skills whose label words start with the query's words (the label that
        is the query first, then those starting with it, shortest first), then those whose other
        names do, then, for longer queries, labels containing the query."""
        key = label_key(query)
        if not key or limit <= 0:
            return []
        found: list[int] = []
        for words in (self._label_words, self._alt_words):
            matches = self._prefix_matches(words, key.split()) - set(found)
            found += heapq.nsmallest(limit - len(found), matches, key=lambda i: self._order(i, key))
            if len(found) >= limit:
                return [self.skills[i] for i in found]
        if len(key) >= SUBSTRING_MIN:
            seen = set(found)
            for i, label in enumerate(self._label_keys):
                if key in label and i not in seen:
                    found.append(i)
                    if len(found) >= limit:
                        break
        return [self.skills[i] for i in found]

    def _order(self, i: int, key: str) -> tuple[Any, ...]:
        label = self._label_keys[i]
        return (label != key, not label.startswith(key), len(label), label)

    @staticmethod
    def _prefix_matches(words: list[tuple[str, int]], prefixes: list[str]) -> set[int]:
        result: set[int] | None = None
        for prefix in sorted(prefixes, key=len, reverse=True):  # longest first: smallest sets
            lo = bisect.bisect_left(words, (prefix,))
            hi = bisect.bisect_left(words, (prefix + "\U0010ffff",))
            ids = {i for _, i in words[lo:hi]}
            result = ids if result is None else result & ids
            if not result:
                break
        return result or set()
