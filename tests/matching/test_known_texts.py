"""An item's texts' vectors kept with it: the record reads back what was written, refuses what is
not a whole record, and the wrapper encodes only the texts it does not know."""

from __future__ import annotations

import numpy as np
import pytest

from matching import FakeEmbedder
from matching.known_texts import MIN_KEPT_CHARS, KnownTexts, pack, text_key, unpack

LONG = "I help finance teams learn to analyse their own data, pairing on real reports."
OTHER = "Workshops on reviewing the model's suggestions, so the adjusters keep the final call."


class Counting(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen.extend(texts)
        return super().encode(texts)


def test_a_record_reads_back_its_vectors_as_unit_rows_within_float16():
    embedder = FakeEmbedder()
    vectors = embedder.encode([LONG, OTHER])
    record = pack({text_key(LONG): vectors[0], text_key(OTHER): vectors[1]}, embedder.dim)
    assert len(record) == 10 + 2 * (16 + 2 * embedder.dim)
    back = unpack(record, embedder.dim)
    assert set(back) == {text_key(LONG), text_key(OTHER)}
    assert np.allclose(np.linalg.norm(np.stack(list(back.values())), axis=1), 1, atol=1e-6)
    assert float(back[text_key(LONG)] @ vectors[0]) > 0.99999


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda r: r[:-1], "bytes, not"),
        (lambda r: r[:5], "at least"),
        (lambda r: b"XXXX" + r[4:], "not a record"),
        (lambda r: r + b"\x00\x00", "bytes, not"),
    ],
)
def test_a_damaged_record_is_refused_with_what_is_wrong(damage, message):
    embedder = FakeEmbedder()
    record = pack({text_key(LONG): embedder.encode([LONG])[0]}, embedder.dim)
    with pytest.raises(ValueError, match=message):
        unpack(damage(record), embedder.dim)


def test_a_record_of_another_dimension_or_with_non_finite_numbers_is_refused():
    embedder = FakeEmbedder()
    record = pack({text_key(LONG): embedder.encode([LONG])[0]}, embedder.dim)
    with pytest.raises(ValueError, match="dimension"):
        unpack(record, embedder.dim + 1)
    broken = pack({text_key(LONG): np.full(embedder.dim, np.nan)}, embedder.dim)
    with pytest.raises(ValueError, match="not finite"):
        unpack(broken, embedder.dim)
    assert unpack(None, embedder.dim) == {} and unpack(b"", embedder.dim) == {}


def test_known_texts_are_answered_without_encoding_and_the_rest_are_encoded_once():
    inner = Counting()
    known = KnownTexts(inner, {text_key(LONG): inner.encode([LONG])[0]})
    inner.seen.clear()
    vectors = known.encode([LONG, OTHER, OTHER, "short"])
    assert inner.seen == [OTHER, "short"] and known.encoded == 2
    assert np.allclose(vectors[1], vectors[2]) and vectors.shape == (4, inner.dim)
    assert known.encode([]).shape == (0, inner.dim)
    assert known.model_name == inner.model_name and known.dim == inner.dim


def test_the_record_of_an_item_holds_its_own_long_texts_only():
    known = KnownTexts(FakeEmbedder())
    known.encode([LONG, OTHER, "short"])
    assert len("short") < MIN_KEPT_CHARS <= len(LONG)
    record = known.record_for({"Analytics coach", LONG})
    assert set(unpack(record, known.dim)) == {text_key(LONG)}
    assert known.record_for({"words of another item"}) is None
