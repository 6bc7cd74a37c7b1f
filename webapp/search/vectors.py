"""Stored embeddings: computed only when the embedded text or the model changed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from matching import (
    AugmentationFocus,
    augmentation_focuses,
    embedded_text,
    encode_needs,
    encode_profiles,
    need_fields,
    need_lean,
    profile_fields,
    text_hash,
)

from ..extensions import db
from ..models import Embedding, FreelancerProfile, ItemKind, Need, NeedSkill, ProfileSkill
from ..taxonomy.services import taxonomy
from .docs import need_doc, profile_doc
from .engine import embedder, occupation_bridge


def load_needs(ids: Iterable[int]) -> dict[int, Need]:
    rows = db.session.scalars(
        select(Need)
        .where(Need.id.in_(list(ids)))
        .options(selectinload(Need.skills).selectinload(NeedSkill.skill), selectinload(Need.goal))
    )
    return {need.id: need for need in rows}


def load_profiles(ids: Iterable[int]) -> dict[int, FreelancerProfile]:
    rows = db.session.scalars(
        select(FreelancerProfile)
        .where(FreelancerProfile.id.in_(list(ids)))
        .options(
            selectinload(FreelancerProfile.skills).selectinload(ProfileSkill.skill),
            selectinload(FreelancerProfile.user),
        )
    )
    return {profile.id: profile for profile in rows}


def _docs_and_texts(kind: ItemKind, rows: Sequence) -> tuple[list, list[str]]:
    bridge = occupation_bridge()
    if kind is ItemKind.NEED:
        docs = [need_doc(row) for row in rows]
        return docs, [embedded_text(need_fields(doc), bridge) for doc in docs]
    docs = [profile_doc(row) for row in rows]
    return docs, [embedded_text(profile_fields(doc), bridge) for doc in docs]


def _encode(kind: ItemKind, docs: list) -> np.ndarray:
    encode = encode_needs if kind is ItemKind.NEED else encode_profiles
    return encode(docs, embedder(), occupation_bridge())


def ensure_embeddings(kind: ItemKind, ids: Iterable[int], *, batch: int = 256, progress=None) -> int:
    """Embeds the given items whose text or model changed; returns how many were (re)embedded.
    Commits once per batch so a crash loses at most one batch of derived work."""
    ids = sorted(set(ids))
    loader = load_needs if kind is ItemKind.NEED else load_profiles
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
    loader = load_needs if kind is ItemKind.NEED else load_profiles
    _embed_stale(kind, list(loader(ids).values()))


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
    model = embedder().model_name
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
        if row.id not in stored or stored[row.id].text_hash != hashes[i] or stored[row.id].model_name != model
    ]
    if not stale:
        return 0
    vectors = _encode(kind, [docs[i] for i in stale])
    for vector, i in zip(vectors, stale):
        row = stored.get(rows[i].id) or Embedding(kind=kind, item_id=rows[i].id)
        row.model_name, row.text_hash, row.dim = model, hashes[i], int(vector.shape[0])
        row.vector = np.asarray(vector, dtype="<f4").tobytes()
        db.session.add(row)
    leans = taxonomy().leans
    if kind is ItemKind.PROFILE:
        focuses = augmentation_focuses([docs[i] for i in stale], embedder(), skill_leans=leans)
        for i, focus in zip(stale, focuses):
            rows[i].augmentation_focus, rows[i].augmentation_evidence = focus.score, evidence_json(focus)
    else:
        for i in stale:
            lean = need_lean(docs[i], embedder(), skill_leans=leans)
            rows[i].augment_lean, rows[i].lean_evidence = lean.score, evidence_json(lean)
    return len(stale)


def evidence_json(read: AugmentationFocus) -> list[dict]:
    """A reading's evidence as stored: source, words, weight."""
    return [{"source": e.source, "text": e.text, "weight": e.weight} for e in read.evidence]


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
