"""The benchmark runs end to end and its synthetic data has the shape it claims."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from matching.bench import clustered_vectors, profile_texts
from matching.bench_serving import (
    MODES,
    backend_memory,
    bench_workers,
    compare_embedders,
    memory_of,
    model_arithmetic,
    save_index_file,
)
from matching.embedder import FakeEmbedder, bundled_model_path

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


@pytest.mark.parametrize(
    ("kind", "n", "faiss_type"), [("flat", 20_000, "IndexFlatIP"), ("hnsw", 5_000, "IndexHNSWFlat")]
)
def test_workers_mapping_with_mmap_ifc_share_the_pages_that_loading_or_plain_mmap_copy(tmp_path, kind, n, faiss_type):
    path = save_index_file(tmp_path, n, kind=kind)
    probes = clustered_vectors(5, seed=1)
    loaded = bench_workers(path, "load", 2, probes)
    copied = bench_workers(path, "mmap", 2, probes)  # IO_FLAG_MMAP alone maps no flat index
    mapped = bench_workers(path, "mmap_ifc", 2, probes)
    file_mb = path.stat().st_size / 1e6
    assert loaded["index_type"] == mapped["index_type"] == faiss_type
    # two copies gone, the HNSW graph's too: anonymous memory falls by nearly twice the file
    assert loaded["pss_anon_total_mb"] - mapped["pss_anon_total_mb"] > 1.5 * file_mb
    assert copied["pss_anon_total_mb"] - mapped["pss_anon_total_mb"] > 1.5 * file_mb
    assert mapped["pss_file_total_mb"] >= file_mb * 0.9  # the mapped file, counted once over both
    assert mapped["rss_total_mb"] - mapped["pss_total_mb"] > 0.5 * file_mb  # Rss counts it twice
    assert 0 < loaded["open_s"] < loaded["ready_s"] and mapped["p95_ms"] > 0


def test_serving_prints_the_web_tier_per_size_and_worker_count_against_per_process_loading():
    out = subprocess.run(
        [sys.executable, "-m", "matching.bench", "--serving", "--sizes", "2000,3000", "--workers", "1,2"]
        + ["--queries", "5", "--json", "--tier-backends", "fake,fake"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    rows = json.loads(out.stdout)
    assert [(r["n"], r["workers"]) for r in rows] == [(2000, 1), (2000, 2), (3000, 1), (3000, 2)]
    keys = {"n", "workers", "rss_total_mb", "baseline_rss_total_mb", "ready_s", "p95_ms"}
    assert all(keys <= row.keys() for row in rows)
    assert all(row["mapped"] and 0 < row["rss_total_mb"] <= row["rss_sum_mb"] for row in rows)
    assert all(row["baseline_rss_total_mb"] > 0 and row["ready_s"] > 0 for row in rows)


def test_serving_with_modes_adds_the_faiss_only_table_and_cold_starts():
    out = subprocess.run(
        [sys.executable, "-m", "matching.bench", "--serving", "--sizes", "2000", "--workers", "1,2"]
        + ["--queries", "5", "--json", "--tier-backends", "fake,fake", "--no-baseline", "--modes"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    *tier, result = json.loads(out.stdout)
    assert [row["baseline_rss_total_mb"] for row in tier] == [None, None]
    serving = result["serving"]
    assert (serving["n"], serving["index"]) == (2000, "IndexFlatIP")  # auto: flat at this size
    assert [(r["workers"], r["mode"]) for r in serving["workers"]] == [(w, m) for w in (1, 2) for m in MODES]
    assert {(r["mode"], r["cold"]) for r in serving["ready"]} == {(m, c) for m in MODES for c in (True, False)}
    assert all(r["rss_total_mb"] >= r["pss_total_mb"] > 0 for r in serving["workers"])


def test_compare_embedders_reports_speed_against_the_naive_loop_and_differences_from_the_reference():
    texts = profile_texts(40)
    reference, other = FakeEmbedder(384), FakeEmbedder(384)
    result = compare_embedders(texts, "fake", {"fake": reference, "fake-again": other}, reference.encode, rounds=2)[
        "backends"
    ]
    assert (result["texts"], result["reference"], result["rounds"]) == (40, "fake", 2)
    rows = {row["backend"]: row for row in result["rows"]}
    assert set(rows) == {"naive", "fake", "fake-again"}
    assert all(row["max_abs_diff"] == 0.0 and row["texts_per_s"] > 0 for row in rows.values())
    assert rows["naive"]["speedup_vs_naive"] == 1.0


def test_memory_of_reads_this_process():
    memory = memory_of()
    assert memory["rss"] >= memory["pss"] > 0 and memory["pss_anon"] > 0


def test_backend_memory_reports_one_fresh_process_per_backend(tmp_path):
    (row,) = backend_memory(["fake"], model_path=None, cache_dir=str(tmp_path))
    assert row["backend"] == "fake" and row["rss_mb"] >= row["pss_mb"] > 0
    assert row["torch_imported"] is False  # the fake embedder and matching's import load no torch


def test_the_skills_bench_reads_texts_of_1000_characters_each_with_phrases_of_its_own():
    from matching.bench_skills import texts_to_read
    from matching.skill_reader import candidate_phrases

    texts = texts_to_read(3)
    assert [len(text) for text in texts] == [1000] * 3
    phrases = [set(candidate_phrases(text)) for text in texts]
    assert all(a - b for a in phrases for b in phrases if a is not b)


def test_model_arithmetic_counts_each_distinct_texts_tokens_and_the_encoders_operations():
    arithmetic = model_arithmetic(["hello world", "hello world", "data"], bundled_model_path())
    assert arithmetic["tokens"] == 4 + 3  # [CLS] hello world [SEP], [CLS] data [SEP]; the repeat once
    per_token = 6 * (4 * 384 * 384 + 2 * 384 * 1536)  # all-MiniLM-L6-v2: 6 layers, 384 wide, 1536 inside
    attention = 6 * 2 * 384 * (4**2 + 3**2)
    assert arithmetic["gflop"] == round(2 * (per_token * 7 + attention) / 1e9, 2)
    assert arithmetic["matmul_gflop_per_s"] > 0
