"""The bundled model in ONNX Runtime: the torch path's vectors, without torch, exported once."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from matching.embedder import SentenceTransformerEmbedder, bundled_model_path
from matching.onnx_embedder import BULK, QUANTIZED_SUFFIX, OnnxEmbedder

TEXTS = ["SQL Server", "coach the claims team in prompt design and LLM evaluation", "x" * 3000, "機械学習", "", "🚀"]


@pytest.fixture(scope="module")
def onnx(tmp_path_factory) -> OnnxEmbedder:
    embedder = OnnxEmbedder(bundled_model_path(), tmp_path_factory.mktemp("cache"))
    embedder.load()
    return embedder


@pytest.mark.model
def test_onnx_gives_the_torch_paths_vectors_under_the_same_name(onnx):
    torch_path = SentenceTransformerEmbedder()
    assert onnx.model_name == torch_path.model_name and onnx.dim == torch_path.dim == 384
    assert np.abs(onnx.encode(TEXTS) - torch_path.encode(TEXTS)).max() < 1e-5
    many = [f"skill number {n}" for n in range(BULK + 10)]  # the session with every core
    assert np.abs(onnx.encode(many)[:5] - torch_path.encode(many[:5])).max() < 1e-5


@pytest.mark.model
def test_the_export_is_kept_and_a_second_process_encodes_without_torch(onnx):
    assert onnx.onnx_path.exists()
    code = (
        "import sys; from matching.onnx_embedder import OnnxEmbedder; from matching.embedder import bundled_model_path; "
        f"e = OnnxEmbedder(bundled_model_path(), {str(onnx.cache_dir)!r}); v = e.encode(['SQL']); "
        "print(v.shape, round(float((v ** 2).sum()), 3), 'torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "(1, 384) 1.0 False"


@pytest.mark.model
def test_the_float_export_runs_onnx_runtimes_fused_attention(onnx):
    import onnx as onnx_format

    operators = {node.op_type for node in onnx_format.load(str(onnx.onnx_path), load_external_data=False).graph.node}
    assert {"Attention", "SkipLayerNormalization", "BiasGelu"} <= operators
    assert "Softmax" not in operators  # no attention left unfused


def test_a_model_the_onnx_path_cannot_run_is_refused_clearly(tmp_path):
    (tmp_path / "modules.json").write_text(
        '[{"idx": 0, "name": "0", "path": "", "type": "x.Transformer"}, '
        '{"idx": 1, "name": "1", "path": "2_Dense", "type": "x.Dense"}]'
    )
    (tmp_path / "sentence_bert_config.json").write_text('{"max_seq_length": 128}')
    with pytest.raises(ValueError, match="mean-pooled"):
        OnnxEmbedder(str(tmp_path), tmp_path / "cache")


@pytest.mark.model
def test_int8_weights_keep_the_vectors_near_the_float_ones_under_a_name_of_their_own(tmp_path):
    int8 = OnnxEmbedder(bundled_model_path(), tmp_path, quantized=True)
    float_path = SentenceTransformerEmbedder()
    assert int8.model_name == float_path.model_name + QUANTIZED_SUFFIX
    texts = [text for text in TEXTS if text.strip()]
    cosines = np.einsum("nd,nd->n", int8.encode(texts), float_path.encode(texts))
    assert cosines.min() > 0.95  # one scale per output channel; one per tensor gave 0.90 at worst
