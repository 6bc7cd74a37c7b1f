"""Stored embeddings: computed only when the embedded text or the model changed."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

import numpy as np
from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from matching import Embedder, KnownTexts, embedded_text, sentences_of, text_hash, unpack_text_vectors

from ..extensions import db
from ..models import Embedding, ItemKind
from .engine import embedder, occupation_bridge
from .kinds import KINDS

log = logging.getLogger(__name__)


def _docs_and_texts(kind: ItemKind, rows: Sequence) -> tuple[list, list[str]]:
    rules, bridge = KINDS[kind], occupation_bridge()
    docs = [rules.doc(row) for row in rows]
    return docs, [embedded_text(rules.fields(doc), bridge) for doc in docs]


def ensure_embeddings(kind: ItemKind, ids: Iterable[int], *, batch: int = 256, progress=None) -> int:
    """Embeds the given items whose text or model changed; returns how many were (re)embedded.
    Commits once per batch so a crash loses at most one batch of derived work."""
    ids = sorted(set(ids))
    loader = KINDS[kind].load
    embedded = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        embedded += _embed_batch(kind, loader, chunk)
        if progress is not None:
            progress(len(chunk))
    return embedded


def embed_before_commit(kind: ItemKind, ids: Iterable[int]) -> None:
    """Embeds items changed in the open transaction, to be committed with the change itself: a
    process that sees the change then finds its vector too, instead of embedding it again."""
    _embed_stale(kind, list(KINDS[kind].load(ids).values()))


def _embed_batch(kind: ItemKind, loader, chunk: list[int]) -> int:
    try:
        embedded = _embed_stale(kind, list(loader(chunk).values()))
        db.session.commit()
        return embedded
    except IntegrityError:
        # Another process (or thread) stored a first vector for one of these items meanwhile:
        # start again from what is stored now; only what is still stale is embedded again.
        db.session.rollback()
        embedded = _embed_stale(kind, list(loader(chunk).values()))
        db.session.commit()
        return embedded


def _embed_stale(kind: ItemKind, rows: list) -> int:
    model = embedder()
    stored = {
        e.item_id: e
        for e in db.session.scalars(
            select(Embedding).where(Embedding.kind == kind, Embedding.item_id.in_([r.id for r in rows]))
        )
    }
    docs, texts = _docs_and_texts(kind, rows)
    hashes = [text_hash(text) for text in texts]
    stale = [
        i
        for i, row in enumerate(rows)
        if row.id not in stored
        or stored[row.id].text_hash != hashes[i]
        or stored[row.id].model_name != model.model_name
    ]
    if not stale:
        return 0
    keep = current_app.config.get("TANDEM_KEEP_TEXT_VECTORS", True)
    known = KnownTexts(model, _known_text_vectors(kind, [rows[i].id for i in stale], model) if keep else {})
    vectors = KINDS[kind].encode([docs[i] for i in stale], known, occupation_bridge())
    KINDS[kind].store_readings([rows[i] for i in stale], [docs[i] for i in stale], known)
    for vector, i in zip(vectors, stale):
        row = stored.get(rows[i].id) or Embedding(kind=kind, item_id=rows[i].id)
        row.model_name, row.text_hash, row.dim = model.model_name, hashes[i], int(vector.shape[0])
        row.vector = np.asarray(vector, dtype="<f4").tobytes()
        row.text_vectors = known.record_for(_own_texts(kind, docs[i])) if keep else None
        db.session.add(row)
    return len(stale)


def _known_text_vectors(kind: ItemKind, ids: list[int], model: Embedder) -> dict[bytes, np.ndarray]:
    """The vectors recorded with these items' last vectors by the same model; a record that does
    not read back is logged and left out (its texts are encoded again)."""
    known: dict[bytes, np.ndarray] = {}
    for item_id, record in db.session.execute(
        select(Embedding.item_id, Embedding.text_vectors).where(
            Embedding.kind == kind,
            Embedding.item_id.in_(ids),
            Embedding.model_name == model.model_name,
            Embedding.text_vectors.is_not(None),
        )
    ):
        try:
            known.update(unpack_text_vectors(record, model.dim))
        except ValueError as error:
            log.warning("text vectors of %s %s unreadable, encoding its texts again: %s", kind.value, item_id, error)
    return known


def _own_texts(kind: ItemKind, doc) -> set[str]:
    """Every text of a document that its vector or its reading may have encoded: its fields as
    embedded, and its own words as written, whole and sentence by sentence."""
    fields = KINDS[kind].fields(doc).values()
    texts = {" ".join(field.split()) for field in fields}  # as matching.documents encodes them
    for words in [value for value in vars(doc).values() if isinstance(value, str)] + [
        skill.label for skill in getattr(doc, "skills", ())
    ]:
        texts.add(words)
        texts.update(sentences_of(words))
    return texts


def stored_vectors(kind: ItemKind, ids: Iterable[int] | None = None) -> tuple[list[int], np.ndarray]:
    """Vectors of the current model, straight from the database (no re-embedding)."""
    query = select(Embedding.item_id, Embedding.vector).where(
        Embedding.kind == kind, Embedding.model_name == embedder().model_name
    )
    if ids is not None:
        query = query.where(Embedding.item_id.in_(list(ids)))
    rows = db.session.execute(query.order_by(Embedding.item_id)).all()
    if not rows:
        return [], np.zeros((0, embedder().dim), dtype=np.float32)
    matrix = np.frombuffer(b"".join(row.vector for row in rows), dtype="<f4").reshape(len(rows), -1)
    return [row.item_id for row in rows], matrix.astype(np.float32)
