"""Cosine search over unit vectors keyed by database ids, with FAISS inside.

Kinds: "flat" (exact), "hnsw" (approximate graph over float32 vectors), "hnsw_sq8" (the same graph
over 8-bit codes: a quarter of the memory, slightly less precise) and "auto" (flat up to
`approximate_above` live vectors, hnsw past it). Removal and replacement leave tombstones that
searches skip; past COMPACT_SHARE of the rows the index rebuilds itself from its live vectors.
The index is derived data: `load` raises IndexUnusable whenever the files can't be trusted, and
the caller rebuilds from the stored vectors.

`load(..., mapped=True)` maps the saved file read-only (faiss IO_FLAG_MMAP_IFC) instead of copying
it, so every process serving the same file shares one copy through the page cache. A mapped index
never writes to its file: additions go to a small in-memory delta (exact, or past a few thousand
rows beside a graph base a graph of its own), removals
and replacements tombstone base rows, and searches merge both. `unmerged_rows` tells the caller
when to write a fresh file (a merge) and map that instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import faiss
import numpy as np

from .embedder import check_vectors, normalise

T = TypeVar("T")
KINDS = ("auto", "flat", "hnsw", "hnsw_sq8")
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Measured on 2 cores (python -m matching.bench, clustered 384-d vectors): M=12 keeps 1M vectors
# with their graph at 1.67 GB (M=16 would pass 1.7 GB) and builds them in ~3 minutes. At 1M,
# efSearch 128/256/512/768/1024 gave recall@10 0.88/0.93/0.95/0.96/0.97 at p50 1-3 ms, so 768
# buys a margin over 0.95 well inside the 15 ms budget; at 100k it costs ~1.5 ms a query.
HNSW_M = 12
EF_CONSTRUCTION = 64
EF_SEARCH = 768
# Beside a graph base, a delta past DELTA_GRAPH_ROWS becomes a graph too: an exact scan of 10,000
# rows costs as much as the base's search at 1M. It holds at most the merge threshold's rows, so a
# shallower search than EF_SEARCH does: at 10,000 rows efSearch 128 agrees with the exact scan on
# 0.989 of the top 10 (the base's own recall@10 at 1M is 0.96), at 96 on 0.982, at 256 on 0.996
# for twice the cost.
DELTA_GRAPH_ROWS = 2_000
DELTA_EF_SEARCH = 128
# A delta is asked for its best DELTA_FIRST rows, and for as many as the base only when the last
# of those still beats the base's last answer (most changed rows are far from any one query).
DELTA_FIRST = 32
COMPACT_SHARE = 0.2
PARALLEL_ROWS = 2_000  # below this, adding runs on one thread
_CHUNK = 65_536
MAPPED = faiss.IO_FLAG_MMAP_IFC  # maps flat and HNSW codes and the graph; plain IO_FLAG_MMAP copies them
# faiss's stubs want a ScalarQuantizer where the C++ takes the quantiser's type code.
SQ_8BIT: Any = faiss.ScalarQuantizer.QT_8bit
_FAISS_TYPES = {"flat": faiss.IndexFlatIP, "hnsw": faiss.IndexHNSWFlat, "hnsw_sq8": faiss.IndexHNSWSQ}


class IndexUnusable(Exception):
    """The saved index is missing, damaged or made for something else; rebuild it."""


class _IdMap:
    """Database id -> row, as two sorted int64 arrays (16 bytes an id; a dict of ints costs ~100)."""

    def __init__(self, ids: np.ndarray, rows: np.ndarray) -> None:
        order = np.argsort(ids, kind="stable")
        self.ids, self.rows = ids[order], rows[order]

    def lookup(self, ids: np.ndarray) -> np.ndarray:
        """The row of each id, -1 where the id is absent."""
        at, found = self._find(ids)
        return np.where(found, self.rows[at] if len(self.ids) else -1, -1)

    def put(self, ids: np.ndarray, rows: np.ndarray) -> None:
        """Points each (distinct) id at its row, adding the ids not yet known."""
        at, found = self._find(ids)
        self.rows[at[found]] = rows[found]
        order = np.argsort(ids[~found])
        where = np.searchsorted(self.ids, ids[~found][order])
        self.ids = np.insert(self.ids, where, ids[~found][order])
        self.rows = np.insert(self.rows, where, rows[~found][order])

    def drop(self, ids: np.ndarray) -> None:
        at, found = self._find(ids)
        self.ids, self.rows = np.delete(self.ids, at[found]), np.delete(self.rows, at[found])

    def _find(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not len(self.ids):
            return np.zeros(len(ids), np.int64), np.zeros(len(ids), bool)
        at = np.minimum(np.searchsorted(self.ids, ids), len(self.ids) - 1)
        return at, self.ids[at] == ids


class VectorIndex:
    """Upsert, remove and search unit vectors by int64 database id; safe to share between threads."""

    def __init__(
        self,
        dim: int,
        kind: str = "auto",
        approximate_above: int = 20_000,
        *,
        hnsw_m: int = HNSW_M,
        ef_search: int = EF_SEARCH,
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown index kind {kind!r}; choose one of {KINDS}")
        self.dim, self.kind, self.approximate_above = dim, kind, approximate_above
        self.hnsw_m, self.ef_search = hnsw_m, ef_search
        self._lock = threading.RLock()
        self._delta: faiss.Index | None = None  # set while the base is a read-only map
        self._base_dead = 0  # tombstoned rows of a mapped base
        self._reset(_id_array(()), np.zeros((0, dim), np.float32))

    @property
    def backend(self) -> str:
        """What is searched now: "flat", "hnsw" or "hnsw_sq8" ("auto" resolves to one of them)."""
        return self._backend

    @property
    def mapped(self) -> bool:
        """Whether the base is the saved file mapped read-only (changes then live in the delta)."""
        return self._delta is not None

    @property
    def unmerged_rows(self) -> int:
        """Rows a fresh file would fold in: the delta's plus the base's tombstones (0 unless mapped)."""
        with self._lock:
            return 0 if self._delta is None else int(self._delta.ntotal) + self._base_dead

    def __len__(self) -> int:
        return len(self._map.ids)

    def __contains__(self, item_id: object) -> bool:
        return isinstance(item_id, (int, np.integer)) and self._row(int(item_id)) >= 0

    def ids(self) -> list[int]:
        """The live ids, ascending."""
        with self._lock:
            return [int(item) for item in self._map.ids]

    @property
    def centroid(self) -> np.ndarray:
        """The mean of the live vectors (zeros when empty): a query's inner product with it is its
        mean cosine to everything held, the background a calibrated score is measured from."""
        with self._lock:
            return (self._sum / max(1, len(self))).astype(np.float32)

    def vector(self, item_id: int) -> np.ndarray:
        """The stored unit vector of `item_id` (decoded, for hnsw_sq8); KeyError if absent."""
        with self._lock:
            if (row := self._row(item_id)) < 0:
                raise KeyError(item_id)
            vector: np.ndarray = self._reconstruct(np.array([row], np.int64))[0]
            return vector

    def add(self, ids: Iterable[int], vectors: object) -> None:
        """Inserts or replaces: afterwards each id has its given vector (normalised); last one wins."""
        ids, vectors = self._checked(ids, vectors)
        if not len(ids):
            return
        with self._lock:
            old = self._map.lookup(ids)
            self._forget_rows(old[old >= 0])
            grows_past_flat = self._backend_for(len(self) + int((old < 0).sum())) != "flat"
            if self._backend == "flat" and grows_past_flat and not self.mapped:
                self._rebuild(extra=(ids, vectors))
            else:
                self._append(ids, vectors)
            self._compact_if_needed()

    def remove(self, ids: Iterable[int]) -> None:
        """Forgets the ids; unknown ones are ignored."""
        ids = _id_array(ids)
        with self._lock:
            rows = self._map.lookup(ids)
            self._forget_rows(rows[rows >= 0])
            self._map.drop(ids)
            self._compact_if_needed()

    def search(self, query: np.ndarray, k: int, *, exclude: set[int] | None = None) -> list[tuple[int, float]]:
        """Up to k (id, cosine) pairs, best first, none in `exclude`; [] for k <= 0 or no vectors."""
        q = self._query(query)
        exclude = exclude or set()
        with self._lock:
            if k <= 0 or not len(self):
                return []
            excluded = int((self._map.lookup(_id_array(exclude)) >= 0).sum()) if exclude else 0
            total = self._rows()
            wanted = min(k, len(self) - excluded)
            dead_share = 1 - len(self) / total
            fetch = min(total, k + excluded + int(2 * k * dead_share) + 1)
            while True:
                hits = self._filtered(q, fetch, k, exclude)
                if len(hits) >= wanted or fetch >= total:
                    return hits
                fetch = min(total, fetch * 2)  # tombstones crowded the answer: ask for more

    def exact_search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Brute force in NumPy over the same live vectors: the twin that recall is measured against."""
        q = self._query(query)[0]
        with self._lock:
            if k <= 0 or not len(self):
                return []
            total = self._rows()
            scores = np.empty(total, np.float32)
            for start in range(0, total, _CHUNK):
                count = min(_CHUNK, total - start)
                scores[start : start + count] = self._reconstruct(np.arange(start, start + count)) @ q
            scores[self._labels < 0] = -np.inf
            k = min(k, len(self))
            top = np.argpartition(-scores, k - 1)[:k]
            top = top[np.argsort(-scores[top], kind="stable")]
            return [(int(self._labels[row]), float(scores[row])) for row in top]

    def memory_bytes(self) -> int:
        """Bytes held by the vectors, the graph and the id maps (what grows with the collection)."""
        with self._lock:
            ids = self._labels.nbytes + self._map.ids.nbytes + self._map.rows.nbytes
            delta = _faiss_bytes(self._delta) if self._delta is not None else 0
            return _faiss_bytes(self._index) + delta + ids

    def save(self, directory: str | os.PathLike[str], *, manifest: dict[str, Any]) -> None:
        """Writes the index and a JSON manifest (`manifest` plus its own fields) into `directory`.

        Data files are named by content hash and the manifest is replaced last, so a reader finds
        the old set or the new one; a writer that loses a race leaves files a later load rejects.
        """
        if self.mapped:
            self.merged().save(directory, manifest=manifest)
            return
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        with self._lock:
            files = {
                "index": _write_data(directory, "index", ".faiss", lambda p: faiss.write_index(self._index, str(p))),
                "labels": _write_data(directory, "labels", ".npy", lambda p: np.save(p, self._labels)),
            }
            meta = {
                **manifest,
                "format": FORMAT_VERSION,
                "kind": self.kind,
                "backend": self._backend,
                "dim": self.dim,
                "count": len(self),
                "rows": int(self._index.ntotal),
                "approximate_above": self.approximate_above,
                "hnsw_m": self.hnsw_m,
                "files": files,
                "vector_sum": [float(x) for x in self._sum],
            }
        tmp = directory / f".{MANIFEST}.{uuid.uuid4().hex}.tmp"
        tmp.write_text(json.dumps(meta, indent=2, sort_keys=True))
        os.replace(tmp, directory / MANIFEST)
        _remove_unlisted(directory, {entry["file"] for entry in files.values()})

    def merged(self) -> VectorIndex:
        """An in-memory copy holding the live vectors only: what a fresh file is written from."""
        with self._lock:
            copy = VectorIndex(
                self.dim, self.kind, self.approximate_above, hnsw_m=self.hnsw_m, ef_search=self.ef_search
            )
            live = np.flatnonzero(self._labels >= 0)
            ids, vectors = self._labels[live], self._reconstruct(live)
        if len(ids):
            copy.add(ids, vectors)
        return copy

    @classmethod
    def load(
        cls, directory: str | os.PathLike[str], *, expect: dict[str, Any] | None = None, mapped: bool = False
    ) -> tuple[VectorIndex, dict[str, Any]]:
        """The saved index and its manifest; IndexUnusable says why when they can't be used.
        With `mapped`, the file is mapped read-only and shared with other processes that map it."""
        directory = Path(directory)
        manifest = _read_manifest(directory)
        for key, wanted in (expect or {}).items():
            if manifest.get(key) != wanted:
                raise IndexUnusable(f"saved index has {key}={manifest.get(key)!r}, expected {wanted!r}")
        try:
            # efSearch is a search-time setting: it comes from this code, so tuning needs no rebuild.
            index = cls(
                int(manifest["dim"]),
                manifest["kind"],
                int(manifest["approximate_above"]),
                hnsw_m=int(manifest["hnsw_m"]),
            )
            faiss_index = _read_verified(directory, manifest["files"]["index"], _faiss_reader(mapped))
            labels = _read_verified(directory, manifest["files"]["labels"], _load_array)
            index._adopt(faiss_index, labels, manifest, mapped=mapped)
        except (KeyError, TypeError, ValueError) as error:
            raise IndexUnusable(f"manifest in {directory} is incomplete or invalid: {error!r}") from None
        return index, manifest

    def _backend_for(self, count: int) -> str:
        if self.kind != "auto":
            return self.kind
        return "flat" if count <= self.approximate_above else "hnsw"

    def _reset(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Replaces everything with a fresh index of the kind suited to len(ids)."""
        self._backend = self._backend_for(len(ids))
        self._index = _new_faiss(self._backend, self.dim, vectors, self.hnsw_m, self.ef_search)
        self._labels = _id_array(())
        self._map = _IdMap(_id_array(()), _id_array(()))
        self._sum = np.zeros(self.dim, dtype=np.float64)
        self._append(ids, vectors)

    def _forget_rows(self, rows: np.ndarray) -> None:
        """Tombstones rows and takes their vectors out of the running sum."""
        if len(rows):
            self._sum -= self._reconstruct(rows).sum(axis=0, dtype=np.float64)
            self._labels[rows] = -1
            if self._delta is not None:
                self._base_dead += int((rows < self._index.ntotal).sum())

    def _append(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self._sum = self._sum + vectors.sum(axis=0, dtype=np.float64)
        start = self._rows()
        _use_threads(len(ids))
        (self._delta if self._delta is not None else self._index).add(vectors)
        if self._delta is not None and self._delta_wants_graph(self._delta):
            self._delta = _delta_graph(self._delta, self.hnsw_m)
        self._labels = np.concatenate([self._labels, ids])
        self._map.put(ids, np.arange(start, start + len(ids), dtype=np.int64))

    def _delta_wants_graph(self, delta: faiss.Index) -> bool:
        return self._backend != "flat" and isinstance(delta, faiss.IndexFlat) and delta.ntotal >= DELTA_GRAPH_ROWS

    def _rebuild(self, extra: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """A fresh index from the live vectors (plus `extra`), dropping tombstones."""
        live = np.flatnonzero(self._labels >= 0)
        ids, vectors = self._labels[live], self._reconstruct(live)
        if extra is not None:
            ids, vectors = (
                (np.concatenate([ids, extra[0]]), np.concatenate([vectors, extra[1]])) if len(live) else extra
            )
        self._reset(ids, vectors)

    def _compact_if_needed(self) -> None:
        if self.mapped:
            return  # compacting would copy the shared file into this process: a merge rewrites it
        dead = self._index.ntotal - len(self)
        if dead and dead > COMPACT_SHARE * self._index.ntotal:
            self._rebuild()

    def _rows(self) -> int:
        """Rows held, tombstones included: the base's, then the delta's."""
        return int(self._index.ntotal) + (int(self._delta.ntotal) if self._delta is not None else 0)

    def _reconstruct(self, rows: np.ndarray) -> np.ndarray:
        """The stored vectors of `rows` (numbered across base and delta), one per row."""
        rows = np.asarray(rows, dtype=np.int64)
        out = np.empty((len(rows), self.dim), np.float32)
        base = int(self._index.ntotal)
        in_base = rows < base
        if in_base.any():
            out[in_base] = self._index.reconstruct_batch(rows[in_base]).reshape(-1, self.dim)
        if not in_base.all():
            assert self._delta is not None  # rows past the base exist only in a delta
            out[~in_base] = self._delta.reconstruct_batch(rows[~in_base] - base).reshape(-1, self.dim)
        return out

    def _search_rows(self, q: np.ndarray, fetch: int) -> tuple[np.ndarray, np.ndarray]:
        """FAISS's (scores, rows) for one query, the delta's rows merged in by score."""
        scores, rows = self._index.search(q, min(fetch, max(1, self._index.ntotal)))
        if self._delta is None or not self._delta.ntotal:
            return scores, rows
        wanted = min(fetch, int(self._delta.ntotal))
        delta_scores, delta_rows = self._delta.search(q, min(wanted, DELTA_FIRST))
        if wanted > DELTA_FIRST and (not scores.shape[1] or delta_scores[0, -1] >= scores[0, -1]):
            # The delta's last answer still beats the base's: more of it may belong in the answer.
            delta_scores, delta_rows = self._delta.search(q, wanted)
        delta_rows = np.where(delta_rows >= 0, delta_rows + self._index.ntotal, -1)
        scores, rows = np.concatenate([scores, delta_scores], axis=1), np.concatenate([rows, delta_rows], axis=1)
        order = np.argsort(-scores[0], kind="stable")[:fetch]
        return scores[:, order], rows[:, order]

    def _adopt(
        self, faiss_index: faiss.Index, labels: np.ndarray, manifest: dict[str, Any], *, mapped: bool = False
    ) -> None:
        live = np.flatnonzero(labels >= 0)
        backend = manifest["backend"]
        problem = (
            f"its FAISS index is not a {backend} index"
            if not isinstance(faiss_index, _FAISS_TYPES[backend])
            or faiss_index.metric_type != faiss.METRIC_INNER_PRODUCT
            else "its vectors have another dimension"
            if faiss_index.d != self.dim
            else "its id list is not int64"
            if labels.dtype != np.int64 or labels.ndim != 1
            else "row count differs from its id list"
            if faiss_index.ntotal != len(labels)
            else "an id appears twice"
            if len(np.unique(labels[live])) != len(live)
            else "live count differs from the manifest"
            if len(live) != manifest.get("count")
            else None
        )
        if problem:
            raise IndexUnusable(f"saved index is inconsistent: {problem}")
        if isinstance(faiss_index, faiss.IndexHNSW):
            faiss_index.hnsw.efSearch = self.ef_search
        self._index, self._labels, self._backend = faiss_index, labels, backend
        self._delta = faiss.IndexFlatIP(self.dim) if mapped else None
        self._base_dead = int((labels < 0).sum()) if mapped else 0
        self._map = _IdMap(labels[live], live.astype(np.int64))
        saved_sum = manifest.get("vector_sum")
        self._sum = (
            np.asarray(saved_sum, dtype=np.float64)
            if saved_sum is not None and len(saved_sum) == self.dim
            else self._live_sum(live)
        )

    def _live_sum(self, live: np.ndarray) -> np.ndarray:
        total = np.zeros(self.dim, dtype=np.float64)
        for start in range(0, len(live), _CHUNK):
            total += self._reconstruct(live[start : start + _CHUNK]).sum(axis=0)
        return total

    def _checked(self, ids: Iterable[int], vectors: object) -> tuple[np.ndarray, np.ndarray]:
        """Ids and unit vectors, one row each; for an id given twice only its last row remains."""
        ids, vectors = _id_array(ids), check_vectors(vectors, self.dim)
        if len(ids) != len(vectors):
            raise ValueError(f"{len(ids)} ids but {len(vectors)} vectors")
        if len(ids) and ids.min() < 0:
            raise ValueError("ids must be database ids (>= 0)")  # -1 marks a removed row
        _, last_from_end = np.unique(ids[::-1], return_index=True)
        if len(last_from_end) < len(ids):
            keep = np.sort(len(ids) - 1 - last_from_end)
            ids, vectors = ids[keep], vectors[keep]
        return ids, normalise(vectors)

    def _query(self, query: np.ndarray) -> np.ndarray:
        q = check_vectors(query, self.dim)
        if len(q) != 1:
            raise ValueError(f"expected one query vector, got {len(q)}")
        return normalise(q)

    def _row(self, item_id: int) -> int:
        with self._lock:
            return int(self._map.lookup(np.array([item_id], np.int64))[0])

    def _filtered(self, q: np.ndarray, fetch: int, k: int, exclude: set[int]) -> list[tuple[int, float]]:
        _use_threads(1)
        scores, rows = self._search_rows(q, fetch)
        hits: list[tuple[int, float]] = []
        seen: set[int] = set()
        for row, score in zip(rows[0].tolist(), scores[0].tolist()):
            item = int(self._labels[row]) if row >= 0 else -1
            if item < 0 or item in exclude or item in seen:
                continue
            seen.add(item)
            hits.append((item, min(max(score, -1.0), 1.0)))  # 8-bit codes can overshoot +-1
            if len(hits) == k:
                break
        return hits


def build_index(
    ids: Iterable[int], vectors: object, *, kind: str = "auto", approximate_above: int = 20_000
) -> VectorIndex:
    """A new index holding `vectors` under `ids`; its dimension comes from `vectors`."""
    array = np.asarray(vectors, dtype=np.float32)
    if array.ndim != 2:
        raise ValueError(f"expected an (n, dim) array of vectors, got shape {array.shape}")
    index = VectorIndex(array.shape[1], kind, approximate_above)
    index.add(ids, array)
    return index


def _id_array(ids: Iterable[int]) -> np.ndarray:
    ids = ids if isinstance(ids, (np.ndarray, list, tuple)) else list(ids)
    return np.asarray(ids, dtype=np.int64).reshape(-1)


def _use_threads(rows: int) -> None:
    # Decision: single queries and small adds run on one OpenMP thread. On 2 shared cores a thread
    # team costs more than the work (flat search over 20k: 16 ms on 2 threads, 0.9 ms on 1).
    # libgomp keeps this setting per calling thread, so concurrent callers don't disturb each other.
    faiss.omp_set_num_threads((os.cpu_count() or 1) if rows >= PARALLEL_ROWS else 1)


def _new_faiss(backend: str, dim: int, sample: np.ndarray, m: int, ef_search: int) -> faiss.Index:
    if backend == "flat":
        return faiss.IndexFlatIP(dim)
    index: faiss.IndexHNSW  # flat or 8-bit storage under the same graph
    if backend == "hnsw":
        index = faiss.IndexHNSWFlat(dim, m, faiss.METRIC_INNER_PRODUCT)
    else:
        index = faiss.IndexHNSWSQ(dim, SQ_8BIT, m, faiss.METRIC_INNER_PRODUCT)
        index.train(_sq8_training(sample, dim))
    index.hnsw.efConstruction = EF_CONSTRUCTION
    index.hnsw.efSearch = ef_search
    return index


def _delta_graph(flat: faiss.Index, m: int) -> faiss.Index:
    """A graph over a flat delta's rows, in their order (row numbers stay as they were)."""
    graph = faiss.IndexHNSWFlat(flat.d, m, faiss.METRIC_INNER_PRODUCT)
    graph.hnsw.efConstruction = EF_CONSTRUCTION
    graph.hnsw.efSearch = DELTA_EF_SEARCH
    _use_threads(flat.ntotal)
    graph.add(flat.reconstruct_n(0, flat.ntotal))
    return graph


def _sq8_training(sample: np.ndarray, dim: int) -> np.ndarray:
    """Rows whose per-dimension range the 8-bit codes will span."""
    if len(sample) < 1_000:
        # Too few to know the real ranges: span what a unit vector can hold. Later adds that leave
        # a trained range are clipped, so a compaction (which retrains) sharpens the codes.
        return np.stack([-np.ones(dim, np.float32), np.ones(dim, np.float32)])
    return np.ascontiguousarray(sample[:: max(1, len(sample) // 100_000)])


def _faiss_reader(mapped: bool) -> Callable[[str], faiss.Index]:
    return (lambda path: faiss.read_index(path, MAPPED)) if mapped else faiss.read_index


def _faiss_bytes(index: faiss.Index) -> int:
    if isinstance(index, faiss.IndexHNSW):
        storage = faiss.downcast_index(index.storage)
        hnsw: Any = index.hnsw  # faiss's stubs leave out the graph's vectors and code_size
        graph = hnsw.neighbors.size() * 4 + hnsw.offsets.size() * 8 + hnsw.levels.size() * 4
        return int(getattr(storage, "code_size")) * storage.ntotal + int(graph)  # noqa: B009 - as above
    return int(getattr(index, "code_size")) * index.ntotal  # noqa: B009 - as above


def _write_data(directory: Path, stem: str, suffix: str, writer: Callable[[Path], object]) -> dict[str, Any]:
    """Writes through `writer` to a temporary file, then renames it after its sha256."""
    tmp = directory / f".{stem}.{uuid.uuid4().hex}.tmp{suffix}"  # np.save keeps a name ending in .npy
    try:
        writer(tmp)
        digest = _sha256(tmp)
        final = directory / f"{stem}-{digest[:16]}{suffix}"
        size = tmp.stat().st_size
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    _mark_verified(final, digest)
    # No fsync: the index is derived data, so a crash costs a rebuild, not a loss.
    return {"file": final.name, "sha256": digest, "bytes": size}


# Hashing a 1.7 GB file costs each reader ~1.7 s: the writer, which hashed what it wrote, leaves
# a note of the file's identity (inode, size, mtime) beside it, and a reader that finds the file
# unchanged since skips the hash. Any write to the file (a truncation, bytes changed in place)
# moves its mtime, and a copied file has another inode, so those are hashed again.
def _verified_note(path: Path) -> Path:
    return path.with_name(f".{path.name}.verified")


def _identity(path: Path, digest: str) -> str:
    stat = path.stat()
    return json.dumps({"sha256": digest, "ino": stat.st_ino, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns})


def _mark_verified(path: Path, digest: str) -> None:
    note = _verified_note(path)
    tmp = note.with_name(f"{note.name}.{uuid.uuid4().hex}.tmp")
    try:
        tmp.write_text(_identity(path, digest))
        os.replace(tmp, note)
    except OSError:
        tmp.unlink(missing_ok=True)  # a read-only folder: readers hash the file instead


def _known_sound(path: Path, digest: str) -> bool:
    try:
        return _verified_note(path).read_text() == _identity(path, digest)
    except OSError:
        return False


def _remove_unlisted(directory: Path, keep: set[str]) -> None:
    for path in [*directory.glob("index-*.faiss"), *directory.glob("labels-*.npy")]:
        if path.name not in keep:
            path.unlink(missing_ok=True)
            _verified_note(path).unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _read_manifest(directory: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except FileNotFoundError:
        raise IndexUnusable(f"no saved index in {directory} ({MANIFEST} missing)") from None
    except (OSError, ValueError) as error:
        raise IndexUnusable(f"{MANIFEST} in {directory} is unreadable: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise IndexUnusable(f"{MANIFEST} in {directory} is not format {FORMAT_VERSION}")
    return manifest


def _read_verified(directory: Path, entry: dict[str, Any], reader: Callable[[str], T]) -> T:
    """What `reader` makes of the file `entry` names, once its sha256 matches the manifest."""
    path = directory / Path(entry["file"]).name
    if not path.is_file():
        raise IndexUnusable(f"{path} is missing")
    if not _known_sound(path, entry["sha256"]):
        if _sha256(path) != entry["sha256"]:
            raise IndexUnusable(f"{path} is damaged (its sha256 differs from the manifest)")
        _mark_verified(path, entry["sha256"])
    try:
        return reader(str(path))
    except (RuntimeError, OSError, ValueError) as error:
        raise IndexUnusable(f"cannot read {path}: {str(error).splitlines()[0]}") from None


def _load_array(path: str) -> np.ndarray:
    return np.asarray(np.load(path, allow_pickle=False))
