"""Whether this process can answer rankings now: both indexes in memory with every committed
change applied. Checked without waiting seconds for the model: when the model is needed first,
it is loaded by a background warm-up and the process reports itself not ready meanwhile."""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app
from sqlalchemy import select

from ..extensions import db
from ..models import IndexChange, ItemKind
from ..skills.taxonomy import related_skills, skill_normaliser, taxonomy
from .engine import ModelNotLoaded, load_model, without_model_load
from .index_files import IndexBuilding
from .indexes import LiveIndex, live_index, loaded
from .state import EXTENSION

log = logging.getLogger(__name__)


def pending_changes(kind: ItemKind, live: LiveIndex) -> int:
    """Committed changes to items of `kind` that this process has not applied yet."""
    seqs = db.session.scalars(
        select(IndexChange.seq).where(IndexChange.kind == kind, IndexChange.seq > live.applied_seq)
    )
    return sum(1 for seq in seqs if seq not in live.seen_above)


def index_readiness() -> tuple[bool, dict]:
    """(ready, report): brings the indexes up to date when that needs no model load."""
    building: set[ItemKind] = set()
    try:
        with without_model_load():
            for kind in ItemKind:
                try:
                    live_index(kind, wait=False)
                except IndexBuilding:
                    building.add(kind)
    except ModelNotLoaded:
        db.session.rollback()
        warm_up_in_background(current_app._get_current_object())  # type: ignore[attr-defined]  # the proxy's own way to the app
    report = {kind.value: "building" if kind in building else _state(kind) for kind in ItemKind}
    ready = all(isinstance(entry, dict) and entry["pending"] == 0 for entry in report.values())
    return ready, report


def _state(kind: ItemKind) -> dict | str:
    live = loaded(kind)
    if live is None:
        return "loading"
    return {"items": len(live.index), "applied_seq": live.applied_seq, "pending": pending_changes(kind, live)}


def warm_up(app: Flask) -> None:
    """Loads the model, both indexes (every change applied) and the skills taxonomy: what a
    worker's first rankings would otherwise wait seconds for, holding up every other request."""
    with app.app_context():
        try:
            load_model()
            for kind in ItemKind:
                live_index(kind)
            taxonomy()
        finally:
            db.session.remove()


FORK_SAFE_EMBEDDERS = {"onnx", "onnx-int8", "fake"}  # torch's thread pools don't survive a fork


def preload(app: Flask) -> bool:
    """In gunicorn's master, before it forks the workers: loads the model and the skills taxonomy
    once, so every worker shares those pages instead of loading its own copy (an ONNX session
    with one thread is fork-safe; torch is not, so with it each worker loads its own as before).
    Leaves no database connection open to be inherited. Returns whether it loaded anything."""
    if app.config["TANDEM_EMBEDDER"] not in FORK_SAFE_EMBEDDERS:
        return False
    with app.app_context():
        try:
            load_model()
            if skill_normaliser(background=False).vectors is not None:  # no thread may run at a fork
                related_skills()
            return True
        except Exception:
            log.exception("preloading failed: each worker loads the model and taxonomy itself")
            return False
        finally:
            db.session.remove()
            db.engine.dispose()


def warm_up_in_background(app: Flask) -> bool:
    """Starts `warm_up` in a thread unless one is running; returns whether it started one."""
    warming = app.extensions[EXTENSION].warming
    if not warming.acquire(blocking=False):
        return False

    def run() -> None:
        try:
            warm_up(app)
            log.info("model, indexes and taxonomy loaded")
        except Exception:
            log.exception("warm-up failed; the next request loads what is missing")
        finally:
            warming.release()

    threading.Thread(target=run, name="tandem-warm-up", daemon=True).start()
    return True
