"""VectorIndex: upsert, removal, search, recall against its exact twin, and files it can trust."""

from __future__ import annotations

import json

import numpy as np
import pytest

import matching.index as index_module
from matching.bench import clustered_vectors
from matching.index import IndexUnusable, VectorIndex, build_index

DIM = 32
KINDS = ["flat", "hnsw", "hnsw_sq8"]


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    return clustered_vectors(2_000, DIM, seed=3)


def filled(kind: str, vectors: np.ndarray, count: int = 1_000) -> VectorIndex:
    index = VectorIndex(DIM, kind)
    index.add(range(1, count + 1), vectors[:count])
    return index


def ids_of(hits: list[tuple[int, float]]) -> list[int]:
    return [item for item, _ in hits]


@pytest.mark.parametrize("kind", KINDS)
def test_a_stored_vector_finds_itself_first(kind, vectors):
    index = filled(kind, vectors)
    for item in (1, 500, 1_000):
        best, score = index.search(vectors[item - 1], 1)[0]
        assert best == item
        assert score == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize("kind", KINDS)
def test_adding_an_existing_id_replaces_its_vector(kind, vectors):
    index = filled(kind, vectors)
    index.add([7], vectors[1_500:1_501])
    assert len(index) == 1_000
    assert index.vector(7) == pytest.approx(vectors[1_500], abs=0.01)
    assert index.search(vectors[1_500], 1)[0][0] == 7
    assert 7 not in ids_of(index.search(vectors[6], 5))  # its old vector no longer answers


def test_an_id_given_twice_in_one_batch_keeps_its_last_vector(vectors):
    index = VectorIndex(DIM, "flat")
    index.add([5, 6, 5], vectors[:3])
    assert index.ids() == [5, 6]
    assert index.vector(5) == pytest.approx(vectors[2], abs=1e-6)


@pytest.mark.parametrize("kind", KINDS)
def test_removed_ids_are_never_returned(kind, vectors):
    index = filled(kind, vectors)
    removed = set(range(1, 1_001, 10))  # 10%: stays as tombstones, below the compaction share
    index.remove(removed | {99_999})
    assert len(index) == 900 and 11 not in index and 12 in index
    for query in vectors[:200:7]:
        hits = ids_of(index.search(query, 50))
        assert len(hits) == 50 and not removed & set(hits)
    assert not removed & set(ids_of(index.search(vectors[0], 5_000)))


@pytest.mark.parametrize("kind", KINDS)
def test_heavy_removal_compacts_and_search_still_agrees_with_exact(kind, vectors):
    index = filled(kind, vectors)
    index.remove(range(1, 601))
    assert index.ids() == list(range(601, 1_001))
    for query in vectors[1_000:1_050]:
        assert ids_of(index.search(query, 5))[:3] == ids_of(index.exact_search(query, 5))[:3]


@pytest.mark.parametrize("kind", KINDS)
def test_results_are_best_first_distinct_and_skip_excluded(kind, vectors):
    index = filled(kind, vectors)
    query = vectors[1_200]
    first = index.search(query, 20)
    scores = [score for _, score in first]
    assert scores == sorted(scores, reverse=True)
    assert len(set(ids_of(first))) == 20
    excluded = set(ids_of(first[:5]))
    again = index.search(query, 20, exclude=excluded)
    assert len(again) == 20 and not excluded & set(ids_of(again))
    assert ids_of(again)[:10] == ids_of(first)[5:15]


@pytest.mark.parametrize("kind", KINDS)
def test_k_beyond_the_collection_returns_each_id_once(kind, vectors):
    index = filled(kind, vectors, count=50)
    hits = ids_of(index.search(vectors[0], 500))
    assert sorted(hits) == list(range(1, 51))


@pytest.mark.parametrize("kind", [*KINDS, "auto"])
def test_an_empty_index_or_k_zero_gives_nothing(kind, vectors):
    assert VectorIndex(DIM, kind).search(vectors[0], 10) == []
    assert VectorIndex(DIM, kind).exact_search(vectors[0], 10) == []
    assert filled(kind, vectors, count=10).search(vectors[0], 0) == []


def test_auto_turns_approximate_past_the_threshold_and_flat_again_after_compaction(vectors):
    index = VectorIndex(DIM, "auto", approximate_above=300)
    index.add(range(300), vectors[:300])
    assert index.backend == "flat"
    index.add([300], vectors[300:301])
    assert index.backend == "hnsw" and len(index) == 301
    assert index.search(vectors[42], 1)[0][0] == 42
    index.remove(range(200))
    assert index.backend == "flat" and index.ids() == list(range(200, 301))


def test_build_index_takes_its_dimension_from_the_vectors(vectors):
    index = build_index([10, 20, 30], vectors[:3], kind="flat")
    assert (index.dim, len(index), index.ids()) == (DIM, 3, [10, 20, 30])
    assert 20 in index and 21 not in index and "20" not in index


@pytest.mark.parametrize("kind", ["hnsw", "hnsw_sq8"])
def test_approximate_search_recalls_what_exact_search_finds(kind):
    data = clustered_vectors(5_000 + 100, 384, seed=11)
    index = build_index(range(5_000), data[:5_000], kind=kind)
    recall = np.mean(
        [len(set(ids_of(index.search(q, 10))) & set(ids_of(index.exact_search(q, 10)))) / 10 for q in data[5_000:]]
    )
    assert recall >= 0.95


def test_sq8_stores_one_byte_a_dimension_instead_of_four(vectors):
    flat, sq8 = filled("hnsw", vectors), filled("hnsw_sq8", vectors)
    assert flat.memory_bytes() - sq8.memory_bytes() == 1_000 * DIM * 3  # same graph, smaller codes
    assert flat.memory_bytes() > 1_000 * DIM * 4


@pytest.mark.parametrize("bad", [np.zeros((2, DIM + 1)), np.full((1, DIM), np.nan), np.full(DIM, np.inf)])
def test_wrong_dimension_or_non_finite_vectors_are_refused(bad, vectors):
    index = filled("flat", vectors, count=10)
    with pytest.raises(ValueError, match=r"dimension|NaN"):
        index.add(range(len(np.atleast_2d(bad))), bad)
    with pytest.raises(ValueError, match=r"dimension|NaN"):
        index.search(bad[0], 5)
    assert len(index) == 10


def test_ids_and_vectors_must_pair_up_and_ids_be_non_negative(vectors):
    index = VectorIndex(DIM, "flat")
    with pytest.raises(ValueError, match="2 ids but 3 vectors"):
        index.add([1, 2], vectors[:3])
    with pytest.raises(ValueError, match=">= 0"):
        index.add([-1], vectors[:1])
    with pytest.raises(ValueError, match="unknown index kind"):
        VectorIndex(DIM, "ivf")


@pytest.mark.parametrize("kind", [*KINDS, "auto"])
def test_saved_index_loads_with_the_same_answers(kind, vectors, tmp_path):
    index = filled(kind, vectors)
    index.remove([3, 4])  # tombstones travel with the file
    index.save(tmp_path, manifest={"model_name": "fake-32", "change_seq": 17})
    loaded, manifest = VectorIndex.load(tmp_path, expect={"model_name": "fake-32", "dim": DIM})
    assert manifest["change_seq"] == 17 and manifest["count"] == 998 and manifest["kind"] == kind
    assert loaded.ids() == index.ids() and loaded.backend == index.backend
    for query in vectors[1_000:1_020]:
        assert loaded.search(query, 10) == index.search(query, 10)
    loaded.add([3], vectors[2:3])
    assert loaded.search(vectors[2], 1)[0][0] == 3


def test_saving_again_replaces_the_files(vectors, tmp_path):
    filled("flat", vectors, count=10).save(tmp_path, manifest={})
    filled("flat", vectors, count=20).save(tmp_path, manifest={})
    assert VectorIndex.load(tmp_path)[1]["count"] == 20
    data = sorted(path.name for path in tmp_path.glob("*-*.*") if not path.name.startswith("."))
    notes = sorted(path.name for path in tmp_path.glob(".*.verified"))
    assert len(data) == 2 and notes == [f".{name}.verified" for name in data]  # each with the writer's note
    assert len(list(tmp_path.iterdir())) == 5  # and the manifest; no leftovers


@pytest.fixture
def saved(vectors, tmp_path):
    filled("hnsw", vectors).save(tmp_path, manifest={"model_name": "fake-32"})
    return tmp_path


def data_file(directory, stem):
    return next(directory.glob(f"{stem}-*"))


def test_a_missing_index_is_unusable(tmp_path, saved):
    with pytest.raises(IndexUnusable, match="missing"):
        VectorIndex.load(tmp_path / "nowhere")
    data_file(saved, "index").unlink()
    with pytest.raises(IndexUnusable, match="missing"):
        VectorIndex.load(saved)


def test_a_truncated_index_file_is_unusable(saved):
    path = data_file(saved, "index")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(IndexUnusable, match="damaged"):
        VectorIndex.load(saved)


def test_flipped_bytes_in_the_ids_are_unusable(saved):
    path = data_file(saved, "labels")
    data = bytearray(path.read_bytes())
    data[-8:] = bytes(b ^ 0xFF for b in data[-8:])
    path.write_bytes(bytes(data))
    with pytest.raises(IndexUnusable, match="damaged"):
        VectorIndex.load(saved)


def test_a_corrupt_file_with_a_matching_hash_is_still_unusable(saved):
    path = data_file(saved, "index")
    path.write_bytes(path.read_bytes()[:500])
    manifest = json.loads((saved / "manifest.json").read_text())
    manifest["files"]["index"]["sha256"] = __import__("hashlib").sha256(path.read_bytes()).hexdigest()
    (saved / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexUnusable, match="cannot read"):
        VectorIndex.load(saved)


def test_a_garbled_manifest_is_unusable(saved):
    (saved / "manifest.json").write_text("{not json")
    with pytest.raises(IndexUnusable, match="unreadable"):
        VectorIndex.load(saved)


@pytest.mark.parametrize("expect", [{"model_name": "all-MiniLM-L6-v2"}, {"dim": 384}, {"change_seq": 1}])
def test_an_index_made_for_something_else_is_unusable(saved, expect):
    with pytest.raises(IndexUnusable, match=f"expected {next(iter(expect.values()))!r}"):
        VectorIndex.load(saved, expect=expect)


@pytest.mark.parametrize("kind", ["flat", "hnsw", "hnsw_sq8"])
def test_the_centroid_is_the_mean_of_the_live_vectors_through_changes_and_a_reload(kind, tmp_path):
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((300, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = VectorIndex(16, kind)
    index.add(range(300), vectors)
    index.add([5, 6], -vectors[[5, 6]])  # replaced
    index.remove([7, 8, 999])
    live = {i: vectors[i] for i in range(300) if i not in (7, 8)}
    live[5], live[6] = -vectors[5], -vectors[6]
    expected = np.mean(list(live.values()), axis=0)
    tolerance = 2e-2 if kind == "hnsw_sq8" else 1e-5  # 8-bit vectors come back approximately
    assert np.allclose(index.centroid, expected, atol=tolerance)
    index.save(tmp_path, manifest={"model": "m"})
    assert np.allclose(VectorIndex.load(tmp_path)[0].centroid, index.centroid, atol=1e-6)
    assert not VectorIndex(16).centroid.any()


def _file_digests(directory) -> dict[str, str]:
    import hashlib

    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


@pytest.mark.parametrize("kind", KINDS)
def test_a_mapped_index_answers_as_the_loaded_one_does(kind, vectors, tmp_path):
    filled(kind, vectors).save(tmp_path, manifest={})
    copied, _ = VectorIndex.load(tmp_path)
    mapped, _ = VectorIndex.load(tmp_path, mapped=True)
    assert mapped.mapped and not copied.mapped
    for probe in vectors[1_200:1_210]:
        assert mapped.search(probe, 10) == copied.search(probe, 10)
    assert mapped.vector(5) == pytest.approx(copied.vector(5))
    assert mapped.centroid == pytest.approx(copied.centroid)


@pytest.mark.parametrize("kind", KINDS)
def test_changes_to_a_mapped_index_go_to_its_delta_and_never_to_the_file(kind, vectors, tmp_path):
    filled(kind, vectors).save(tmp_path, manifest={})
    before = _file_digests(tmp_path)
    mapped, _ = VectorIndex.load(tmp_path, mapped=True)
    mapped.add([5_000], vectors[1_500:1_501])  # new
    mapped.add([7], vectors[1_600:1_601])  # replaced
    mapped.remove([9])
    assert mapped.unmerged_rows == 4  # two delta rows, two tombstones in the base
    assert len(mapped) == 1_000
    assert mapped.search(vectors[1_500], 1)[0][0] == 5_000
    assert mapped.search(vectors[1_600], 1)[0][0] == 7
    assert 7 not in ids_of(mapped.search(vectors[6], 5))
    assert 9 not in ids_of(mapped.search(vectors[8], 20))
    assert mapped.exact_search(vectors[1_600], 1)[0][0] == 7
    assert _file_digests(tmp_path) == before


def test_heavy_change_to_a_mapped_index_keeps_it_mapped_and_correct(vectors, tmp_path):
    filled("hnsw", vectors).save(tmp_path, manifest={})
    mapped, _ = VectorIndex.load(tmp_path, mapped=True)
    mapped.remove(range(1, 600))  # past the compaction share: a loaded index would rebuild itself
    mapped.add(range(3_000, 3_500), vectors[1_000:1_500])
    assert mapped.mapped
    assert len(mapped) == 901
    for probe in vectors[1_000:1_500:50]:
        assert ids_of(mapped.search(probe, 5)) == ids_of(mapped.exact_search(probe, 5))
    assert not set(ids_of(mapped.search(vectors[100], 50))) & set(range(1, 600))


def test_a_delta_that_grows_into_a_graph_keeps_its_rows_and_answers(vectors, tmp_path, monkeypatch):
    monkeypatch.setattr(index_module, "DELTA_GRAPH_ROWS", 100)
    filled("hnsw", vectors).save(tmp_path, manifest={})
    mapped, _ = VectorIndex.load(tmp_path, mapped=True)
    mapped.add(range(3_000, 3_060), vectors[1_000:1_060])
    mapped.add(range(3_060, 3_300), vectors[1_060:1_300])  # past 100 rows: the delta becomes a graph
    mapped.add([3_010], vectors[1_500:1_501])  # a delta row replaced after the switch
    mapped.remove([3_020])
    assert len(mapped) == 1_299 and mapped.unmerged_rows == 301
    assert mapped.vector(3_100) == pytest.approx(vectors[1_100], abs=1e-6)
    assert mapped.search(vectors[1_500], 1)[0][0] == 3_010
    assert 3_020 not in ids_of(mapped.search(vectors[1_020], 20))
    for probe in vectors[1_030:1_300:30]:
        assert ids_of(mapped.search(probe, 5)) == ids_of(mapped.exact_search(probe, 5))


@pytest.mark.parametrize("kind", KINDS)
def test_a_delta_holding_most_of_the_best_answers_gives_them_all(kind, vectors, tmp_path):
    filled(kind, vectors).save(tmp_path, manifest={})
    mapped, _ = VectorIndex.load(tmp_path, mapped=True)
    rng = np.random.default_rng(5)
    near = vectors[1_500] + 0.05 * rng.standard_normal((80, vectors.shape[1])).astype(np.float32)
    mapped.add(range(5_000, 5_080), near)  # 80 rows around one probe: past what a delta is asked first
    found = ids_of(mapped.search(vectors[1_500], 60))
    assert found == ids_of(mapped.exact_search(vectors[1_500], 60))
    assert set(found) <= set(range(5_000, 5_080))


@pytest.mark.parametrize("kind", KINDS)
def test_a_merged_copy_of_a_mapped_index_saves_and_maps_again_with_the_changes(kind, vectors, tmp_path):
    filled(kind, vectors).save(tmp_path / "v1", manifest={})
    mapped, _ = VectorIndex.load(tmp_path / "v1", mapped=True)
    mapped.add([5_000], vectors[1_500:1_501])
    mapped.remove([9])
    mapped.save(tmp_path / "v2", manifest={})
    again, manifest = VectorIndex.load(tmp_path / "v2", mapped=True)
    assert manifest["count"] == 1_000 and again.unmerged_rows == 0
    assert again.ids() == mapped.ids()
    assert again.search(vectors[1_500], 1)[0][0] == 5_000
    assert again.centroid == pytest.approx(mapped.centroid, abs=1e-3)  # 8-bit codes are re-encoded


_MAP_AND_WAIT = """
import sys, time
from matching.index import VectorIndex
index, _ = VectorIndex.load(sys.argv[1], mapped=True)
index.add([99_999], index.vector(1)[None, :])  # a change of its own, in its delta
print("mapped", flush=True)
time.sleep(60)
"""


def test_a_process_killed_while_it_maps_the_file_leaves_it_sound_for_the_others(vectors, tmp_path):
    import signal
    import subprocess
    import sys

    filled("hnsw", vectors).save(tmp_path, manifest={})
    before = _file_digests(tmp_path)
    worker = subprocess.Popen([sys.executable, "-c", _MAP_AND_WAIT, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "mapped"
        other, _ = VectorIndex.load(tmp_path, mapped=True)  # a sibling maps the same file meanwhile
        worker.send_signal(signal.SIGKILL)
        assert worker.wait(30) == -signal.SIGKILL
    finally:
        worker.kill()
    assert _file_digests(tmp_path) == before
    after, _ = VectorIndex.load(tmp_path, mapped=True)
    assert 99_999 not in after
    assert after.search(vectors[10], 5) == other.search(vectors[10], 5)


def test_a_file_unchanged_since_it_was_written_is_not_hashed_again_but_a_changed_one_is(vectors, tmp_path, monkeypatch):
    import matching.index as index_module

    filled("hnsw", vectors).save(tmp_path, manifest={})
    hashed = []
    real_sha256 = index_module._sha256
    monkeypatch.setattr(index_module, "_sha256", lambda path: hashed.append(path.name) or real_sha256(path))
    VectorIndex.load(tmp_path, mapped=True)
    assert hashed == []  # the writer's note vouches for both files

    labels = next(tmp_path.glob("labels-*.npy"))
    raw = bytearray(labels.read_bytes())
    raw[-1] ^= 0xFF  # the same size, changed in place
    labels.write_bytes(bytes(raw))
    with pytest.raises(IndexUnusable, match="damaged"):
        VectorIndex.load(tmp_path, mapped=True)
    assert hashed == [labels.name]


def test_a_copied_file_is_hashed_once_then_trusted(vectors, tmp_path, monkeypatch):
    import shutil

    import matching.index as index_module

    filled("flat", vectors).save(tmp_path / "written", manifest={})
    shutil.copytree(tmp_path / "written", tmp_path / "copied", ignore=shutil.ignore_patterns(".*"))
    hashed = []
    real_sha256 = index_module._sha256
    monkeypatch.setattr(index_module, "_sha256", lambda path: hashed.append(path.name) or real_sha256(path))
    VectorIndex.load(tmp_path / "copied")
    VectorIndex.load(tmp_path / "copied")
    assert len(hashed) == 2  # index and labels, on the first load only
