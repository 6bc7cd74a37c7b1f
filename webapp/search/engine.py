"""The app's embedder and occupation bridge, created on first use (loading the model takes
seconds, so never at start-up)."""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from flask import current_app

from matching import Embedder, OccupationBridge, RememberingEmbedder, SharedVectors, new_embedder

from .state import search_state


def embedder() -> Embedder:
    """This process's embedder, as TANDEM_EMBEDDER says: onnx (the default: the bundled model in
    ONNX Runtime, the torch path's vectors without torch), onnx-int8, sentence-transformers, fake;
    remembering the vectors of the texts it encoded lately, and keeping those of long texts for
    the machine's other processes (TANDEM_SHARED_VECTORS_MB)."""
    config = current_app.config
    key = (config["TANDEM_EMBEDDER"], config["TANDEM_MODEL_PATH"])
    state = search_state()
    with state.lock:
        if key not in state.embedders:
            inner = new_embedder(
                config["TANDEM_EMBEDDER"], model_path=config["TANDEM_MODEL_PATH"], cache_dir=config["TANDEM_CACHE_DIR"]
            )
            size_mb = config.get("TANDEM_SHARED_VECTORS_MB", 0)
            shared = (
                SharedVectors.in_cache(config["TANDEM_CACHE_DIR"], inner.model_name, inner.dim, size_mb)
                if size_mb
                else None
            )
            state.embedders[key] = RememberingEmbedder(inner, shared=shared)
        model = state.embedders[key]
    if _cold_model_forbidden.get() and not getattr(model, "loaded", True):
        return _UnlessLoaded(model)
    return model


class ModelNotLoaded(Exception):
    """Encoding was needed where waiting seconds for the model is not allowed (health checks)."""


_cold_model_forbidden: contextvars.ContextVar[bool] = contextvars.ContextVar("cold_model_forbidden", default=False)


@contextmanager
def without_model_load():
    """Inside, any encoding that would first load the model raises ModelNotLoaded instead."""
    token = _cold_model_forbidden.set(True)
    try:
        yield
    finally:
        _cold_model_forbidden.reset(token)


class _UnlessLoaded:
    """The embedder's name and size, and its encode only once the model is in memory; checked on
    each call, since a bridge made here keeps this object after the guard is gone."""

    def __init__(self, model: Embedder) -> None:
        self._model = model
        self.model_name, self.dim = model.model_name, model.dim

    def encode(self, texts):
        if _cold_model_forbidden.get() and not self._model.loaded:
            raise ModelNotLoaded(self.model_name)
        return self._model.encode(texts)


def load_model() -> None:
    """Brings the model (and the occupation bridge's vectors) into memory now."""
    model = embedder()
    if hasattr(model, "load"):
        model.load()
    elif hasattr(model, "model"):
        model.model()
    if (bridge := occupation_bridge()) is not None:
        _ = bridge.vectors  # reading the property encodes them, or loads them from the cache


def occupation_bridge() -> OccupationBridge | None:
    """The ESCO occupation bridge documents are encoded with, or None where it is switched off
    (TANDEM_OCCUPATION_BRIDGE; by default on with the real model, off with the fake one)."""
    config = current_app.config
    setting = str(config.get("TANDEM_OCCUPATION_BRIDGE") or "auto").lower()
    enabled = config["TANDEM_EMBEDDER"] != "fake" if setting == "auto" else setting in {"1", "true", "yes", "on"}
    if not enabled:
        return None
    model = embedder()
    key = (model.model_name, config["TANDEM_CACHE_DIR"])
    state = search_state()
    with state.lock:
        if key not in state.bridges:
            try:
                state.bridges[key] = OccupationBridge.from_default(model, cache_dir=config["TANDEM_CACHE_DIR"])
            except FileNotFoundError:
                state.bridges[key] = None
        return state.bridges[key]
