"""Vectors of long texts kept on this machine's disk for every process that encodes them.

Each web worker remembers what it encoded lately (`RememberingEmbedder`), but a profile saved
through one worker and then through another re-encoded every field in the second. The fields and
sentences worth keeping are the long ones (a bio costs ~40 times a headline), so texts of at
least SHARED_MIN_CHARS characters are also kept here, under a hash of the model and the text,
in a size-bounded diskcache (SQLite in WAL mode: readers never wait for a writer, and the least
recently stored go first once it is full). It is a cache and nothing more: a value of the wrong
size, a store that is busy past its short timeout or that cannot be opened counts as a miss,
and the text is encoded as if the store were not there.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

SHARED_MIN_CHARS = 80
SHARED_MB = 256  # ~170,000 vectors of 384 floats
BUSY_TIMEOUT_S = 0.05  # a request would rather encode than wait

log = logging.getLogger(__name__)


class SharedVectors:
    """The vectors of one model, by text, in a folder every process of the machine opens."""

    def __init__(self, directory: str | os.PathLike[str], model_name: str, dim: int, size_mb: int = SHARED_MB) -> None:
        self.directory = Path(directory)
        self.model_name = model_name
        self.dim = dim
        self.size_mb = size_mb
        self._cache: Any = None  # diskcache.Cache, typed Any: the library ships no types
        self._pid = 0
        self._lock = threading.Lock()
        self._broken = False
        self._warned = False

    @classmethod
    def in_cache(
        cls, cache_dir: str | os.PathLike[str], model_name: str, dim: int, size_mb: int = SHARED_MB
    ) -> SharedVectors:
        """The store in its place inside a cache folder (the web app's TANDEM_CACHE_DIR)."""
        return cls(Path(cache_dir) / "vectors", model_name, dim, size_mb)

    def get_many(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The vectors kept for those of `texts` that are kept, read-only."""
        cache = self._opened()
        found: dict[str, np.ndarray] = {}
        if cache is None:
            return found
        try:
            for text in dict.fromkeys(texts):
                value = cache.get(self._key(text))
                if isinstance(value, bytes) and len(value) == 4 * self.dim:
                    vector = np.frombuffer(value, dtype="<f4")
                    found[text] = vector  # frombuffer over bytes is read-only already
        except Exception as error:  # a cache that fails is a cache that missed
            self._warn_once("shared vectors unreadable (%s): encoding instead", error)
        return found

    def put_many(self, vectors: Mapping[str, np.ndarray]) -> None:
        cache = self._opened()
        if cache is None or not vectors:
            return
        try:
            with cache.transact():
                for text, vector in vectors.items():
                    cache.set(self._key(text), np.asarray(vector, dtype="<f4").tobytes())
        except Exception as error:  # as above: what is not kept is encoded again
            self._warn_once("shared vectors not written (%s)", error)

    def _warn_once(self, message: str, error: Exception) -> None:
        """A busy store under load would say so on every request: once a process is enough."""
        (log.debug if self._warned else log.warning)(message, error)
        self._warned = True

    def clear(self) -> None:
        """Drops every kept vector, of every model (benchmarks time fresh texts)."""
        cache = self._opened()
        if cache is not None:
            cache.clear()

    def _key(self, text: str) -> str:
        return hashlib.blake2b(f"{self.model_name}\0{text}".encode(), digest_size=16).hexdigest()

    def _opened(self) -> Any:
        """This process's handle: a process forked from one that had it open opens its own."""
        if self._broken:
            return None
        pid = os.getpid()
        if self._cache is not None and self._pid == pid:
            return self._cache
        with self._lock:
            if self._cache is None or self._pid != pid:
                try:
                    import diskcache

                    self._cache = diskcache.Cache(
                        str(self.directory), timeout=BUSY_TIMEOUT_S, size_limit=self.size_mb << 20
                    )
                    self._pid = pid
                except Exception as error:  # no store: every text is encoded, as before
                    log.warning("shared vectors off: %s cannot be opened (%s)", self.directory, error)
                    self._broken = True
                    return None
        return self._cache
