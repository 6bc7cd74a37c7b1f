"""The embedder the web app encodes with: texts seen lately are not encoded again."""

from __future__ import annotations

import numpy as np
import pytest

from matching import FakeEmbedder, RememberingEmbedder


class CountingEmbedder(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__(16)
        self.encoded: list[str] = []
        self.loaded = True

    def encode(self, texts):
        self.encoded += list(texts)
        return super().encode(texts)


def test_a_text_seen_lately_is_not_encoded_again_and_gets_the_same_vector():
    inner = CountingEmbedder()
    embedder = RememberingEmbedder(inner)
    first = embedder.encode(["headline", "bio"])
    again = embedder.encode(["bio", "new headline", "headline"])
    assert inner.encoded == ["headline", "bio", "new headline"]
    np.testing.assert_array_equal(again[0], first[1])
    np.testing.assert_array_equal(again[2], first[0])
    np.testing.assert_array_equal(again, inner.encode(["bio", "new headline", "headline"]))


def test_bulk_calls_pass_through_and_are_not_remembered():
    inner = CountingEmbedder()
    embedder = RememberingEmbedder(inner, largest_call=2)
    embedder.encode(["a", "b", "c"])
    embedder.encode(["a"])
    assert inner.encoded == ["a", "b", "c", "a"]


def test_it_remembers_a_bounded_number_of_texts():
    inner = CountingEmbedder()
    embedder = RememberingEmbedder(inner, size=2)
    for text in ("a", "b", "c", "a"):
        embedder.encode([text])
    assert inner.encoded == ["a", "b", "c", "a"]  # "a" was pushed out by "c"


def test_changing_a_returned_array_changes_nothing_remembered():
    embedder = RememberingEmbedder(CountingEmbedder())
    vectors = embedder.encode(["a"])
    vectors[:] = 0
    assert np.linalg.norm(embedder.encode(["a"])[0]) == pytest.approx(1.0)


def test_it_answers_for_the_wrapped_embedder():
    inner = CountingEmbedder()
    embedder = RememberingEmbedder(inner)
    assert (embedder.model_name, embedder.dim, embedder.loaded) == (inner.model_name, 16, True)
    assert embedder.encode([]).shape == (0, 16)
    assert not hasattr(RememberingEmbedder(FakeEmbedder(8)), "load")


def test_one_remembering_embedder_over_another_remembers_each_vector_once():
    inner = CountingEmbedder()
    outer = RememberingEmbedder(inner)
    nested = RememberingEmbedder(outer, largest_call=100)
    nested.encode(["a", "b"])
    nested.encode(["a"])
    assert inner.encoded == ["a", "b"]
    outer.encode(["a"])  # not in the outer one's memory: the nested one asked the model itself
    assert inner.encoded == ["a", "b", "a"]
