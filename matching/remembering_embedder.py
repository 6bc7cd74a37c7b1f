"""An embedder that remembers the vectors of texts it encoded lately.

A web process encodes the same texts again and again: a profile saved twice re-embeds every
field when one changed, the same search words come back, a need's title is read on each save.
Small calls (up to `largest_call` texts) look each text up first and encode only the rest; bulk
calls (an index rebuild) pass straight through, so that they neither pay for the lookups nor push
out what the requests keep asking for. With `shared`, long texts not remembered here are looked
up in the machine's store (`matching.shared_vectors`) before they are encoded, and kept there
after: what one worker encoded, the others don't encode again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from matching.bounded_cache import BoundedCache
from matching.embedder import Embedder
from matching.shared_vectors import SHARED_MIN_CHARS, SharedVectors

REMEMBERED_TEXTS = 4096  # a vector is 1.5 KB: about 6 MB, and the texts, at most
REMEMBERED_CALL = 64


class RememberingEmbedder:
    """Wraps an embedder; anything but `encode` (loading, the model's settings) is the wrapped one's."""

    def __init__(
        self,
        embedder: Embedder,
        size: int = REMEMBERED_TEXTS,
        largest_call: int = REMEMBERED_CALL,
        shared: SharedVectors | None = None,
    ) -> None:
        # Over another remembering embedder (the web app's, under the skill normaliser's), wrap
        # what it wraps: each vector is then remembered in one place, not two.
        self.embedder: Embedder = embedder.embedder if isinstance(embedder, RememberingEmbedder) else embedder
        self.largest_call = largest_call
        self.model_name = embedder.model_name
        self.dim = embedder.dim
        self._vectors: BoundedCache[str, np.ndarray] = BoundedCache(size)
        self.shared = shared if shared is not None else getattr(embedder, "shared", None)

    def __getattr__(self, name: str) -> Any:
        if name == "embedder":  # not set yet (a copy being made): never look it up on itself
            raise AttributeError(name)
        return getattr(self.embedder, name)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors for `texts` in their order, those remembered not encoded again."""
        if len(texts) > self.largest_call:
            return self.embedder.encode(texts)
        rows = [self._vectors.get(text) for text in texts]
        missing = list(dict.fromkeys(text for text, row in zip(texts, rows) if row is None))
        if missing:
            long = [text for text in missing if len(text) >= SHARED_MIN_CHARS] if self.shared else []
            found = self.shared.get_many(long) if self.shared and long else {}
            fresh = [text for text in missing if text not in found]
            encoded = dict(zip(fresh, np.asarray(self.embedder.encode(fresh), dtype=np.float32))) if fresh else {}
            if self.shared and long:
                self.shared.put_many({text: encoded[text] for text in long if text in encoded})
            encoded.update(found)
            for text, vector in encoded.items():
                vector.setflags(write=False)  # shared by every caller that asks for this text
                self._vectors.put(text, vector)
            rows = [encoded[text] if row is None else row for row, text in zip(rows, texts)]
        if not rows:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack(rows)  # type: ignore[arg-type]  # every row is filled above

    def forget(self) -> None:
        """Drops every remembered vector (benchmarks time fresh texts)."""
        self._vectors.clear()
