"""Every name of every skill as a vector, searchable in a fraction of a millisecond.

A skill is found by its preferred label, its alternative labels and its hidden labels (names
read out of run-together text), each embedded on its own: a mention matches the closest name.
Hidden labels count HIDDEN_WEIGHT of a clean name, since some are cut in the wrong place.
Descriptions are not embedded: on the skill-normalisation benchmark's validation spans they
moved acc@1 by -0.03 to +0.00 at every weight tried (0.1-0.5), for 11 MB more.

Layout, for the memory budget (≤ 60 MB a process): an HNSW graph over 8-bit scalar-quantised
vectors (faiss IndexHNSWSQ, M=16: 384 + 128 bytes a name, ~45 MB for ESCO's ~86,000 names),
the owning skill of each name (int32), and each skill's related skills (int32 + float16).
Exact search over the same names in float32 would take 130 MB and 10-30 ms a query; the graph
finds 99% of the exact top 10 in ~0.5 ms. Everything is computed once per model and taxonomy
and kept in the cache folder, written under a temporary name and renamed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
import threading
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from matching.embedder import Embedder
from matching.index import SQ_8BIT
from matching.taxonomy import SkillTaxonomy, TaxonomySkill, label_key

HIDDEN_WEIGHT = 0.9  # chosen on the validation spans: 0.85-0.95 all beat 1.0, and beat labels alone
# A hidden label this far from its own skill's preferred label is a fragment cut in the wrong
# place ("production" of "assemble ammunition", "automation" of "metal forming technologies"):
# it is left out. About 8% of them; acc@1 on the validation spans unchanged (±1 span).
HIDDEN_MIN = 0.5
HNSW_LINKS = 16
HNSW_BUILD_DEPTH = 80
# The smallest depth giving 512's answers on all 224 validation texts, at half its cost (~0.6 ms
# a query); 192 lost one HOUSE text's first answer, 128 one TECH and one HOUSE.
HNSW_SEARCH_DEPTH = 256
NAMES_SEARCHED = 128  # names read per query, before they are grouped by skill
# Reading prose asks only whether a phrase plainly names one skill, for dozens of phrases at
# once: a shallow search finds those (a clear best name) at a tenth of the cost.
QUICK_SEARCH_DEPTH, QUICK_NAMES_SEARCHED = 48, 24
# Related skills: the nearest preferred labels by cosine, at least RELATED_MIN apart from
# unrelated ones. "SQL" / "SQL Server" sit at 0.80, "coach employees" / "mentor individuals" at
# 0.66; "SQL" / "Java (computer programming)" at 0.49, "coach employees" / "SQL" at 0.12.
RELATED_MIN = 0.6
RELATED_KEPT = 12
CACHE_VERSION = 2


@dataclass(frozen=True)
class NameHit:
    skill: int  # the skill's position in the taxonomy
    score: float  # the name's cosine, weighted by the kind of name
    name: str  # the name that matched
    label_score: float = 0.0  # the cosine of the skill's preferred label, when it was among the names read


def skill_names(taxonomy: SkillTaxonomy) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Every distinct name of every skill: texts, the owning skill of each, each name's weight."""
    texts: list[str] = []
    owners: list[int] = []
    weights: list[float] = []
    for i, skill in enumerate(taxonomy.skills):
        seen: set[str] = set()
        for name, weight in _names(skill):
            key = label_key(name)
            if key and key not in seen:
                seen.add(key)
                texts.append(name)
                owners.append(i)
                weights.append(weight)
    return texts, np.asarray(owners, dtype=np.int32), np.asarray(weights, dtype=np.float32)


def _names(skill: TaxonomySkill) -> Iterator[tuple[str, float]]:
    yield skill.label, 1.0
    for alt in skill.alt_labels:
        yield alt, 1.0
    for hidden in skill.hidden_labels:
        yield hidden, HIDDEN_WEIGHT


class SkillVectors:
    """The taxonomy's names in a vector index, with each skill's related skills."""

    def __init__(
        self,
        index: faiss.Index,
        owners: np.ndarray,
        weights: np.ndarray,
        names: Sequence[str],
        related: tuple[np.ndarray, np.ndarray, np.ndarray],
        cache_path: Path | None = None,
    ) -> None:
        self.index = index
        self.cache_path = cache_path
        self.owners = owners
        self.weights = weights
        self.names = list(names)
        # Whether each name is its skill's preferred label (the first name of each skill).
        self.is_label = np.r_[True, owners[1:] != owners[:-1]] if len(owners) else np.zeros(0, dtype=bool)
        self._related_start, self._related_skill, self._related_score = related
        self._lock = threading.Lock()

    @classmethod
    def for_taxonomy(
        cls, taxonomy: SkillTaxonomy, embedder: Embedder, cache_dir: str | os.PathLike[str], *, build: bool = True
    ) -> SkillVectors | None:
        """Read from the cache when it holds this model's vectors of these names, else built now
        (minutes with the real model: ~96,000 short texts) and cached; None without `build` when
        the cache lacks them, and for an empty taxonomy."""
        names, owners, weights = skill_names(taxonomy)
        if not names:
            return None
        digest = _digest(embedder.model_name, names, owners, weights)
        path = Path(cache_dir) / f"skill-names-{_safe(embedder.model_name)}-{digest[:16]}"
        cached = _read(path, digest)
        if cached is not None:
            index, related, kept = cached
        elif not build:
            return None
        else:
            vectors = np.asarray(embedder.encode(names), dtype=np.float32)
            first = _first_names(owners, len(taxonomy))
            kept = _kept_names(vectors, owners, weights, first)
            index, related = _build_index(vectors[kept]), _related(vectors, owners, len(taxonomy))
            _write(path, digest, index, related, vectors[first], kept)
        index.hnsw.efSearch = HNSW_SEARCH_DEPTH  # type: ignore[attr-defined]  # faiss types every index as its base class
        return cls(index, owners[kept], weights[kept], [names[i] for i in kept], related, path)

    def label_vectors(self) -> np.ndarray:
        """Each skill's preferred label's vector (float32, read from the cache on each call: only
        the evaluation's baseline wants them)."""
        if self.cache_path is None:
            raise FileNotFoundError("these vectors were not cached")
        with np.load(self.cache_path.with_suffix(".npz")) as data:
            return np.asarray(data["labels"], dtype=np.float32)

    @property
    def nbytes(self) -> int:
        """What the vectors and the graph hold in memory, about."""
        codes = self.index.ntotal * (self.index.d + 2 * HNSW_LINKS * 4)
        arrays = (self.owners, self.weights, self._related_start, self._related_skill, self._related_score)
        texts = sys.getsizeof(self.names) + sum(sys.getsizeof(name) for name in self.names)
        return codes + sum(a.nbytes for a in arrays) + texts

    def search(self, vectors: np.ndarray, k: int = 20, *, quick: bool = False) -> list[list[NameHit]]:
        """For each unit row, the best name of each of the (about) k nearest skills, best first;
        `quick` searches shallower (see QUICK_SEARCH_DEPTH)."""
        vectors = np.ascontiguousarray(np.atleast_2d(vectors), dtype=np.float32)
        depth = max(k * 4, QUICK_NAMES_SEARCHED if quick else NAMES_SEARCHED)
        with self._lock:  # a faiss index's search parameters are shared state
            self.index.hnsw.efSearch = QUICK_SEARCH_DEPTH if quick else HNSW_SEARCH_DEPTH  # type: ignore[attr-defined]  # as above
            scores, ids = self.index.search(vectors, depth)
        return [self._by_skill(row_scores, row_ids, k) for row_scores, row_ids in zip(scores, ids)]

    def _by_skill(self, scores: np.ndarray, ids: np.ndarray, k: int) -> list[NameHit]:
        best: dict[int, tuple[float, int]] = {}
        labels: dict[int, float] = {}
        ids = ids[ids >= 0]
        weighted = scores[: len(ids)] * self.weights[ids]  # faiss puts its -1 fillers last
        for skill, score, name, is_label in zip(
            self.owners[ids].tolist(), weighted.tolist(), ids.tolist(), self.is_label[ids].tolist()
        ):
            if skill not in best or score > best[skill][0]:
                best[skill] = (score, name)
            if is_label:
                labels.setdefault(skill, score)
        ranked = sorted(best.items(), key=lambda item: -item[1][0])[:k]
        return [NameHit(skill, score, self.names[name], labels.get(skill, 0.0)) for skill, (score, name) in ranked]

    def related(self, skill: int) -> list[tuple[int, float]]:
        """The skills whose preferred labels lie within RELATED_MIN of this one's, nearest first."""
        start, end = self._related_start[skill], self._related_start[skill + 1]
        return [(int(s), float(v)) for s, v in zip(self._related_skill[start:end], self._related_score[start:end])]


def _build_index(vectors: np.ndarray) -> faiss.Index:
    index = faiss.IndexHNSWSQ(vectors.shape[1], SQ_8BIT, HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = HNSW_BUILD_DEPTH
    index.train(vectors)
    index.add(vectors)
    return index


def _related(vectors: np.ndarray, owners: np.ndarray, skills: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR lists (start per skill, skill, score) of each skill's nearest preferred labels."""
    labels = vectors[_first_names(owners, skills)]
    starts, kept_skills, kept_scores = [0], [], []
    for block in range(0, skills, 2048):
        similarity = labels[block : block + 2048] @ labels.T
        for row, scores in enumerate(similarity):
            scores[block + row] = -1.0
            kept = min(RELATED_KEPT, skills - 1)
            top = np.argpartition(-scores, kept - 1)[:kept] if kept > 0 else np.zeros(0, dtype=np.int64)
            top = top[np.argsort(-scores[top])]
            top = top[scores[top] >= RELATED_MIN]
            kept_skills.extend(top.tolist())
            kept_scores.extend(scores[top].tolist())
            starts.append(len(kept_skills))
    return (
        np.asarray(starts, dtype=np.int64),
        np.asarray(kept_skills, dtype=np.int32),
        np.asarray(kept_scores, dtype=np.float16),
    )


def _kept_names(vectors: np.ndarray, owners: np.ndarray, weights: np.ndarray, first: np.ndarray) -> np.ndarray:
    """The names worth searching: every clean one, and hidden ones near their own skill's label."""
    own_label = np.einsum("nd,nd->n", vectors, vectors[first[owners]])
    return np.flatnonzero((weights >= 1.0) | (own_label >= HIDDEN_MIN))


def _first_names(owners: np.ndarray, skills: int) -> np.ndarray:
    """Each skill's first name, its preferred label."""
    first = np.full(skills, -1, dtype=np.int64)
    for name in range(len(owners) - 1, -1, -1):
        first[owners[name]] = name
    return first


def _digest(model: str, names: Sequence[str], owners: np.ndarray, weights: np.ndarray) -> str:
    digest = hashlib.sha256(f"v{CACHE_VERSION}\x00{model}\x00{RELATED_MIN}\x00{RELATED_KEPT}".encode())
    for name in names:
        digest.update(name.encode("utf-8") + b"\x00")
    digest.update(owners.tobytes() + weights.tobytes())
    return digest.hexdigest()


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def _read(path: Path, digest: str) -> tuple[faiss.Index, tuple[Any, ...], np.ndarray] | None:
    try:
        with np.load(path.with_suffix(".npz")) as data:
            if str(data["digest"]) != digest:
                return None
            related = (data["related_start"], data["related_skill"], data["related_score"])
            kept = data["kept"]
        index = faiss.read_index(str(path.with_suffix(".faiss")))
    except (OSError, KeyError, ValueError, EOFError, RuntimeError, zipfile.BadZipFile):
        return None  # missing or damaged: build again
    return (index, related, kept) if index.ntotal == len(kept) else None


def _write(
    path: Path, digest: str, index: faiss.Index, related: tuple[Any, ...], labels: np.ndarray, kept: np.ndarray
) -> None:
    """Both files go to temporary names first; the index file is renamed last, so a reader that
    finds it finds the arrays that go with it (their digests must agree too)."""
    tag = f".{os.getpid()}.{threading.get_ident()}.tmp"
    arrays, graph = path.with_suffix(".npz"), path.with_suffix(".faiss")
    partial_arrays, partial_graph = arrays.with_name(arrays.name + tag), graph.with_name(graph.name + tag)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(partial_arrays, "wb") as handle:
            np.savez(
                handle,
                digest=digest,
                related_start=related[0],
                related_skill=related[1],
                related_score=related[2],
                labels=labels.astype(np.float16),
                kept=kept,
            )
        faiss.write_index(index, str(partial_graph))
        os.replace(partial_arrays, arrays)
        os.replace(partial_graph, graph)
    except (OSError, RuntimeError):  # an unwritable cache only costs the next process the encoding
        for partial in (partial_arrays, partial_graph):
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
