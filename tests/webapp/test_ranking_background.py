"""The web app measures a score from the need's background, as the evaluation does: the pool a
request ranks from passes on the index's centroid (it used to hide it, so every score was read
from a background of 0 and a need matching nothing previewed the usual band)."""

from __future__ import annotations

import numpy as np

from matching.index import build_index
from matching.ranking import _background
from webapp.search.ranking import CappedPool


def test_the_capped_pool_ranks_from_the_index_background():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(50, 16)).astype(np.float32) + 2.0  # all leaning one way: a real background
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = build_index(range(50), vectors)
    query = vectors[0]
    pool = CappedPool(index)
    np.testing.assert_allclose(pool.centroid, index.centroid)
    assert _background(query, pool) == _background(query, index) > 0.5
