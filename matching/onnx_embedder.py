"""The bundled sentence-transformers model run by ONNX Runtime, without torch in the process.

The model is exported to ONNX once (`export_onnx`, which needs torch, at install or first use),
kept in the cache folder, and then loaded by every process that encodes. Tokenising with the
model's own tokenizer.json, mean pooling and normalising give the torch path's vectors to within
about 1e-7, so stored vectors stay valid: the embedder has the same `model_name`. With
`quantized=True` the weights are int8 (dynamic quantisation, one scale per output channel): a
quarter of the size and 2-3 times faster, but the vectors move (cosine 0.99 to the originals on
average, 0.97 at worst), so the name says so and vectors are renewed. (One scale per tensor moved
them to 0.96, at the same speed.)
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from matching.embedder import _dim_from_config, _distinct, _length_buckets, _model_name, normalise

OPSET = 17
# 2: attention as plain operations, not sdpa: a quarter fewer nodes, same vectors; int8 runs ~15% faster.
# 3: the float model's attention, layer norms and GELU fused into ONNX Runtime's own kernels.
EXPORT = 3
BULK = 256  # texts encoded at once from which a session with every core is used
QUANTIZED_SUFFIX = "-onnx-int8-per-channel"


class OnnxEmbedder:
    """Unit vectors from the exported model; thread-safe, loaded on first use."""

    def __init__(
        self,
        model_path: str,
        cache_dir: str | os.PathLike[str],
        *,
        quantized: bool = False,
        threads: int = 1,
        bulk_threads: int | None = None,
        batch_size: int = 64,
    ) -> None:
        self.model_path = Path(model_path)
        self.cache_dir = Path(cache_dir)
        self.quantized = quantized
        self.threads = threads  # for queries: a web process shares its cores with its siblings
        self.bulk_threads = bulk_threads or os.cpu_count() or 1  # for BULK texts or more at once
        self.batch_size = batch_size
        self.model_name = _model_name(str(model_path)) + (QUANTIZED_SUFFIX if quantized else "")
        config = json.loads((self.model_path / "sentence_bert_config.json").read_text())
        self.max_length = int(config.get("max_seq_length", 256))
        self.dim = _mean_pooled_size(self.model_path)
        # ONNX Runtime's sessions and the tokenizer, typed Any: neither library ships types.
        self._session: Any = None
        self._bulk_session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._session is not None

    @property
    def onnx_path(self) -> Path:
        name = f"{self.model_name}-opset{OPSET}-export{EXPORT}.onnx".replace("/", "_")
        return self.cache_dir / "onnx" / name

    def load(self) -> None:
        """Exports the model if no exported file is cached yet, then opens it."""
        if self._session is None:
            with self._lock:
                if self._session is None:
                    from tokenizers import Tokenizer

                    if not self.onnx_path.exists():
                        export_onnx(self.model_path, self.onnx_path, quantized=self.quantized)
                    tokenizer = Tokenizer.from_file(str(self.model_path / "tokenizer.json"))
                    tokenizer.enable_truncation(self.max_length)
                    tokenizer.enable_padding()
                    self._tokenizer = tokenizer
                    self._session = self._open(self.threads)

    def _open(self, threads: int) -> Any:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        return onnxruntime.InferenceSession(str(self.onnx_path), options, providers=["CPUExecutionProvider"])

    def _session_for(self, count: int) -> Any:
        if count < BULK or self.bulk_threads <= self.threads:
            return self._session
        with self._lock:
            if self._bulk_session is None:
                self._bulk_session = self._open(self.bulk_threads)
        return self._bulk_session

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors for `texts` in their order; each distinct text is encoded once."""
        self.load()
        unique, positions = _distinct(texts)
        if not unique:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.empty((len(unique), self.dim), dtype=np.float32)
        session = self._session_for(len(unique))
        for batch in _length_buckets([len(text) for text in unique], self.batch_size):
            vectors[batch] = self._encode_batch(session, [unique[i] for i in batch])
        return normalise(vectors)[positions]  # type: ignore[no-any-return]  # numpy types fancy indexing as Any

    def _encode_batch(self, session: Any, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
        summed = np.einsum("bsd,bs->bd", hidden, mask.astype(np.float32))
        return np.asarray(summed / np.maximum(mask.sum(axis=1, keepdims=True), 1), dtype=np.float32)


def export_onnx(model_path: str | os.PathLike[str], target: str | os.PathLike[str], *, quantized: bool = False) -> Path:
    """Writes the model's transformer as ONNX (int8 weights with `quantized`) to `target`,
    through a temporary file renamed at the end, so a reader never sees half a file."""
    import torch
    from transformers import AutoModel

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    model = AutoModel.from_pretrained(str(model_path), attn_implementation="eager").eval()

    class LastHiddenState(torch.nn.Module):  # type: ignore[misc]  # torch is read as Any (not followed)
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    example = torch.ones((1, 4), dtype=torch.int64)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    try:
        with torch.no_grad():
            torch.onnx.export(
                LastHiddenState(),
                (example, example, torch.zeros_like(example)),
                str(partial),
                input_names=names,
                output_names=["last_hidden_state"],
                opset_version=OPSET,
                dynamic_axes={name: {0: "batch", 1: "tokens"} for name in [*names, "last_hidden_state"]},
                dynamo=False,
            )
        if not quantized:
            _fuse(partial, Path(model_path))
        if quantized:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            plain = partial.with_name(partial.name + ".plain")
            os.replace(partial, plain)
            quantize_dynamic(str(plain), str(partial), weight_type=QuantType.QInt8, per_channel=True)
            plain.unlink()
        os.replace(partial, target)
    finally:
        for leftover in (partial, partial.with_name(partial.name + ".plain")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
    return target


def _fuse(path: Path, model_path: Path) -> None:
    """Rewrites the exported graph with ONNX Runtime's fused attention, skip layer norm and bias
    GELU kernels (its transformer optimizer, offline): the same vectors to within 3e-7, a short
    text encoded 8-17% faster, long batches no faster. The int8 export is left unfused, as its
    figures were taken."""
    from onnxruntime.transformers import optimizer

    config = json.loads((model_path / "config.json").read_text())
    fused = optimizer.optimize_model(
        str(path), model_type="bert", num_heads=config["num_attention_heads"], hidden_size=config["hidden_size"]
    )
    fused.save_model_to_file(str(path))


def _mean_pooled_size(folder: Path) -> int:
    """The vector size of a Transformer + mean Pooling (+ Normalize) model: what this path runs."""
    size = _dim_from_config(folder)
    pooling = next((m for m in json.loads((folder / "modules.json").read_text()) if "Pooling" in m["type"]), None)
    mean = pooling is not None and json.loads((folder / pooling["path"] / "config.json").read_text()).get(
        "pooling_mode_mean_tokens"
    )
    if size is None or not mean:
        raise ValueError(
            f"{folder}: the ONNX path runs mean-pooled models without extra layers; "
            "use the sentence-transformers embedder for this one"
        )
    return size
