"""Each process's FAISS indexes, derived from the stored vectors and kept in step with the
database through the IndexChange sequence.

A process loads the saved index (or rebuilds it from stored vectors when the file is missing,
damaged or for another model), then before each query applies the change rows it has not seen.
In PostgreSQL a sequence value can become visible after a larger one (transactions commit out of
order), so a gap below the highest applied value is re-read until it fills or grows old.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select

from matching import IndexUnusable, VectorIndex, build_index

from ..extensions import db
from ..models import Embedding, FreelancerProfile, IndexChange, ItemKind, Need, NeedStatus, User, Visibility
from .cards import card_cache
from .docs import need_is_rankable, profile_is_rankable
from .engine import embedder, index_dir
from .vectors import ensure_embeddings, load_needs, load_profiles, stored_vectors

log = logging.getLogger(__name__)
GAP_PATIENCE_S = 60.0


@dataclass
class LiveIndex:
    index: VectorIndex
    applied_seq: int  # every change up to here is applied
    pending_gaps: dict[int, float] = field(default_factory=dict)  # seq -> first seen missing
    seen_above: set[int] = field(default_factory=set)  # applied seqs above applied_seq
    lock: threading.Lock = field(default_factory=threading.Lock)


_live: dict[tuple[str, ItemKind], LiveIndex] = {}
_registry_lock = threading.Lock()


def rankable_ids(kind: ItemKind) -> list[int]:
    if kind is ItemKind.NEED:
        return list(db.session.scalars(select(Need.id).where(Need.status == NeedStatus.OPEN)))
    return list(
        db.session.scalars(
            select(FreelancerProfile.id)
            .join(FreelancerProfile.user)
            .where(
                FreelancerProfile.visibility != Visibility.HIDDEN,
                FreelancerProfile.headline != "",
                User.is_active_account.is_(True),
            )
        )
    )


def latest_seq() -> int:
    return db.session.scalar(select(func.coalesce(func.max(IndexChange.seq), 0)))


def _key(kind: ItemKind) -> tuple[str, str, ItemKind]:
    return (str(db.engine.url), str(index_dir()), kind)


def _path(kind: ItemKind):
    return index_dir() / kind.value


def build_fresh(kind: ItemKind, *, progress=None) -> LiveIndex:
    """Embeds what is stale, builds a new index from stored vectors, saves it and swaps it in."""
    seq = latest_seq()  # read first: changes after this are re-applied by catch-up
    ids = rankable_ids(kind)
    ensure_embeddings(kind, ids, progress=progress)
    vector_ids, vectors = stored_vectors(kind, ids)
    kind_setting = current_app.config["TANDEM_INDEX_KIND"]
    index = (
        build_index(vector_ids, vectors, kind=kind_setting) if vector_ids else VectorIndex(embedder().dim, kind_setting)
    )
    live = LiveIndex(index, seq)
    _save(kind, live)
    with _registry_lock:
        _live[_key(kind)] = live
    if kind is ItemKind.PROFILE:
        card_cache().forget()
    return live


def _save(kind: ItemKind, live: LiveIndex) -> None:
    live.index.save(
        _path(kind),
        manifest={"model_name": embedder().model_name, "change_seq": live.applied_seq, "item_kind": kind.value},
    )


def _load_or_rebuild(kind: ItemKind) -> LiveIndex:
    try:
        index, manifest = VectorIndex.load(
            _path(kind), expect={"model_name": embedder().model_name, "dim": embedder().dim}
        )
        return LiveIndex(index, int(manifest["change_seq"]))
    except IndexUnusable as problem:
        log.warning("%s index unusable (%s): rebuilding from stored vectors", kind.value, problem)
        return build_fresh(kind)


def loaded(kind: ItemKind) -> LiveIndex | None:
    """This process's index for `kind` if it has one in memory (loads nothing)."""
    with _registry_lock:
        return _live.get(_key(kind))


def live_index(kind: ItemKind) -> VectorIndex:
    """This process's index for `kind`, with every committed change applied."""
    key = _key(kind)
    with _registry_lock:
        live = _live.get(key)
    if live is None:
        live = _load_or_rebuild(kind)
        with _registry_lock:
            live = _live.setdefault(key, live)
    if latest_seq() < live.applied_seq:
        log.warning("%s index is ahead of the database (restored?): rebuilding", kind.value)
        live = build_fresh(kind)
    catch_up(kind, live)
    return live.index


def catch_up(kind: ItemKind, live: LiveIndex) -> int:
    """Applies the change rows this process has not seen; returns how many items it touched."""
    with live.lock:
        # Rows of every kind are read: the sequence is shared, so skipping the other kind's
        # numbers would leave gaps that only time closes.
        rows = db.session.execute(
            select(IndexChange.seq, IndexChange.kind, IndexChange.item_id)
            .where(IndexChange.seq > live.applied_seq)
            .order_by(IndexChange.seq)
        ).all()
        fresh = [row for row in rows if row.seq not in live.seen_above]
        touched = {row.item_id for row in fresh if row.kind == kind}
        if touched:
            if kind is ItemKind.PROFILE:
                card_cache().forget(touched)
            apply_items(kind, live.index, touched)
        _advance(live, [row.seq for row in fresh])
        return len(touched)


def _advance(live: LiveIndex, applied: list[int]) -> None:
    live.seen_above.update(applied)
    now = time.monotonic()
    while True:
        nxt = live.applied_seq + 1
        if nxt in live.seen_above:
            live.seen_above.discard(nxt)
        elif live.seen_above and now - live.pending_gaps.setdefault(nxt, now) > GAP_PATIENCE_S:
            live.pending_gaps.pop(nxt)  # a rolled-back transaction's number: it never comes
        else:
            return
        live.applied_seq = nxt


def apply_items(kind: ItemKind, index: VectorIndex, item_ids: set[int]) -> None:
    rows = (load_needs if kind is ItemKind.NEED else load_profiles)(item_ids)
    rankable = need_is_rankable if kind is ItemKind.NEED else profile_is_rankable
    keep = [item_id for item_id, row in rows.items() if rankable(row)]
    index.remove([item_id for item_id in item_ids if item_id not in keep])
    if keep:
        ensure_embeddings(kind, keep)
        ids, vectors = stored_vectors(kind, keep)
        if ids:
            index.add(ids, vectors)


def rewrite_saved(kind: ItemKind) -> None:
    """Saves this process's index again from the stored vectors of what it holds now, so a vector
    that was removed (a deleted account's) is gone from the files too, not left under a tombstone.
    Reads only stored vectors: nothing is embedded."""
    live_index(kind)
    live = loaded(kind)
    with live.lock:
        ids, vectors = stored_vectors(kind, live.index.ids())
        kind_setting = current_app.config["TANDEM_INDEX_KIND"]
        index = build_index(ids, vectors, kind=kind_setting) if ids else VectorIndex(embedder().dim, kind_setting)
        fresh = LiveIndex(index, live.applied_seq, dict(live.pending_gaps), set(live.seen_above))
    _save(kind, fresh)
    with _registry_lock:
        _live[_key(kind)] = fresh


def apply_changes_now(kind: ItemKind) -> None:
    """Right after a commit: embed and index the change in this process, so the person who
    made it sees its effect on the next page. Other processes catch up on their next query."""
    live_index(kind)


def stored_vector(kind: ItemKind, item_id: int):
    """The current vector of one item: from this process's index when it holds the item (the
    change sequence keeps it current), else from the database, embedding it first if its text
    changed (an item that is not rankable, such as a paused need)."""
    index = live_index(kind)
    if item_id in index:
        return index.vector(item_id)
    ensure_embeddings(kind, [item_id])
    ids, vectors = stored_vectors(kind, [item_id])
    return vectors[0] if ids else None


def status() -> dict:
    report = {"latest_change_seq": latest_seq(), "model": embedder().model_name}
    for kind in ItemKind:
        embedded = db.session.scalar(
            select(func.count())
            .select_from(Embedding)
            .where(Embedding.kind == kind, Embedding.model_name == embedder().model_name)
        )
        entry = {"rankable": len(rankable_ids(kind)), "embedded": embedded, "file": str(_path(kind))}
        try:
            _, manifest = VectorIndex.load(_path(kind), expect={"model_name": embedder().model_name})
            entry.update(
                saved_count=manifest.get("count"), saved_seq=manifest.get("change_seq"), saved_kind=manifest.get("kind")
            )
        except IndexUnusable as problem:
            entry["saved"] = f"unusable: {problem}"
        report[kind.value] = entry
    return report


def forget_all() -> None:
    """Drops this process's indexes (tests; a fresh process starts this way)."""
    with _registry_lock:
        _live.clear()
