"""Long texts' vectors kept on the machine's disk: what one process encoded, another reads."""

from __future__ import annotations

import multiprocessing

import numpy as np

from matching import FakeEmbedder, RememberingEmbedder, SharedVectors
from matching.shared_vectors import SHARED_MIN_CHARS

from .test_remembering_embedder import CountingEmbedder

BIO = "Data engineer who pairs with analysts on their first pipelines and writes the runbooks with them. "
HEADLINE = "Data engineer"  # short: cheap to encode again, not kept


def _worker(directory: str) -> RememberingEmbedder:
    inner = CountingEmbedder()
    return RememberingEmbedder(inner, shared=SharedVectors(directory, inner.model_name, inner.dim))


def test_a_long_text_encoded_by_one_process_is_read_by_another_not_encoded(tmp_path):
    assert len(BIO) >= SHARED_MIN_CHARS > len(HEADLINE)
    first, second = _worker(tmp_path), _worker(tmp_path)
    vectors = first.encode([HEADLINE, BIO])
    again = second.encode([BIO, HEADLINE])
    assert second.embedder.encoded == [HEADLINE]
    np.testing.assert_array_equal(again[0], vectors[1])
    np.testing.assert_array_equal(again, FakeEmbedder(16).encode([BIO, HEADLINE]))


def test_another_models_vectors_are_not_read(tmp_path):
    _worker(tmp_path).encode([BIO])
    inner = CountingEmbedder()
    other = RememberingEmbedder(inner, shared=SharedVectors(tmp_path, "another-model", inner.dim))
    other.encode([BIO])
    assert inner.encoded == [BIO]


def test_a_value_of_the_wrong_size_is_a_miss_and_encoded_again(tmp_path):
    store = SharedVectors(tmp_path, "fake-16", 16)
    store.put_many({BIO: np.zeros(8, dtype=np.float32)})
    assert store.get_many([BIO]) == {}
    worker = _worker(tmp_path)
    worker.encode([BIO])
    assert worker.embedder.encoded == [BIO]


def test_a_store_that_cannot_be_opened_leaves_encoding_as_it_was(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    worker = _worker(blocked)
    np.testing.assert_array_equal(worker.encode([BIO]), FakeEmbedder(16).encode([BIO]))
    assert worker.embedder.encoded == [BIO]


def _encode_in_child(directory, queue) -> None:
    worker = _SHARED[directory]  # the parent's object, inherited through fork with its handle
    worker.forget()  # what the parent remembered in memory: only the disk is shared
    before = len(worker.embedder.encoded)
    worker.encode([BIO, BIO + " from the child"])
    queue.put(worker.embedder.encoded[before:])


_SHARED: dict[str, RememberingEmbedder] = {}


def test_a_forked_process_opens_its_own_handle_and_both_see_each_others_vectors(tmp_path):
    directory = str(tmp_path)
    parent = _SHARED[directory] = _worker(directory)
    parent.encode([BIO])  # the handle is open before the fork, as in gunicorn's master
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_encode_in_child, args=(directory, queue))
    child.start()
    assert queue.get(timeout=30) == [BIO + " from the child"]
    child.join(timeout=30)
    assert child.exitcode == 0
    later = _worker(directory)
    later.encode([BIO, BIO + " from the child"])
    assert later.embedder.encoded == []
