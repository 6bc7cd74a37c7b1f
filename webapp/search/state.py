"""What webapp/search keeps between requests, held in one object per app on `app.extensions`:
the embedder and occupation bridge, each kind's live index and cards. An app (and
so a database and an index folder) has its own; a test's fresh app starts with nothing loaded."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask import Flask, current_app

from matching import Embedder, OccupationBridge

from ..models import ItemKind
from .cards import CardCache

if TYPE_CHECKING:
    from .indexes import LiveIndex

EXTENSION = "tandem.search"


@dataclass
class SearchState:
    embedders: dict[tuple, Embedder] = field(default_factory=dict)  # by (kind, model path)
    bridges: dict[tuple, OccupationBridge | None] = field(default_factory=dict)  # by (model, cache dir)
    indexes: dict[ItemKind, LiveIndex] = field(default_factory=dict)
    cards: dict[ItemKind, CardCache] = field(default_factory=lambda: {kind: CardCache() for kind in ItemKind})
    lock: threading.Lock = field(default_factory=threading.Lock)  # guards the three dicts
    warming: threading.Lock = field(default_factory=threading.Lock)  # held while a warm-up runs
    merging: threading.Lock = field(default_factory=threading.Lock)  # held while a merge runs
    next_merge_at: float = 0.0  # time.monotonic() before which no merge is tried again
    opening: dict[ItemKind, threading.Lock] = field(
        default_factory=lambda: {kind: threading.Lock() for kind in ItemKind}
    )  # held while a thread maps or builds that kind's index


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = SearchState()


def search_state() -> SearchState:
    """The current app's search state."""
    return current_app.extensions[EXTENSION]
