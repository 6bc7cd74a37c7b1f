"""Embedders: the fake one every test uses, the batching around the real model, and vector checks."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import numpy as np
import pytest

from matching.bench import naive_encode
from matching.embedder import FakeEmbedder, SentenceTransformerEmbedder, check_vectors, new_embedder, text_hash
from matching.onnx_embedder import OnnxEmbedder

PROFILE_TEXTS = [
    "Senior Python engineer who pairs with data teams",
    "",
    "Change manager coaching leaders through AI adoption, workshops and playbooks " * 20,
    "Senior Python engineer who pairs with data teams",
    "   ",
    "Analytics lead: dbt, SQL, forecasting",
]


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b)


def test_fake_vectors_are_unit_rows_in_input_order():
    vectors = FakeEmbedder(64).encode(["python", "", "sql and python", "python"])
    assert vectors.shape == (4, 64) and vectors.dtype == np.float32
    assert np.linalg.norm(vectors, axis=1) == pytest.approx(np.ones(4), abs=1e-6)
    assert np.array_equal(vectors[0], vectors[3])
    assert FakeEmbedder(64).encode([]).shape == (0, 64)


def test_texts_sharing_words_are_closer_than_unrelated_ones():
    a, b, c = FakeEmbedder(384).encode(
        ["senior python engineer", "python engineer for data pipelines", "pastry chef in lyon"]
    )
    assert cosine(a, b) > 0.3
    assert cosine(a, b) > cosine(a, c) + 0.2


def test_fake_vectors_are_the_same_in_another_process_with_another_hash_seed():
    text = "Python coaching, pairing and prompt design"
    code = f"from matching.embedder import FakeEmbedder;print(FakeEmbedder(64).encode([{text!r}]).tobytes().hex())"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert other.stdout.strip() == FakeEmbedder(64).encode([text]).tobytes().hex()
    assert FakeEmbedder(64).model_name == "fake-64"


def test_text_hash_is_the_sha256_of_the_utf8_text():
    assert text_hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert text_hash("café") == hashlib.sha256("café".encode()).hexdigest()
    assert text_hash("café") != text_hash("cafe")


def test_check_vectors_accepts_one_row_and_converts_to_float32():
    checked = check_vectors(np.ones(4, dtype=np.float64), 4)
    assert checked.shape == (1, 4) and checked.dtype == np.float32
    assert check_vectors([], 4).shape == (0, 4)


def test_a_vector_of_the_wrong_dimension_gets_a_clear_error():
    with pytest.raises(ValueError, match="expected vectors of dimension 384, got an array of shape \\(2, 64\\)"):
        check_vectors(np.zeros((2, 64)), 384)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_vectors_are_refused(bad):
    vectors = np.ones((3, 4))
    vectors[1, 2] = bad
    with pytest.raises(ValueError, match=r"NaN or infinity \(rows \[1\]\)"):
        check_vectors(vectors, 4)


def test_new_embedder_makes_each_kind_it_names_without_loading_a_model(tmp_path):
    fake = new_embedder("fake")
    assert isinstance(fake, FakeEmbedder) and fake.dim == 384
    torch_path = new_embedder("sentence-transformers")
    assert isinstance(torch_path, SentenceTransformerEmbedder) and not torch_path.loaded
    onnx = new_embedder("onnx-int8", cache_dir=tmp_path)
    assert isinstance(onnx, OnnxEmbedder) and onnx.quantized and not onnx.loaded
    with pytest.raises(ValueError, match="cache_dir"):
        new_embedder("onnx")
    with pytest.raises(ValueError, match="choose one of"):
        new_embedder("word2vec")


def test_the_real_embedder_knows_its_name_and_size_without_loading_torch():
    code = (
        "import sys; from matching.embedder import SentenceTransformerEmbedder as E; e = E();"
        "print(e.model_name, e.dim, 'torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["all-MiniLM-L6-v2", "384", "False", "False"]


class RecordingModel:
    """Stands in for SentenceTransformer: fake vectors, and a record of every batch it was given."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def encode(self, texts, **options):
        self.batches.append(list(texts))
        return FakeEmbedder(384).encode(texts) * 3  # unnormalised on purpose


def test_encode_embeds_each_distinct_text_once_longest_first_and_keeps_order():
    embedder = SentenceTransformerEmbedder(batch_size=2)
    embedder._model = RecordingModel()
    vectors = embedder.encode(PROFILE_TEXTS)
    sent = [text for batch in embedder._model.batches for text in batch]
    assert sorted(sent) == sorted(set(PROFILE_TEXTS))
    assert [len(text) for text in sent] == sorted(map(len, sent), reverse=True)
    assert all(len(batch) <= 2 for batch in embedder._model.batches)
    assert vectors == pytest.approx(FakeEmbedder(384).encode(PROFILE_TEXTS), abs=1e-6)
    assert embedder.encode([]).shape == (0, 384)


def test_a_long_text_is_not_padded_alongside_many_short_ones():
    embedder = SentenceTransformerEmbedder(batch_size=64)
    embedder._model = RecordingModel()
    long_text = "coaching " * 2_000
    embedder.encode([f"headline {i}" for i in range(40)] + [long_text])
    assert embedder._model.batches[0] == [long_text]
    assert len(embedder._model.batches[1]) == 40


@pytest.mark.model
def test_real_model_gives_unit_384_vectors_in_order_matching_one_by_one_encoding():
    embedder = SentenceTransformerEmbedder()
    vectors = embedder.encode(PROFILE_TEXTS)
    assert vectors.shape == (len(PROFILE_TEXTS), 384) and vectors.dtype == np.float32
    assert np.linalg.norm(vectors, axis=1) == pytest.approx(np.ones(len(PROFILE_TEXTS)), abs=1e-5)
    assert np.array_equal(vectors[0], vectors[3])
    assert vectors == pytest.approx(naive_encode(embedder, PROFILE_TEXTS), abs=1e-4)
    python, _, coaching, _, _, analytics = vectors
    assert cosine(python, analytics) > cosine(python, coaching)
