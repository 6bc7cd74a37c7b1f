"""Each process's FAISS indexes, derived from the stored vectors and kept in step with the
database through the IndexChange sequence.

A process maps the saved file read-only (TANDEM_INDEX_MAPPED, on by default), so all the workers
of a machine share one copy of it; what changed since the file was written lives in a small
in-memory delta per process. Once the delta passes TANDEM_INDEX_MERGE_ROWS, one process writes a
fresh file in the background (index_files.build_lock) and every process maps it on its next
query. When the file is missing, damaged or for another model, one process rebuilds it from the
stored vectors while the others wait. Before each query a process applies the change rows it has
not seen. In PostgreSQL a sequence value can become visible after a larger one (transactions
commit out of order), so a gap below the highest applied value is re-read until it fills or grows
old.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from flask import Flask, current_app
from sqlalchemy import func, select

from matching import IndexUnusable, VectorIndex, build_index

from ..extensions import db
from ..models import Embedding, IndexChange, ItemKind
from .engine import embedder
from .index_files import IndexBuilding, build_lock, file_stamp, index_path
from .kinds import KINDS
from .state import EXTENSION, search_state
from .vectors import embed_before_commit, ensure_embeddings, stored_vectors

log = logging.getLogger(__name__)
GAP_PATIENCE_S = 60.0
MERGE_RETRY_S = 60.0  # after a merge that failed, or that another process was already writing


@dataclass
class LiveIndex:
    index: VectorIndex
    applied_seq: int  # every change up to here is applied
    stamp: tuple[int, int] | None = None  # the saved manifest it was read from (None: built here, not mapped)
    pending_gaps: dict[int, float] = field(default_factory=dict)  # seq -> first seen missing
    seen_above: set[int] = field(default_factory=set)  # applied seqs above applied_seq
    lock: threading.Lock = field(default_factory=threading.Lock)


def rankable_ids(kind: ItemKind) -> list[int]:
    model = KINDS[kind].model
    return list(db.session.scalars(select(model.id).where(model.is_rankable)))


def latest_seq() -> int:
    return int(db.session.scalar(select(func.coalesce(func.max(IndexChange.seq), 0))) or 0)


def _mapping() -> bool:
    return bool(current_app.config.get("TANDEM_INDEX_MAPPED", True))


def _expected() -> dict:
    return {"model_name": embedder().model_name, "dim": embedder().dim}


def _read(kind: ItemKind) -> LiveIndex:
    """The saved file as this process serves it (mapped or copied); IndexUnusable when it can't be."""
    stamp = file_stamp(kind)
    index, manifest = VectorIndex.load(index_path(kind), expect=_expected(), mapped=_mapping())
    return LiveIndex(index, int(manifest["change_seq"]), stamp=stamp)


def build_fresh(kind: ItemKind, *, progress=None) -> LiveIndex:
    """Embeds what is stale, builds a new index from stored vectors, saves it and swaps it in.
    One process builds at a time; one that waited for another's build uses that build instead
    when it covers every change committed before this call."""
    wanted_seq, stamp_before = latest_seq(), file_stamp(kind)
    with build_lock(kind):
        if file_stamp(kind) != stamp_before:
            try:
                live = _read(kind)
                if live.applied_seq >= wanted_seq:
                    return _swap_in(kind, live)
            except IndexUnusable:
                pass
        return _swap_in(kind, _build_and_save(kind, progress=progress))


def _build_and_save(kind: ItemKind, *, progress=None) -> LiveIndex:
    """Builds from stored vectors and saves; the caller holds the build lock."""
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
    if _mapping():
        try:
            return _read(kind)  # serve the shared map, not this private copy
        except IndexUnusable as problem:
            log.warning("%s index: the file just written can't be mapped (%s): serving the copy", kind.value, problem)
    return live


def _swap_in(kind: ItemKind, live: LiveIndex) -> LiveIndex:
    state = search_state()
    with state.lock:
        state.indexes[kind] = live
    state.cards[kind].forget()
    return live


def _save(kind: ItemKind, live: LiveIndex) -> None:
    live.index.save(
        index_path(kind),
        manifest={"model_name": embedder().model_name, "change_seq": live.applied_seq, "item_kind": kind.value},
    )


def _open(kind: ItemKind, *, wait: bool) -> LiveIndex:
    """Maps the saved file or, where it can't be used, has one process rebuild it."""
    try:
        return _read(kind)
    except IndexUnusable as problem:
        reason = problem
    with build_lock(kind, wait=wait):
        try:
            return _read(kind)  # another process rebuilt it while this one waited
        except IndexUnusable:
            log.warning("%s index unusable (%s): rebuilding from stored vectors", kind.value, reason)
            return _build_and_save(kind)


def _current(kind: ItemKind, *, wait: bool) -> LiveIndex:
    """This process's index for `kind`, opened on first use and mapped again once another
    process has written a newer file. While one thread opens, the others keep what they have."""
    state = search_state()
    live = state.indexes.get(kind)
    replaced = live is not None and live.stamp is not None and live.stamp != file_stamp(kind)
    if live is not None and not replaced:
        return live
    opening = state.opening[kind]
    if not opening.acquire(blocking=live is None):
        return live  # type: ignore[return-value]  # only a thread that has an index skips the wait
    try:
        latest = state.indexes.get(kind)
        if latest is not None and latest is not live:
            return latest  # another thread opened it meanwhile
        return _swap_in(kind, _open(kind, wait=wait))
    except IndexBuilding:
        if live is None:
            raise
        return live  # a newer file is being written: keep serving this one
    finally:
        opening.release()


def loaded(kind: ItemKind) -> LiveIndex | None:
    """This process's index for `kind` if it has one in memory (loads nothing)."""
    return search_state().indexes.get(kind)


def live_index(kind: ItemKind, *, wait: bool = True) -> VectorIndex:
    """This process's index for `kind`, with every committed change applied. Without `wait`,
    IndexBuilding when another process is building the only file there could be."""
    live = _current(kind, wait=wait)
    latest = latest_seq()
    if latest < live.applied_seq:
        log.warning("%s index is ahead of the database (restored?): rebuilding", kind.value)
        live = build_fresh(kind)
    if latest > live.applied_seq:
        catch_up(kind, live)
    _merge_if_due(kind, live)
    return live.index


def _merge_if_due(kind: ItemKind, live: LiveIndex) -> None:
    """Starts writing a fresh file in the background once the delta is big enough; one process
    of the machine does it (the others find the build lock taken) and all map the result."""
    due = live.index.unmerged_rows >= current_app.config.get("TANDEM_INDEX_MERGE_ROWS", 10_000)
    state = search_state()
    if not due or time.monotonic() < state.next_merge_at or not state.merging.acquire(blocking=False):
        return
    state.next_merge_at = time.monotonic() + MERGE_RETRY_S  # unless this one's file is mapped first
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's own way to the app
    threading.Thread(target=_merge, args=(app, kind), name=f"tandem-merge-{kind.value}", daemon=True).start()


def _merge(app: Flask, kind: ItemKind) -> None:
    state = app.extensions[EXTENSION]
    try:
        with app.app_context():
            with build_lock(kind, wait=False):
                _swap_in(kind, _build_and_save(kind))
            log.info("%s index: delta merged into a fresh file", kind.value)
    except IndexBuilding:
        pass  # another process is writing one
    except Exception:
        log.exception("%s index: merging the delta failed; it goes on serving the delta", kind.value)
    finally:
        with app.app_context():
            db.session.remove()
        state.merging.release()


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
            search_state().cards[kind].forget(touched)
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
    rows = KINDS[kind].load(item_ids)
    keep = [item_id for item_id, row in rows.items() if row.is_rankable]
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
    assert live is not None  # live_index just opened it
    with build_lock(kind):
        with live.lock:
            ids, vectors = stored_vectors(kind, live.index.ids())
            kind_setting = current_app.config["TANDEM_INDEX_KIND"]
            index = build_index(ids, vectors, kind=kind_setting) if ids else VectorIndex(embedder().dim, kind_setting)
            fresh = LiveIndex(index, live.applied_seq, None, dict(live.pending_gaps), set(live.seen_above))
        _save(kind, fresh)
        if _mapping():
            mapped = _read(kind)
            fresh = LiveIndex(mapped.index, fresh.applied_seq, mapped.stamp, fresh.pending_gaps, fresh.seen_above)
    with search_state().lock:
        search_state().indexes[kind] = fresh


def commit_with_vectors(kind: ItemKind, ids: list[int]) -> None:
    """How a need or a profile is saved: its new vector is embedded into the open transaction and
    committed with the change, then the change is applied in this process at once."""
    embed_before_commit(kind, ids)
    db.session.commit()
    apply_changes_now(kind)


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
        entry = {"rankable": len(rankable_ids(kind)), "embedded": embedded, "file": str(index_path(kind))}
        try:
            _, manifest = VectorIndex.load(index_path(kind), expect={"model_name": embedder().model_name}, mapped=True)
            entry.update(
                saved_count=manifest.get("count"), saved_seq=manifest.get("change_seq"), saved_kind=manifest.get("kind")
            )
        except IndexUnusable as problem:
            entry["saved"] = f"unusable: {problem}"
        report[kind.value] = entry
    return report


def forget_all() -> None:
    """Drops this process's indexes (tests; a fresh process starts this way)."""
    with search_state().lock:
        search_state().indexes.clear()
