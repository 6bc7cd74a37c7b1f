"""The skills taxonomy: ESCO, and Tandem's AI-skills extension beside it."""

from __future__ import annotations

from sqlalchemy import JSON, Float, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, TimestampMixin


class Skill(TimestampMixin, Base):
    __tablename__ = "skills"
    # The taxonomy's freshness check (skills.taxonomy) reads max(updated_at) on every ranking.
    __table_args__ = (Index("ix_skills_updated_at", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(255), unique=True)
    label: Mapped[str] = mapped_column(String(255), index=True)
    alt_labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Names read out of run-together text: searched and embedded, never shown or matched exactly.
    hidden_labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    skill_type: Mapped[str] = mapped_column(String(40), default="")
    broader: Mapped[list[str]] = mapped_column(JSON, default=list)  # URIs of broader skills
    augment_lean: Mapped[float | None] = mapped_column(Float)  # +1 amplifies people, -1 automates tasks
    source: Mapped[str] = mapped_column(String(60), default="esco")  # "esco" or "tandem-ai-skills 1.0.0"

    def __repr__(self) -> str:
        return f"<Skill {self.label!r}>"
