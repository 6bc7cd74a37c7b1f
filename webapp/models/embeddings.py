"""Stored vectors and the change sequence that keeps every process's index in step.

The database is the source of truth; FAISS indexes are derived from these rows."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .types import enum_column


class ItemKind(enum.Enum):
    NEED = "need"
    PROFILE = "profile"


class Embedding(Base):
    __tablename__ = "embeddings"
    __table_args__ = (UniqueConstraint("kind", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ItemKind] = mapped_column(enum_column(ItemKind))
    item_id: Mapped[int]
    model_name: Mapped[str] = mapped_column(String(200))
    text_hash: Mapped[str] = mapped_column(String(64))
    dim: Mapped[int]
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, little-endian
    # The vectors of the texts the item was read from (matching.known_texts), so that its next
    # save encodes only what changed; read only by that save.
    text_vectors: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class IndexChange(Base):
    """One row per change to an indexed item; `seq` only grows, so a process that has
    applied up to N needs exactly the rows after N."""

    __tablename__ = "index_changes"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[ItemKind] = mapped_column(enum_column(ItemKind), index=True)
    item_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
