"""The process's embedder and occupation bridge, created on first use (loading the model takes
seconds, so never at start-up)."""
from __future__ import annotations

import os
import threading
from pathlib import Path

from flask import current_app

from matching.embedder import Embedder, FakeEmbedder, SentenceTransformerEmbedder

_lock = threading.Lock()
_embedders: dict[tuple, Embedder] = {}


def embedder() -> Embedder:
    config = current_app.config
    key = (config["TANDEM_EMBEDDER"], config["TANDEM_MODEL_PATH"])
    with _lock:
        if key not in _embedders:
            if config["TANDEM_EMBEDDER"] == "fake":
                _embedders[key] = FakeEmbedder(384)
            else:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                _embedders[key] = SentenceTransformerEmbedder(config["TANDEM_MODEL_PATH"])
        return _embedders[key]


def index_dir() -> Path:
    return Path(current_app.config["TANDEM_INDEX_DIR"])
