"""The benchmark runs end to end and its synthetic data has the shape it claims."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from matching.bench import clustered_vectors, profile_texts

INDEX_KEYS = {"n", "index", "build_s", "memory_mb", "p50_ms", "p95_ms", "recall_at_10", "bruteforce_p95_ms"}


def test_bench_prints_one_json_list_with_the_documented_keys():
    out = subprocess.run(
        [sys.executable, "-m", "matching.bench", "--sizes", "2000", "--json", "--skip-embedding", "--queries", "20"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    rows = json.loads(out.stdout)
    assert isinstance(rows, list) and len(rows) == 1
    row = rows[0]
    assert row.keys() >= INDEX_KEYS
    assert (row["n"], row["index"], row["recall_at_10"]) == (2000, "flat", 1.0)
    assert row["memory_mb"] >= 2000 * 384 * 4 / 1e6
    assert 0 < row["p50_ms"] <= row["p95_ms"] and row["bruteforce_p95_ms"] > 0
    assert "built flat" in out.stderr


def test_clustered_vectors_are_unit_reproducible_and_have_close_neighbours():
    vectors = clustered_vectors(1_000, 64, seed=5)
    assert vectors.shape == (1_000, 64) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert np.array_equal(vectors, clustered_vectors(1_000, 64, seed=5))
    similarities = vectors[:100] @ vectors.T
    np.fill_diagonal(similarities[:, :100], -1)
    assert similarities.max(axis=1).mean() > 0.5  # each has a close neighbour
    assert abs(similarities.mean()) < 0.1  # while most pairs are unrelated


def test_profile_texts_vary_in_length_and_repeat_some():
    texts = profile_texts(300)
    assert len(texts) == 300 and 200 < len(set(texts)) < 295
    lengths = sorted(map(len, texts))
    assert lengths[-1] > 5 * lengths[0]
