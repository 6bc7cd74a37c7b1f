"""The vectors of an item's own texts, kept beside the item's vector, so that its next save
encodes only the texts that changed.

A profile's vector is read from its headline, skills, bio and AI use, and its augmentation
focus from the sentences the lexicon cannot read. A save usually changes one of them, but a
process that has not met the profile lately (another worker, or the same one weeks later)
encoded them all again: about 100 ms of a first save's 160. `KnownTexts` answers the texts the
item was read from last time out of a record of their vectors, encodes the rest, and keeps
what it served for the next record. A record is float16 (768 bytes a vector at 384 dimensions)
under a 16-byte hash of each text; texts shorter than MIN_KEPT_CHARS cost little to encode and
are not kept.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np

from matching.embedder import Embedder

MIN_KEPT_CHARS = 40
KEY_BYTES = 16
_MAGIC = b"TKV1"
_HEADER = struct.Struct("<4sHI")  # magic, dimension, how many vectors


def text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=KEY_BYTES).digest()


def pack(vectors: Mapping[bytes, np.ndarray], dim: int) -> bytes:
    """A record of `vectors` (text key -> unit vector of `dim` floats)."""
    keys = list(vectors)
    matrix = np.asarray([vectors[key] for key in keys], dtype="<f2").reshape(len(keys), dim)
    return _HEADER.pack(_MAGIC, dim, len(keys)) + b"".join(keys) + matrix.tobytes()


def unpack(record: bytes | None, dim: int) -> dict[bytes, np.ndarray]:
    """The vectors of a record, as float32 unit rows by text key; ValueError if it is not a whole
    record of `dim`-float vectors."""
    if not record:
        return {}
    if len(record) < _HEADER.size:
        raise ValueError(f"a record of text vectors is at least {_HEADER.size} bytes, not {len(record)}")
    magic, stored_dim, count = _HEADER.unpack_from(record)
    if magic != _MAGIC:
        raise ValueError("not a record of text vectors")
    if stored_dim != dim:
        raise ValueError(f"the record holds vectors of dimension {stored_dim}, not {dim}")
    expected = _HEADER.size + count * (KEY_BYTES + 2 * dim)
    if len(record) != expected:
        raise ValueError(f"a record of {count} vectors is {expected} bytes, not {len(record)}")
    start = _HEADER.size + count * KEY_BYTES
    matrix = np.frombuffer(record, dtype="<f2", offset=start).reshape(count, dim).astype(np.float32)
    if not np.isfinite(matrix).all():
        raise ValueError("the record holds vectors that are not finite")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    keys = [record[_HEADER.size + i * KEY_BYTES : _HEADER.size + (i + 1) * KEY_BYTES] for i in range(count)]
    return dict(zip(keys, matrix))


class KnownTexts:
    """An embedder that answers the texts in `known` without encoding them; anything but
    `encode` is the wrapped embedder's."""

    def __init__(self, embedder: Embedder, known: Mapping[bytes, np.ndarray] | None = None) -> None:
        self.embedder = embedder
        self.model_name = embedder.model_name
        self.dim = embedder.dim
        self._known = dict(known or {})
        self.served: dict[str, np.ndarray] = {}  # every text of MIN_KEPT_CHARS or more answered
        self.encoded = 0  # texts that were not known and went to the wrapped embedder

    def __getattr__(self, name: str) -> Any:
        if name == "embedder":  # not set yet (a copy being made): never look it up on itself
            raise AttributeError(name)
        return getattr(self.embedder, name)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        key_of = {text: text_key(text) for text in texts}
        missing = [text for text, key in key_of.items() if key not in self._known]
        if missing:
            self.encoded += len(missing)
            for text, vector in zip(missing, np.asarray(self.embedder.encode(missing), dtype=np.float32)):
                self._known[key_of[text]] = vector
        rows = [self._known[key_of[text]] for text in texts]
        for text, row in zip(texts, rows):
            if len(text) >= MIN_KEPT_CHARS:
                self.served[text] = row
        if not rows:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack(rows)

    def record_for(self, own_texts: Collection[str]) -> bytes | None:
        """The record of the texts served that are one item's own (`own_texts`: its fields as
        embedded, its words as written and their sentences), None when there are none."""
        kept = {text_key(text): vector for text, vector in self.served.items() if text in own_texts}
        return pack(kept, self.dim) if kept else None
